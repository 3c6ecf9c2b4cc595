"""No detector raises on any string, whatever the role and mode.

The engine turns a detector's exception into an empty result (so one broken detector
cannot fail a request), which would hide a crash from an end-to-end test: each detector
is called directly here. Normalisation's idempotence is a property in
tests/engine/test_text.py (``test_normalise_is_idempotent``), not repeated here.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prompt_sentinel.engine.models import DetectContext, Mode
from prompt_sentinel.engine.prepare import prepare
from tests.properties.strategies import ANY_TEXT

ROLES = st.sampled_from(["user", "system", "assistant", "tool"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT, role=ROLES, mode=st.sampled_from(list(Mode)), check_pii=st.booleans())
def test_no_detector_raises(engine: Any, text: str, role: str, mode: Mode, check_pii: bool) -> None:
    prepared = prepare(text)
    ctx = DetectContext(mode=mode, check_pii=check_pii, role=role)
    for det in engine.detectors:
        result = det.detect(prepared, ctx)
        assert result.detector == det.name
        for m in result.pii:
            assert 0 <= m.start < m.end <= len(text)
        for f in result.findings:
            assert 0.0 <= f.confidence <= 1.0
            assert f.span is None or 0 <= f.span[0] <= f.span[1] <= len(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT.filter(str.strip))
def test_engine_answers_any_text(engine: Any, text: str) -> None:
    # The whole path (policy, redaction, response model), not only the detectors.
    res = engine.detect(text)
    assert 0.0 <= res.confidence <= 1.0
    assert res.modified_prompt is None or isinstance(res.modified_prompt, str)
