"""English phrase fragments shared by the English pattern modules.

Trusted strings, composed into regexes at import; each is a non-capturing
alternation (or a gap) that can be dropped into a larger pattern.
"""

from __future__ import annotations

__all__ = [
    "AFTER",
    "AI",
    "AI_STRICT",
    "DET",
    "IGNORE",
    "INSTR",
    "INSTR_SOFT",
    "PRIOR",
    "PW",
    "RESTR_AI",
    "SHOW_STRONG",
    "SHOW_WEAK",
    "SYS_OBJ",
]

# "override", "bypass", "skip" are left out: "override the existing CSS rules".
IGNORE = (
    r"(?:ignore|ignoring|disregard(?:ing)?|forget(?:ting)?|overlook|neglect|discard|abandon"
    r"|dismiss|nullify|(?:set|put|cast|push)\s+aside|throw\s+(?:out|away)|pay\s+no\s+(?:attention|heed|mind)\s+to"
    r"|(?:do\s+not|don'?t|stop|no\s+longer|never)\s+(?:follow(?:ing)?|obey(?:ing)?|adhere\s+to"
    r"|comply\s+with|heed)|never\s*mind|without\s+adherence\s+to)"
)
DET = r"(?:(?:all|any|every|each|the|of|these|those|such|and|its|other|\+)\s+){0,4}"
PRIOR = (
    r"(?:previous(?:ly)?|prior|above|preceding|earlier|former|initial|original|old|existing|past"
    r"|foregoing|aforementioned|above-?mentioned|pre-?set|system|last|upper|further|given"
    r"|provided)"
)
INSTR = (
    r"(?:instructions?|instructs|rules?|directions?|directives?|guidelines?|prompts?|promts?|commands?"
    r"|orders?|constraints?|programming|restrictions?|guidance|polic(?:y|ies)|limitations?"
    r"|safeguards?|guardrails?|assignments?|training|censure|censorship|programs?"
    r"|(?:security|safety)\s+(?:measures|protocols?)"
    # common misspellings seen in gandalf: istructions, intructions, instrucions, instuctions
    r"|i[nm]?s?t[rs]?u?[ck]?t?[io]{1,2}ns?)"
)
# "messages" only in the plural: "ignore the previous message, I meant Tuesday" is benign.
INSTR_SOFT = r"(?:text|content|context|input|conversation|documents?|information|data|messages)"
AFTER = (
    r"(?:above|before|previously|earlier|so\s+far|until\s+now|up\s+to\s+now|to\s+date"
    r"|(?:given|provided|written|set|sent|supplied)\s+(?:to\s+you|before|earlier|above|previously)"
    r"|(?:that\s+|which\s+)?(?:you(?:'ve|\s+have)?|were|have\s+been)\s+(?:\S+\s+)?"
    r"(?:given|received|got|been\s+given|provided|told|programmed|trained)"
    r"|prior\s+to\s+this|in\s+your\s+system\s+prompt)"
)
AI = (
    r"(?:ai|a\.i\.|llm|large\s+language\s+model|language\s+model|chatbot|chat\s*bot|assistant"
    r"|ai\s+assistant|ai\s+model|gpt(?:-?\d)?|chatgpt|claude|gemini|bard|llama|copilot|bot|model)"
)
RESTR_AI = (
    r"(?:restrictions?|filters?|filtering|guidelines?|censorship|morals?|morality|ethics"
    r"|ethical\s+(?:guidelines|constraints|principles|boundaries|limits)|content\s+polic(?:y|ies)"
    r"|safeguards?|guardrails|scruples|inhibitions|confines|programming|rules"
    r"|safety\s+(?:measures|protocols|features|guidelines|training))"
)
AI_STRICT = (
    r"(?:ai|a\.i\.|llm|large\s+language\s+model|language\s+model|chatbot|ai\s+assistant"
    r"|ai\s+model|ai\s+agent|ai\s+system|gpt(?:-?\d)?|chatgpt|claude|gemini|copilot)"
)
SHOW_STRONG = (
    r"(?:print|reveal|show|display|output|repeat|recite|tell|give|share|leak|dump|expose|disclose"
    r"|spell\s+out|echo|paste|copy|type\s+out|read\s+(?:back|out)|write\s+(?:out|down)"
    r"|reproduce|regurgitate|divulge|return|what(?:'s|\s+is|\s+are|\s+was|\s+were))"
)
# Weaker verbs ("write", "translate") only with "your": "write the system prompt for my bot".
SHOW_WEAK = r"(?:list|send|provide|translate|summari[sz]e|encode|explain|paraphrase)"
SYS_OBJ = (
    r"(?:system\s*(?:prompt|message|instructions?|directives?|configuration)|pre-?prompt"
    r"|meta-?prompt|(?:initial|original|hidden|secret|internal|confidential|starting|first"
    r"|developer|underlying|base)\s+(?:prompt|instructions?|directives?|system\s+prompt))"
)
PW = (
    r"(?:password|passcode|pass\s*phrase|pass\s+word|pwd|secret\s+(?:word|key|phrase|code)"
    r"|code\s*word|magic\s+word)"
)
