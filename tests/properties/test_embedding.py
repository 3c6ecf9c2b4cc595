"""An attack found on its own is still found inside benign text of any length."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prompt_sentinel.engine.models import Mode, Verdict
from tests.properties.strategies import ATTACKS, BENIGN, SEPARATORS

RULE_SOURCES = {"heuristics", "encoding"}  # the layers whose findings are position-independent
FOUND = (Verdict.FLAG, Verdict.STRIP, Verdict.BLOCK)
MAX_CHARS = 45_000  # under MAX_PROMPT_LENGTH (50,000) with the attack added


@st.composite
def filler(draw: st.DrawFn) -> str:
    """Whole benign sentences, from none to about half of MAX_CHARS characters.

    Never cut inside a sentence: a cut word such as "no" (from "north") before the
    attack would negate it, which is the heuristics' documented behaviour, not a miss.
    """
    target = draw(st.sampled_from([0, 1, 80, 500, 2_000, 10_000, MAX_CHARS // 2]))
    sentences = draw(st.lists(st.sampled_from(BENIGN), min_size=8, max_size=8))
    sep = draw(SEPARATORS)
    out: list[str] = []
    size = 0
    i = 0
    while True:
        nxt = sentences[i % len(sentences)]
        if size + len(nxt) + len(sep) > target:
            break
        out.append(nxt)
        size += len(nxt) + len(sep)
        i += 1
    return sep.join(out)


def rules(result: Any) -> set[str]:
    return {r.rule_id for r in result.reasons if r.source in RULE_SOURCES}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    attack=st.sampled_from(ATTACKS),
    before=filler(),
    after=filler(),
    sep=SEPARATORS,
    mode=st.sampled_from(list(Mode)),
)
def test_embedded_attack_is_found(engine: Any, attack: str, before: str, after: str, sep: str, mode: Mode) -> None:
    alone = engine.detect(attack, mode=mode)
    assert alone.verdict in FOUND  # the pool holds attacks found on their own
    text = sep.join(p for p in (before, attack, after) if p)
    embedded = engine.detect(text, mode=mode)
    missing = sorted(rules(alone) - rules(embedded))
    where = f"{attack!r} after {len(before)} and before {len(after)} chars, sep {sep!r}, {mode}"
    assert not missing, f"{missing} lost: {where}"
    assert embedded.verdict in FOUND, f"{embedded.verdict}: {where}"
