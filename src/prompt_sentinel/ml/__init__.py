"""Offline prompt-injection classifier: features, shipped model, training.

Run time needs numpy only (:mod:`.features`, :mod:`.model`).  The training
modules (:mod:`.dataset`, :mod:`.linear`, :mod:`.evaluate`, :mod:`.train`)
need the ``train`` extra (scikit-learn) and are never imported by the service.
"""

from __future__ import annotations

from prompt_sentinel.ml.model import DEFAULT_MODEL, MODELS_DIR, ClassifierModel, ModelError, Score

__all__ = ["DEFAULT_MODEL", "MODELS_DIR", "ClassifierModel", "ModelError", "Score"]
