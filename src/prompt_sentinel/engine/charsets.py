"""Character tables for the normalised view: invisibles, homoglyphs, styled letters.

Data only (plus the RE2 character classes built from it); the logic that uses
it is in :mod:`prompt_sentinel.engine.text`.  Sources: Unicode's
``confusables.txt`` and ``DerivedCoreProperties.txt`` (Default_Ignorable_Code_Point),
narrowed to the look-alikes that attacks on English prompts use.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "BENIGN_INVISIBLES",
    "COMMON_INVISIBLES",
    "CONFUSABLE_LOWER",
    "CONFUSABLE_SCRIPTS",
    "DELETE_INVISIBLE",
    "HOMOGLYPH_FOLD",
    "INVISIBLE_CLASS",
    "INVISIBLE_RANGES",
    "LATIN_LOOKALIKE_FOLD",
    "LOOKALIKE_CLASS",
    "REMOVED_CLASS",
    "STYLED_CLASS",
]

INVISIBLE_RANGES = (
    (0x00, 0x08),
    (0x0E, 0x1B),
    (0x7F, 0x84),
    (0x86, 0x9F),
    (0xAD, 0xAD),
    (0x34F, 0x34F),
    (0x61C, 0x61C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF9, 0xFFFB),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE007F),
    (0xE0100, 0xE01EF),
)
DELETE_INVISIBLE: dict[int, int | None] = {cp: None for lo, hi in INVISIBLE_RANGES for cp in range(lo, hi + 1)}
# Spaces: braille blank (str.split() does not see it) and the ASCII information
# separators \x1c-\x1f (str.split() does; data exports use them as delimiters).
DELETE_INVISIBLE |= dict.fromkeys((0x1C, 0x1D, 0x1E, 0x1F, 0x2800), 0x20)
REMOVED_CLASS = "[" + "".join(rf"\x{{{lo:X}}}-\x{{{hi:X}}}" for lo, hi in INVISIBLE_RANGES) + "]"
INVISIBLE_CLASS = REMOVED_CLASS[:-1] + r"\x{2800}]"  # what the normalised view changes
# Removed but not counted: emoji presentation selectors, joiners that follow
# anything but an ASCII letter (emoji sequences, Persian, Indic), a leading BOM.
BENIGN_INVISIBLES = ("\ufe0e", "\ufe0f", "\u200c", "\u200d")
COMMON_INVISIBLES = (*BENIGN_INVISIBLES, "\u200b", "\u2060", "\ufeff", "\u00ad")

# Look-alikes from other scripts, as (look-alike, Latin) pairs.  Upper case keeps
# its own Latin letter (Greek capital Nu is N although small nu looks like v).
_UPPER_PAIRS = (
    "АA ВB ЕE КK МM НH ОO РP СC ТT ХX УY ІI ЈJ ЅS ԚQ ԜW ӀI ҺH "  # Cyrillic
    "ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX "  # Greek
    "ՍU ՏS ՕO ԼL "  # Armenian
    "ᎪA ᏴB ᏟC ᎬE ᎻH ᏞL ᎷM ᏢP ᏚS ᎢT ᏔW ᏃZ ᎫJ ᏦK ᎠD ᏀG ᏙV ᎩY "  # Cherokee
    "ꓮA ꓐB ꓚC ꓓD ꓰE ꓝF ꓖG ꓧH ꓲI ꓙJ ꓗK ꓡL ꓟM ꓠN ꓳO ꓑP ꓣR ꓢS ꓔT ꓴU ꓦV ꓪW ꓫX ꓬY ꓜZ"  # Lisu
)
_LOWER_PAIRS = (
    "аa вb еe ёe іi їi кk мm нh оo пn рp сc тt уy хx ѕs јj ԁd ԛq ԝw һh ӏl ьb гr "
    "αa βb γy εe ζz ηn ιi κk νv οo ρp τt υu χx ωw ϲc ϳj "
    "օo սu ցg հh ոn զq ռn"
)
_LOWER = {pair[0]: pair[1] for pair in _LOWER_PAIRS.split()}
_FOLD = {pair[0]: pair[1] for pair in _UPPER_PAIRS.split()} | _LOWER
# Close the table under casefold, so that a letter left alone now is not folded
# on a second pass once it has been lower-cased (keeps normalise idempotent).
for _cp in (*range(0x370, 0x530), *range(0x531, 0x590)):
    _ch = chr(_cp)
    if _ch not in _FOLD and _ch.casefold() in _LOWER:
        _FOLD[_ch] = _LOWER[_ch.casefold()]
HOMOGLYPH_FOLD = str.maketrans(_FOLD)
CONFUSABLE_LOWER = frozenset(_LOWER)

# Latin-script look-alikes (small capitals, dotless i, Latin alpha ...) and
# negative circled/squared letters, folded wherever they appear, after casefold.
_LATIN_PAIRS = "ᴀa ʙb ᴄc ᴅd ᴇe ꜰf ɢg ʜh ɪi ᴊj ᴋk ʟl ᴍm ɴn ᴏo ᴘp ʀr ꜱs ᴛt ᴜu ᴠv ᴡw ʏy ᴢz ıi ɑa ɡg ɩi"
_LATIN_FOLD = {pair[0]: pair[1] for pair in _LATIN_PAIRS.split()}
_LATIN_FOLD |= {chr(0x1F150 + i): chr(0x61 + i) for i in range(26)}
_LATIN_FOLD |= {chr(0x1F170 + i): chr(0x61 + i) for i in range(26)}
LATIN_LOOKALIKE_FOLD = str.maketrans(_LATIN_FOLD)


def _becomes_lookalike(c: str) -> bool:
    n = unicodedata.normalize("NFKC", c)
    chain = (c, c.casefold(), n, n.casefold(), unicodedata.normalize("NFKC", n.casefold()))
    return any(x in _LATIN_FOLD for x in chain)


# What is or becomes one of those under NFKC and casefold (ᶫ -> ʟ, Ɪ -> ɪ), plus İ.
# The blocks were found by scanning all of Unicode once.
_LOOKALIKE_CHARS = "".join(
    sorted(
        {
            chr(cp)
            for lo, hi in (
                (0x100, 0x2B0),
                (0x1D00, 0x1DC0),
                (0x2C60, 0x2C80),
                (0xA720, 0xA800),
                (0xAB30, 0xAB70),
                (0x10780, 0x107C0),
                (0x1D400, 0x1D800),
                (0x1F150, 0x1F18A),
            )
            for cp in range(lo, hi)
            if _becomes_lookalike(chr(cp))
        }
        | {"İ"}
    )
)
LOOKALIKE_CLASS = "[" + "".join(rf"\x{{{ord(c):X}}}" for c in _LOOKALIKE_CHARS) + "]"
CONFUSABLE_SCRIPTS = r"\p{Cyrillic}\p{Greek}\p{Armenian}\p{Cherokee}\p{Lisu}"
STYLED_CLASS = (
    r"[\x{1D400}-\x{1D7FF}\x{FF21}-\x{FF3A}\x{FF41}-\x{FF5A}\x{24B6}-\x{24E9}"
    r"\x{1F130}-\x{1F189}\x{1D00}-\x{1D22}\x{A730}\x{A731}\x{262}\x{29C}\x{26A}"
    r"\x{29F}\x{274}\x{280}\x{28F}\x{299}]"
)
