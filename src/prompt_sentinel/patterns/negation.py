"""Negation cues that turn a matched phrase into its opposite.

"Don't ignore the previous instructions", "N'oublie pas les consignes",
"Vergiss nicht die vorherigen Anweisungen", "不要忽略之前的指令" contain an
injection phrase but ask for the opposite.  The heuristic detector looks for
these cues right around a match (see ``HeuristicDetector``) and lowers the
confidence of a negated match.  Languages that negate with a verb suffix
(Japanese, Korean, Turkish) are handled in the patterns themselves, which
only accept affirmative verb forms.

All cues are casefolded words, compared after stripping quotes.
"""

from __future__ import annotations

__all__ = ["AFTER", "BEFORE", "BEFORE_GLUED", "INSIDE", "NEGATED_CAP", "OWN_VERBS"]

# Confidence of a match that is negated everywhere it occurs.
NEGATED_CAP = 0.3

# The word directly before the match.
BEFORE = frozenset(
    {
        # English
        "not", "don't", "dont", "never", "doesn't", "won't", "shouldn't", "mustn't", "cannot",
        "can't", "didn't", "wouldn't", "nor",
        # German, Dutch, Swedish
        "nicht", "nie", "niemals", "niet", "nooit", "inte", "aldrig", "ej",
        # French, Spanish, Portuguese, Italian
        "ne", "n'", "jamais", "no", "nunca", "jamás", "jamas", "não", "nao", "non", "mai",
        # Polish, Russian, Ukrainian
        "nigdy", "не", "никогда", "ніколи",
        # Arabic, Persian
        "لا", "لن", "لم", "نه",
        # Vietnamese, Indonesian
        "đừng", "không", "chớ", "jangan", "tidak", "bukan",
        # Hindi, Korean
        "मत", "न", "नहीं", "절대",
    }
)  # fmt: skip

# Scripts without spaces: the text directly before the match ends with one of these.
BEFORE_GLUED = ("不要", "别", "別", "勿", "不", "请勿", "請勿", "不准", "禁止")

# The second or third word of the match (verb-second negation: "Vergiss nicht ...").
INSIDE = frozenset({"nicht", "pas", "niet", "inte", "nie"})

# The word directly after the match (verb-final negation: "... अनदेखा मत करो").
AFTER = frozenset({"मत", "न", "नहीं", "نہ", "مت"})

# The user's own earlier instructions, not the assistant's: "ignore the previous
# instructions I gave you about the font", "forget the instructions in my last message".
# Retracting what you said yourself overrides nothing, so the match counts as negated.
# English only; words right after the match: "(that|which)? i <verb>" or "in/from my ...".
OWN_VERBS = frozenset({"gave", "sent", "wrote", "told", "typed", "mentioned", "asked", "posted", "shared"})
