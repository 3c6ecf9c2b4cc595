"""A 25-second soak (``make soak`` runs 30 minutes): steady rate, bounded RSS and
descriptors, no failed request. Needs wrk (bench/ensure-wrk.sh): skipped without it."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (bench/ensure-wrk.sh)")


def _soak_module():  # type: ignore[no-untyped-def]
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module("soak")


def test_short_soak_holds_its_bounds() -> None:
    soak = _soak_module()
    # A small verdict cache fills during the warm-up, so what follows is steady state.
    r = soak.soak(25.0, 150.0, 10.0, env={"CACHE_MAX_SIZE": "300", "LOG_LEVEL": "WARNING"})
    assert r.wrk["requests"] > 1000, r.wrk
    assert r.problems() == [], (r.problems(), r.samples)
