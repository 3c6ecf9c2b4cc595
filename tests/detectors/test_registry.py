"""Every detector module is registered, and every registered detector implements the protocol."""

from __future__ import annotations

import pkgutil

import prompt_sentinel.detectors as pkg
from prompt_sentinel.detectors.base import Detector
from prompt_sentinel.detectors.registry import REGISTRY, build_detectors, detector_class
from prompt_sentinel.settings import load_settings

NOT_DETECTORS = {"base", "registry"}


def test_every_detector_module_is_registered() -> None:
    modules = {m.name for m in pkgutil.iter_modules(pkg.__path__)} - NOT_DETECTORS
    assert modules == {spec.module for spec in REGISTRY}


def test_registered_detectors_implement_the_protocol() -> None:
    for spec in REGISTRY:
        cls = detector_class(spec)
        assert cls.name == spec.name
    for det in build_detectors(load_settings()):
        assert isinstance(det, Detector)


def test_settings_switch_detectors_off() -> None:
    names = {d.name for d in build_detectors(load_settings(enable_pii_detection=False, enable_classifier=False))}
    assert names == {"heuristics", "encoding"}
