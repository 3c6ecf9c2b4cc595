"""The shape of one injection pattern, and the category of each technique.

A pattern id reads ``<technique>.<language>.<name>`` (``override.de.ignore_prior``).
The technique (first component) decides the category and groups patterns for
the heuristic detector's combination bonus: two patterns of the same technique
(the same trick said twice, or in two languages) are one piece of evidence;
two techniques (override + extraction) are two.

Regexes run on google-re2, case-insensitively, over raw text, the normalised
view and decoded payloads.  RE2's ``\\b``, ``\\w`` and ``\\s`` are ASCII-only, so
patterns for other scripts avoid them and use literal stems instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from prompt_sentinel.engine.models import Category

__all__ = ["TECHNIQUE_CATEGORY", "Desc", "InjectionPattern", "gap", "p"]

# technique -> category; adding a technique means adding it here first.
TECHNIQUE_CATEGORY: dict[str, Category] = {
    "override": Category.DIRECT_INJECTION,  # ignore/forget previous instructions
    "leak": Category.PROMPT_LEAK,  # reveal the system prompt / earlier text
    "password": Category.PROMPT_LEAK,  # gandalf-style secret extraction
    "jailbreak": Category.JAILBREAK,  # DAN, developer mode, "no restrictions"
    "refusal": Category.JAILBREAK,  # "never refuse", refusal suppression
    "role": Category.ROLE_MANIPULATION,  # "you are no longer", unrestricted persona
    "turn": Category.CONTEXT_SWITCHING,  # fake system/assistant turns, chat tokens
    "indirect": Category.INDIRECT_INJECTION,  # instructions aimed at an AI in a document
    "exfil": Category.INDIRECT_INJECTION,  # send data to an outside address
}


class Desc:
    """Fixed descriptions shared by the same technique in every language."""

    OVERRIDE = "Asks the model to ignore or forget its previous instructions."
    INSTRUCTIONS_VOID = "Declares the model's earlier instructions void or replaced."
    NEW_INSTRUCTIONS = "Introduces new instructions meant to replace the existing ones."
    FROM_NOW_ON = "Redefines how the model must behave from now on."
    LEAK = "Asks the model to reveal its system prompt or hidden instructions."
    LEAK_ABOVE = "Asks the model to repeat the text that precedes the user's message."
    LEAK_QUESTION = "Asks what the model was told or instructed."
    PASSWORD = "Asks the model to disclose a password or secret."
    PASSWORD_TRICK = "Asks for a password or secret in disguise (spelled, reversed, encoded)."
    DAN = "Invokes the DAN ('do anything now') jailbreak persona."
    KNOWN_JAILBREAK = "Names a known jailbreak persona or prompt."
    DEV_MODE = "Asks the model to enter a developer or jailbreak mode."
    DEV_MODE_WEAK = "Mentions enabling a developer mode."
    UNRESTRICTED = "Asks the model to operate without restrictions, filters or guidelines."
    POLICY_BYPASS = "Asks the model to bypass or disable its safety rules or content policy."
    HYPOTHETICAL = "Uses a hypothetical framing in which the model has no rules."
    REFUSAL = "Forbids the model from refusing or adding warnings."
    CHARACTER = "Asks the model to stay in character whatever happens."
    NO_LONGER = "Tells the model it is no longer an AI assistant bound by its rules."
    PERSONA = "Asks the model to become an unrestricted or evil AI persona."
    ADMIN_CLAIM = "Claims developer or administrator authority over the model."
    TURN_TOKEN = "Contains chat-template control tokens that fake a new conversation turn."
    TURN_HEADER = "Contains a fake system or assistant turn header."
    TURN_BREAK = "Marks a fake end of prompt or start of a new conversation."
    INDIRECT = "Contains instructions addressed to an AI that reads the text."
    HIDE_FROM_USER = "Asks the model to hide something from the user."
    EXFIL = "Asks the model to send conversation data to an outside address."


@dataclass(frozen=True, slots=True)
class InjectionPattern:
    """One heuristic rule.

    ``score`` is the confidence a match alone carries: 0.9+ unmistakable,
    0.6-0.85 strong but sometimes benign, 0.3-0.5 a weak signal.
    ``description`` is a fixed sentence, safe to return and log.
    ``lead_score``, when set, replaces ``score`` when every match opens its text (only
    whitespace before it): a "System: you are ..." header at the top of a prompt is how
    applications pass their own instructions; the same header after other text fakes a turn.
    """

    id: str
    score: float
    regex: str
    description: str
    languages: tuple[str, ...]
    source: str
    lead_score: float | None = None

    @property
    def technique(self) -> str:
        """The first component of the id (``override``, ``leak``, ...)."""
        return self.id.split(".", 1)[0]

    @property
    def category(self) -> Category:
        """The category of the pattern's technique."""
        return TECHNIQUE_CATEGORY[self.technique]


def p(
    pid: str, score: float, regex: str, description: str, source: str = "own", *, lead_score: float | None = None
) -> InjectionPattern:
    """Build a pattern; the language is the id's second component."""
    lang = pid.split(".")[1]
    return InjectionPattern(
        id=pid,
        score=score,
        regex=regex,
        description=description,
        languages=(lang,),
        source=source,
        lead_score=lead_score,
    )


def gap(n: int) -> str:
    """Up to ``n`` whole words (space-separated) between two parts of a phrase."""
    return rf"(?:\S+\s+){{0,{n}}}?"
