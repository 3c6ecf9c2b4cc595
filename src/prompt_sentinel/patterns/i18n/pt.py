"""Portuguese patterns (written here; Brazilian and European forms)."""

from __future__ import annotations

from prompt_sentinel.patterns.schema import Desc, gap, p

_VERB = (
    r"(?:ignore|ignora|ignorem|ignorar|esque[çc]a|esquece|esque[çc]am|esquecer|desconsidere"
    r"|desconsidera|desconsiderar|descarte|descarta|despreze|despreza|n[ãa]o\s+siga|n[ãa]o\s+sigas"
    r"|deixe\s+de\s+lado|deixa\s+de\s+lado|abandone|anule)"
)
_NOUN = (
    r"(?:instru[çc][õo]es|instru[çc][ãa]o|orienta[çc][õo]es|regras|diretrizes|diretivas|ordens"
    r"|comandos|indica[çc][õo]es|restri[çc][õo]es|prompts?|normas)"
)
_PRIOR = (
    r"(?:anteriores|pr[ée]vias|acima|iniciais|originais|recebidas|dadas|do\s+sistema"
    r"|de\s+sistema|passadas|antigas|precedentes|fornecidas)"
)
_AI = r"\b(?:ia|ai|intelig[êe]ncia\s+artificial|assistente|chatbot|modelo|vers[ãa]o|chatgpt)\b"
_RESTR = (
    r"(?:restri[çc][õo]es|restri[çc][ãa]o|filtros?|limites?|censura|regras|limita[çc][õo]es"
    r"|[ée]tica|moral|tabus?)"
)

PATTERNS = (
    p(
        "override.pt.ignore_prior",
        0.92,
        rf"{_VERB}\s+{gap(3)}{_NOUN}\s+{gap(1)}{_PRIOR}",
        Desc.OVERRIDE,
        "own; 'Ignore todas as instruções anteriores'",
    ),
    p(
        "override.pt.ignore_yours",
        0.86,
        rf"{_VERB}\s+(?:todas\s+)?(?:as\s+)?(?:suas|tuas)\s+{gap(1)}{_NOUN}",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.pt.ignore_all",
        0.78,
        rf"{_VERB}\s+(?:todas|todos)\s+(?:as\s+|os\s+)?{_NOUN}",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.pt.forget_everything_told",
        0.86,
        r"(?:esque[çc]a|esquece|ignore|ignora)\s+tudo\s+(?:o\s+que\s+(?:te|lhe|voc[êe]|foi)\s+\S+"
        r"|que\s+(?:te|lhe)\s+\S+|acima|anterior|o\s+que\s+foi\s+dito|o\s+que\s+(?:voc[êe]\s+)?sabe)",
        Desc.OVERRIDE,
        "own; 'esqueça tudo o que te disseram'",
    ),
    p(
        "override.pt.forget_everything",
        0.6,
        r"(?:esque[çc]a|esquece|ignore|ignora)\s+tudo\s*(?:[,.;:!\-]|$|e\b)",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.pt.new_instructions",
        0.7,
        r"novas\s+(?:instru[çc][õo]es|regras|diretrizes|ordens)\s*[:\-]|(?:sua|tua)\s+nova\s+"
        r"(?:tarefa|miss[ãa]o)\s+(?:[ée]|ser[áa]|:)",
        Desc.NEW_INSTRUCTIONS,
        "own",
    ),
    p(
        "leak.pt.system_prompt",
        0.88,
        r"(?:mostre|mostra|mostre-me|me\s+mostre|revele|revela|revele-me|diga|me\s+diga|diga-me"
        r"|repita|imprima|escreva|me\s+d[êe]|d[êe]-me|compartilhe|exiba|liste|copie)\s+"
        r"(?:\S+\s+){0,3}?(?:seu|o|suas|as|teu|tuas|os|seus)\s+(?:\S+\s+)?(?:prompt\s+(?:do|de)"
        r"\s+sistema|mensagem\s+(?:do|de)\s+sistema|(?:instru[çc][õo]es|orienta[çc][õo]es"
        r"|diretrizes|regras)\s+(?:iniciais|do\s+sistema|de\s+sistema|originais|ocultas|secretas"
        r"|internas)|prompt\s+(?:inicial|original|oculto|secreto))|qual\s+[ée]\s+(?:o\s+)?seu\s+"
        r"prompt\s+(?:do|de)\s+sistema",
        Desc.LEAK,
        "own",
    ),
    p(
        "password.pt.tell",
        0.7,
        r"(?:diga-me|me\s+diga|me\s+d[êe]|d[êe]-me|revele|soletre|me\s+mostre|mostre-me|me\s+fala"
        r"|fala\s+pra\s+mim)\s+(?:\S+\s+){0,2}?(?:a|sua|tua|a\s+sua)\s+(?:\S+\s+)?senha",
        Desc.PASSWORD,
        "gandalf, translated",
    ),
    p(
        "jailbreak.pt.unrestricted",
        0.82,
        rf"{_AI}\s+{gap(3)}sem\s+(?:nenhuma\s+|nenhum\s+|quaisquer\s+|qualquer\s+|as\s+|os\s+)?"
        rf"{_RESTR}|(?:responda|responde|aja|age|comporte-se)\s+(?:\S+\s+){{0,5}}?sem\s+"
        rf"(?:nenhuma\s+|nenhum\s+|quaisquer\s+|qualquer\s+)?{_RESTR}",
        Desc.UNRESTRICTED,
        "own",
    ),
    p(
        "role.pt.persona",
        0.85,
        r"(?:voc[êe]\s+[ée]|tu\s+[ée]s|seja|aja\s+como|finja\s+(?:ser|que\s+[ée])|imagine"
        rf"\s+que\s+[ée]|torne-se)\s+(?:agora\s+)?(?:uma?\s+)?{_AI}\s+{gap(2)}(?:sem\s+"
        r"(?:nenhuma\s+)?(?:restri[çc][õo]es|filtros|limites|censura)|sem\s+censura"
        r"|malvad[oa]|libertad[oa]|desbloquead[oa])",
        Desc.PERSONA,
        "own",
    ),
    p(
        "role.pt.no_longer",
        0.85,
        r"(?:voc[êe]|tu)\s+(?:n[ãa]o\s+[ée]s?\s+mais|j[áa]\s+n[ãa]o\s+[ée]s?)\s+(?:uma?\s+)?"
        r"(?:ia\b|intelig[êe]ncia\s+artificial|assistente|chatgpt|chatbot|modelo|limitad[oa]"
        r"|restrit[oa])",
        Desc.NO_LONGER,
        "own",
    ),
    p(
        "jailbreak.pt.dev_mode",
        0.45,
        r"modo\s+(?:desenvolvedor|programador)",
        Desc.DEV_MODE_WEAK,
        "weak",
    ),
    p(
        "indirect.pt.note_to_ai",
        0.75,
        r"\b(?:nota|mensagem|instru[çc][õo]es)\s+(?:para|à|a)\s+(?:a\s+)?(?:ia|intelig[êe]ncia"
        r"\s+artificial|assistente\s+de\s+ia)\b|\bse\s+voc[êe]\s+(?:[ée]|for)\s+uma?\s+(?:ia"
        r"|intelig[êe]ncia\s+artificial|modelo\s+de\s+linguagem)\b",
        Desc.INDIRECT,
        "own",
    ),
)
