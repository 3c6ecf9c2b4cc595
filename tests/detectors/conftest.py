"""Fixtures shared by the detector tests."""

from __future__ import annotations

import pytest

from prompt_sentinel.detectors.heuristics import HeuristicDetector


@pytest.fixture(scope="module")
def det() -> HeuristicDetector:
    """One heuristic detector per module (compiling the pattern set takes a moment)."""
    return HeuristicDetector()
