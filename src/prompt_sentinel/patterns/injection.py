"""Every prompt-injection pattern the heuristic detector knows, as data.

Patterns live in Python modules rather than YAML because they are regexes
(raw strings need no second layer of escaping), because a few fragments are
shared between patterns of one language (composed once at import), and
because a typo in an id, category or score fails at import and in the tests
rather than at service start-up from a data file.  Each entry still carries
its id, category (from the technique), score, languages, regex and source.

Modules: :mod:`injection_en`, :mod:`injection_en_persona` and
:mod:`injection_en_context` (English, and the script-independent chat markers),
and one module per other language under :mod:`prompt_sentinel.patterns.i18n`
(adding a language = adding a module there and naming it in ``_MODULES``).
"""

from __future__ import annotations

from prompt_sentinel.patterns import injection_en, injection_en_context, injection_en_persona
from prompt_sentinel.patterns.i18n import (
    ar,
    de,
    es,
    fa_ur,
    fr,
    hi,
    id_ms,
    it,
    ja,
    ko,
    nl,
    pl,
    pt,
    ru,
    sv,
    tr,
    uk,
    vi,
    zh,
)
from prompt_sentinel.patterns.schema import TECHNIQUE_CATEGORY, InjectionPattern

__all__ = ["PATTERNS", "InjectionPattern", "languages"]


def _validated(patterns: tuple[InjectionPattern, ...]) -> tuple[InjectionPattern, ...]:
    seen: set[str] = set()
    for pat in patterns:
        if pat.id in seen:
            raise ValueError(f"duplicate pattern id {pat.id}")
        seen.add(pat.id)
        if pat.technique not in TECHNIQUE_CATEGORY:
            raise ValueError(f"pattern {pat.id}: unknown technique {pat.technique!r}")
        if not 0.0 < pat.score <= 1.0:
            raise ValueError(f"pattern {pat.id}: score {pat.score} outside (0, 1]")
        if not pat.description or not pat.regex:
            raise ValueError(f"pattern {pat.id}: empty description or regex")
    return patterns


_MODULES = (
    injection_en,
    injection_en_persona,
    injection_en_context,
    *(de, fr, es, it, pt, nl, sv, pl, tr, vi, id_ms, ru, uk, zh, ja, ko, ar, fa_ur, hi),
)

PATTERNS: tuple[InjectionPattern, ...] = _validated(tuple(pat for module in _MODULES for pat in module.PATTERNS))


def languages() -> frozenset[str]:
    """Language codes covered by at least one pattern (``any`` = script-independent)."""
    return frozenset(lang for pat in PATTERNS for lang in pat.languages)
