"""Polish patterns (written here)."""

from __future__ import annotations

from prompt_sentinel.patterns.schema import Desc, gap, p

_VERB = (
    r"(?:zignoruj|zignorujcie|ignoruj|ignorujcie|zapomnij(?:\s+o)?|zapomnijcie(?:\s+o)?|pomiń"
    r"|pomin|odrzuć|odrzuc|lekceważ|lekcewaz|nie\s+zwracaj\s+uwagi\s+na|nie\s+przestrzegaj"
    r"|nie\s+stosuj\s+si[ęe]\s+do|porzuć|porzuc|olej)"
)
_PRIOR = (
    r"(?:poprzedni|wcześniejsz|wczesniejsz|powyższ|powyzsz|dotychczasow|pierwotn|początkow"
    r"|poczatkow|otrzyman|systemow|uprzedni)\S*"
)
_NOUN = r"(?:instrukcj|polece|zasad|reguł|regul|wytyczn|rozkaz|komend|wskazów|wskazow|prompt)\S*"
_AI = r"\b(?:ai|si|sztuczn\S*\s+inteligencj\S*|asystent\S*|model\S*|chatbot\S*|wersj\S*|chatgpt)"
_RESTR = (
    r"(?:ogranicze[ńn]|filtr[óo]w|cenzury|zasad|regu[łl]|wytycznych|limit[óo]w|restrykcji"
    r"|etyki|moralno[śs]ci)"
)

PATTERNS = (
    p(
        "override.pl.ignore_prior",
        0.92,
        rf"{_VERB}\s+{gap(3)}{_PRIOR}\s+{gap(1)}{_NOUN}",
        Desc.OVERRIDE,
        "own; 'Zignoruj wszystkie poprzednie instrukcje'",
    ),
    p(
        "override.pl.ignore_yours",
        0.86,
        rf"{_VERB}\s+(?:wszystkie\s+|wszystkich\s+)?(?:swoje|twoje|swoich|twoich|wasze)\s+"
        rf"{gap(1)}{_NOUN}",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.pl.ignore_all",
        0.78,
        rf"{_VERB}\s+(?:wszystkie|wszystkich|każde|kazde)\s+{_NOUN}",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.pl.forget_everything_told",
        0.86,
        r"zapomnij\s+(?:o\s+)?(?:wszystkim|wszystko),?\s+(?:co\s+(?:ci\s+)?(?:\S+\s+){0,2}?"
        r"(?:powiedziano|m[óo]wiono|kazano|przekazano|napisano|powiedzia[łl]em|wiesz)"
        r"|(?:powy[żz]ej|wcze[śs]niej|dot[ąa]d))",
        Desc.OVERRIDE,
        "own; 'zapomnij o wszystkim, co ci powiedziano'",
    ),
    p(
        "override.pl.forget_everything",
        0.6,
        r"(?:zapomnij\s+o\s+wszystkim|zapomnij\s+wszystko|zignoruj\s+wszystko)\s*(?:[,.;:!\-]|$"
        r"|i\s)",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.pl.new_instructions",
        0.7,
        r"nowe\s+(?:instrukcje|polecenia|zasady|wytyczne)\s*[:\-]|twoje\s+nowe\s+zadanie\s+"
        r"(?:to|jest|:)",
        Desc.NEW_INSTRUCTIONS,
        "own",
    ),
    p(
        "leak.pl.system_prompt",
        0.88,
        r"(?:poka[żz]|ujawnij|powt[óo]rz|wypisz|wydrukuj|podaj|zdrad[źz]|napisz|powiedz"
        r"|wy[śs]wietl|udost[ęe]pnij|przytocz|zacytuj)\s+(?:\S+\s+){0,3}?(?:prompt\S*\s+systemow\S*"
        r"|systemow\S*\s+(?:prompt|instrukcj|polece|wiadomo)\S*|(?:pocz[ąa]tkow|pierwotn|ukryt|tajn"
        r"|oryginaln)\S*\s+(?:instrukcj|polece|prompt|wytyczn)\S*|(?:swoje|twoje|sw[óo]j|tw[óo]j)"
        r"\s+(?:instrukcj|prompt|wytyczn)\S*)",
        Desc.LEAK,
        "own",
    ),
    p(
        "password.pl.tell",
        0.7,
        r"(?:(?:podaj|powiedz|napisz|poka[żz])\s+mi\s+|(?:zdrad[źz]|ujawnij|przeliteruj|wyjaw)\s+"
        r"(?:mi\s+)?)(?:\S+\s+){0,2}?(?:has[łl]o|tajne\s+s[łl]owo)",
        Desc.PASSWORD,
        "gandalf, translated",
    ),
    p(
        "jailbreak.pl.unrestricted",
        0.82,
        rf"{_AI}\s+{gap(3)}bez\s+(?:[żz]adnych\s+|jakichkolwiek\s+|swoich\s+)?{_RESTR}"
        r"|(?:odpowiadaj|odpowiedz|zachowuj\s+si[ęe]|dzia[łl]aj)\s+(?:\S+\s+){0,5}?bez\s+"
        rf"(?:[żz]adnych\s+|jakichkolwiek\s+)?{_RESTR}",
        Desc.UNRESTRICTED,
        "own",
    ),
    p(
        "role.pl.persona",
        0.85,
        r"(?:jeste[śs]|b[ąa]d[źz]|udawaj,?\s+[żz]e\s+jeste[śs]|zachowuj\s+si[ęe]\s+jak|wciel\s+si[ęe]"
        rf"\s+w)\s+(?:teraz\s+)?{_AI}\s+{gap(2)}(?:bez\s+(?:[żz]adnych\s+)?(?:ogranicze[ńn]"
        r"|filtr[óo]w|cenzury|zasad)|nieograniczon\S*|niecenzurowan\S*)",
        Desc.PERSONA,
        "own",
    ),
    p(
        "role.pl.no_longer",
        0.85,
        r"(?:nie\s+jeste[śs]\s+ju[żz]|ju[żz]\s+nie\s+jeste[śs])\s+(?:\S+\s+)?(?:ai\b|si\b"
        r"|sztuczn\S*|asystent\S*|chatgpt|model\S*|zwi[ąa]zan\S*|ograniczon\S*)",
        Desc.NO_LONGER,
        "own",
    ),
    p(
        "jailbreak.pl.dev_mode",
        0.45,
        r"tryb\S*\s+(?:dewelopera|programisty)",
        Desc.DEV_MODE_WEAK,
        "weak",
    ),
)
