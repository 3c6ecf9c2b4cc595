"""The shipped linear classifier at run time: load, verify, score (numpy only).

Artefact layout (``src/prompt_sentinel/models/``):

- ``<name>.npz``: ``weights`` (float32, ``2**n_bits``), ``kind_weights``
  (float32, same size: jailbreak-vs-injection head), ``idf`` (float32 or empty).
- ``<name>.json``: meta: feature config, feature fingerprint, intercepts,
  Platt calibration, per-mode thresholds, sha256 of the ``.npz``, metrics.

Errors: :class:`ModelError` (missing file, hash mismatch, feature drift).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from prompt_sentinel.ml.features import (
    FeatureConfig,
    WindowFeatures,
    canonical,
    feature_fingerprint,
    featurize_windows,
)

__all__ = ["DEFAULT_MODEL", "MODELS_DIR", "ClassifierModel", "ModelError", "Score"]

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = "ngram_lr"


class ModelError(RuntimeError):
    """The model artefact is missing, corrupt or does not match this code."""


@dataclass(frozen=True, slots=True)
class Score:
    """Result of scoring one text.

    ``probability``: calibrated probability of an attack (max over windows).
    ``jailbreak``: probability that the attack is a jailbreak rather than an
    instruction injection (from the best window); meaningful when
    ``probability`` is high.
    """

    probability: float
    raw: float
    jailbreak: float
    windows: int


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class ClassifierModel:
    """A loaded linear n-gram model.  Immutable after load: thread-safe."""

    def __init__(
        self,
        meta: dict[str, Any],
        weights: np.ndarray,
        kind_weights: np.ndarray,
        idf: np.ndarray | None,
    ) -> None:
        self.meta = meta
        self.name: str = meta["name"]
        self.config = FeatureConfig.from_dict(meta["features"])
        self.intercept = float(meta["intercept"])
        self.kind_intercept = float(meta["kind_intercept"])
        self.platt_a = float(meta["calibration"]["a"])
        self.platt_b = float(meta["calibration"]["b"])
        self.thresholds: dict[str, dict[str, float]] = meta["thresholds"]
        self.report_threshold = float(meta["report_threshold"])
        self._w = weights
        self._wk = kind_weights
        self._idf = idf

    @classmethod
    def load(cls, name: str = DEFAULT_MODEL, directory: Path | None = None) -> ClassifierModel:
        """Load ``<name>.npz`` + ``<name>.json``, checking hash and feature fingerprint."""
        directory = directory or MODELS_DIR
        meta_path = directory / f"{name}.json"
        npz_path = directory / f"{name}.npz"
        if not meta_path.is_file() or not npz_path.is_file():
            raise ModelError(f"model {name!r} not found in {directory}")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        digest = sha256_file(npz_path)
        if digest != meta.get("sha256"):
            raise ModelError(f"model {name!r}: sha256 of {npz_path.name} does not match its meta")
        cfg = FeatureConfig.from_dict(meta["features"])
        if feature_fingerprint(cfg) != meta.get("feature_fingerprint"):
            raise ModelError(f"model {name!r}: feature code differs from the one it was trained with; retrain")
        with np.load(npz_path, allow_pickle=False) as data:
            weights = np.ascontiguousarray(data["weights"], dtype=np.float32)
            kind = np.ascontiguousarray(data["kind_weights"], dtype=np.float32)
            idf_arr = data["idf"]
        idf = np.ascontiguousarray(idf_arr, dtype=np.float32) if idf_arr.size else None
        if weights.shape != (1 << cfg.n_bits,) or kind.shape != weights.shape:
            raise ModelError(f"model {name!r}: weight shape does not match n_bits")
        return cls(meta, weights, kind, idf)

    def calibrate(self, raw: float) -> float:
        """Platt-scaled probability of a raw decision value."""
        return _sigmoid(self.platt_a * raw + self.platt_b)

    def raw_scores(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(decision values, jailbreak-head values), one per window of the canonical text."""
        return self._raw_scores_canonical(canonical(text))

    def _raw_scores_canonical(self, ctext: str) -> tuple[np.ndarray, np.ndarray]:
        f = featurize_windows(ctext, self.config, self._idf)
        return self._window_sums(f, self._w) + self.intercept, self._window_sums(f, self._wk) + self.kind_intercept

    @staticmethod
    def _window_sums(f: WindowFeatures, w: np.ndarray) -> np.ndarray:
        """``sum(w[i] * v)`` over the features of every window (one head, no intercept).

        One flat ``take`` of float32 weights per head (a two-column fancy index
        costs six times as much), products in float32, sums in float64 in the
        order of the features, as the scores were always computed.
        """
        prod = w.take(f.indices) * f.values
        return np.bincount(f.window, weights=prod, minlength=f.n_windows)

    def _kind_raw(self, f: WindowFeatures, window: int) -> float:
        """The jailbreak head's decision value for one window only.

        Features are sorted by window, so one window's are a contiguous run;
        summed by ``bincount`` in the same order as over all windows.
        """
        lo, hi = np.searchsorted(f.window, [window, window + 1])
        prod = self._wk.take(f.indices[lo:hi]) * f.values[lo:hi]
        return float(np.bincount(np.zeros(hi - lo, dtype=np.intp), weights=prod, minlength=1)[0]) + self.kind_intercept

    def score(self, text: str) -> Score:
        """Score one text: the most suspicious window decides."""
        return self.score_canonical(canonical(text))

    def score_canonical(self, ctext: str) -> Score:
        """:meth:`score` of a text already passed through :func:`canonical`.

        Lets a caller canonicalise once, and skip views whose canonical forms
        coincide (they score the same).
        """
        f = featurize_windows(ctext, self.config, self._idf)
        raw = self._window_sums(f, self._w) + self.intercept
        best = int(np.argmax(raw))
        return Score(
            probability=self.calibrate(float(raw[best])),
            raw=float(raw[best]),
            jailbreak=_sigmoid(self._kind_raw(f, best)),
            windows=len(raw),
        )
