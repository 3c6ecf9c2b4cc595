"""The one place that knows every detector and how to build it from Settings.

Adding a detector means: its own file in this package, one entry here, its tests.
tests/detectors/test_registry.py fails if a detector module exists that is not here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from prompt_sentinel.detectors.base import Detector
from prompt_sentinel.settings import Settings


@dataclass(frozen=True, slots=True)
class DetectorSpec:
    name: str
    module: str
    cls: str
    enabled: Callable[[Settings], bool]
    kwargs: Callable[[Settings], dict[str, object]]


REGISTRY: tuple[DetectorSpec, ...] = (
    DetectorSpec("heuristics", "heuristics", "HeuristicDetector", lambda s: True, lambda s: {}),
    DetectorSpec(
        "encoding",
        "encoding",
        "EncodingDetector",
        lambda s: True,
        lambda s: {"block_encoded_inputs": s.block_encoded_inputs},
    ),
    DetectorSpec(
        "classifier",
        "classifier",
        "ClassifierDetector",
        lambda s: s.enable_classifier,
        lambda s: {"encoder": s.enable_encoder},
    ),
    DetectorSpec("pii", "pii", "PIIDetector", lambda s: s.enable_pii_detection, lambda s: {}),
)


def detector_class(spec: DetectorSpec) -> type[Detector]:
    module = importlib.import_module(f"prompt_sentinel.detectors.{spec.module}")
    cls: type[Detector] = getattr(module, spec.cls)
    return cls


def build_detectors(settings: Settings) -> list[Detector]:
    """Instantiate every enabled detector (compiles patterns, loads models)."""
    out: list[Detector] = []
    for spec in REGISTRY:
        if spec.enabled(settings):
            out.append(detector_class(spec)(**spec.kwargs(settings)))
    return out
