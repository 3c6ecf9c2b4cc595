"""French patterns (written here)."""

from __future__ import annotations

from prompt_sentinel.patterns.schema import Desc, gap, p

_VERB = (
    r"(?:ignor(?:e|ez|er|es)|oubli(?:e|ez|er|es)|néglig(?:e|ez|er)|neglig(?:e|ez|er)"
    r"|écart(?:e|ez|er)|ecart(?:e|ez|er)|outrepass(?:e|ez|er)|(?:fais|faites)\s+abstraction"
    r"|ne\s+(?:tiens|tenez|tenir)\s+(?:plus\s+|pas\s+)compte|ne\s+(?:suis|suivez)\s+(?:plus|pas)"
    r"|laisse[rz]?\s+tomber|passe[rz]?\s+outre)"
)
_NOUN = (
    r"(?:instructions?|consignes?|directives?|règles?|regles?|ordres?|commandes?|indications?"
    r"|prompts?|restrictions?|contraintes)"
)
_PRIOR = (
    r"(?:précédent|precedent|antérieur|anterieur|ci-dessus|d['’]avant|initia|origin|reçu|recu"
    r"|donn[ée]e?s?\b|pass[ée]e?s?\b|du\s+syst[eè]me|syst[eè]me|d['’]origine|de\s+d[ée]part|plus\s+haut"
    r"|au-dessus|qui\s+pr[ée]c[eè]dent)"
)
_AI = r"\b(?:ia|intelligence\s+artificielle|assistant|chatbot|modèle|modele|version|chatgpt)\b"
_RESTR = (
    r"(?:restrictions?|filtres?|limites?|censure|règles|regles|contraintes?|éthique|ethique"
    r"|morale|garde-fous|tabous?)"
)

PATTERNS = (
    p(
        "override.fr.ignore_prior",
        0.92,
        rf"{_VERB}\s+{gap(3)}(?:{_NOUN}\s+{gap(1)}{_PRIOR}|(?:précédentes|precedentes|anciennes"
        rf"|premières|premieres)\s+{_NOUN})",
        Desc.OVERRIDE,
        "own; 'Ignore toutes les instructions précédentes'",
    ),
    p(
        "override.fr.ignore_yours",
        0.86,
        rf"{_VERB}\s+(?:d[eu]\s+|des\s+)?(?:toutes\s+|tous\s+)?(?:tes|vos|ta|ton|votre)\s+{gap(1)}"
        rf"{_NOUN}",
        Desc.OVERRIDE,
        "own; 'oublie tes consignes'",
    ),
    p(
        "override.fr.ignore_all",
        0.78,
        rf"{_VERB}\s+(?:d[eu]\s+|de\s+)?(?:toutes|tous)\s+(?:les\s+|ces\s+)?{_NOUN}",
        Desc.OVERRIDE,
        "deepset: 'Oubliez toutes les instructions'",
    ),
    p(
        "override.fr.forget_everything_told",
        0.86,
        r"(?:oubli|ignor)\w*\s+tout\s+(?:ce\s+(?:qu['’]on\s+(?:t['’]a|vous\s+a)|que\s+(?:l['’]on\s+)?(?:t['’]a"
        r"|vous\s+a|je\s+t['’]ai|tu\s+sais))\s*(?:dit|appris|demandé|demande|enseigné|indiqué)?"
        r"|ce\s+qui\s+(?:pr[ée]c[eè]de|a\s+été\s+dit|est\s+(?:au-dessus|ci-dessus))|le\s+reste)",
        Desc.OVERRIDE,
        "own; 'oublie tout ce qu'on t'a dit'",
    ),
    p(
        "override.fr.forget_everything",
        0.6,
        r"(?:oubli|ignor)\w*\s+tout\s*(?:[,.;:!\-]|$|et\b)",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.fr.new_instructions",
        0.7,
        r"nouvelles?\s+(?:instructions?|consignes?|directives?|règles|regles)\s*[:\-]"
        r"|(?:ta|votre)\s+nouvelle\s+(?:tâche|tache|mission|consigne)\s+(?:est|sera|:)",
        Desc.NEW_INSTRUCTIONS,
        "own",
    ),
    p(
        "leak.fr.system_prompt",
        0.88,
        r"(?:affiche|montre|révèle|revele|répète|repete|répétez|repetez|donne|dis|écris|ecris"
        r"|imprime|récite|recite|partage|divulgue|fournis|communique|reproduis|copie|indique)\w*"
        r"(?:-moi|\s+moi)?\s+(?:\S+\s+){0,3}?(?:ton|votre|le|tes|vos|les|ta)\s+(?:\S+\s+)?"
        r"(?:prompt\s+(?:syst[eè]me|initial|d['’]origine|original|cach[ée]|secret)"
        r"|message\s+syst[eè]me|invite\s+syst[eè]me|(?:instructions|consignes|directives)\s+"
        r"(?:initiales|syst[eè]me|originales|d['’]origine|cach[ée]es|secr[eè]tes|de\s+d[ée]part"
        r"|du\s+syst[eè]me))|quel\s+est\s+(?:ton|votre)\s+(?:prompt|message)\s+syst[eè]me",
        Desc.LEAK,
        "own",
    ),
    p(
        "leak.fr.text_above",
        0.78,
        r"(?:répète|repete|répétez|repetez|affiche|imprime|recopie|reproduis)\w*\s+(?:\S+\s+){0,2}?"
        r"(?:le\s+texte|tout\s+le\s+texte|les\s+mots|tout\s+ce\s+qui\s+est|les\s+instructions)\s+"
        r"(?:ci-dessus|au-dessus|pr[ée]c[ée]dent|plus\s+haut)",
        Desc.LEAK_ABOVE,
        "own",
    ),
    p(
        "leak.fr.question",
        0.62,
        r"quel(?:le)?s?\s+(?:sont|étaient|etaient)\s+(?:tes|vos)\s+(?:\S+\s+)?(?:instructions"
        r"|consignes|directives)|qu['’]est-ce\s+qu['’]on\s+(?:t['’]a|vous\s+a)\s+(?:dit|demandé"
        r"|ordonné)",
        Desc.LEAK_QUESTION,
        "own",
    ),
    p(
        "password.fr.tell",
        0.7,
        r"(?:dis|donne|révèle|revele|épelle|epelle|indique|communique|écris|ecris)(?:-moi|\s+moi"
        r"|z-moi)\s+(?:\S+\s+){0,2}?(?:le|ton|votre)\s+(?:\S+\s+)?mot\s+de\s+passe"
        r"|(?:épelle|epelle|épelez|epelez)\s+(?:le|ton|votre)\s+mot\s+de\s+passe",
        Desc.PASSWORD,
        "gandalf, translated",
    ),
    p(
        "jailbreak.fr.unrestricted",
        0.82,
        rf"{_AI}\s+{gap(3)}sans\s+(?:aucune?\s+|la\s+moindre\s+|les\s+|tes\s+|vos\s+)?{_RESTR}"
        r"|(?:réponds|reponds|répondez|repondez|agis|agissez|comporte-toi)\s+(?:\S+\s+){0,5}?"
        rf"sans\s+(?:aucune?\s+|la\s+moindre\s+)?{_RESTR}",
        Desc.UNRESTRICTED,
        "own",
    ),
    p(
        "role.fr.persona",
        0.85,
        r"(?:tu\s+es|vous\s+êtes|vous\s+etes|sois|soyez|agis\s+comme|agissez\s+comme|fais\s+"
        r"semblant\s+d['’]être|fais\s+comme\s+si\s+tu\s+étais|imagine\s+que\s+tu\s+es"
        rf"|deviens)\s+(?:maintenant\s+|désormais\s+)?(?:une?\s+)?{_AI}\s+{gap(2)}(?:débridée?"
        r"|debridee?|non\s+censurée?|non\s+filtrée?|libérée?|maléfique|malefique|jailbreak[ée]e?"
        r"|sans\s+(?:aucune\s+)?(?:restriction|filtre|limite|censure))",
        Desc.PERSONA,
        "own",
    ),
    p(
        "role.fr.no_longer",
        0.85,
        r"(?:tu\s+n['’]es|vous\s+n['’]êtes|vous\s+n['’]etes)\s+plus\s+(?:une?\s+|un\s+simple\s+)?"
        r"(?:ia\b|intelligence\s+artificielle|assistant|chatgpt|chatbot|modèle|modele"
        r"|lié|lie\b|limité|restreint|bridé)",
        Desc.NO_LONGER,
        "own",
    ),
    p(
        "jailbreak.fr.dev_mode",
        0.45,
        r"mode\s+(?:développeur|developpeur)",
        Desc.DEV_MODE_WEAK,
        "weak",
    ),
    p(
        "indirect.fr.note_to_ai",
        0.75,
        # literal spaces give the prefilter long atoms; the normalised view squeezes spaces
        r"\b(?:note|message|instructions?|remarque)\s+(?:à|a|pour)\s+(?:l['’]\s*)?(?:ia|intelligence"
        r"\s+artificielle|assistant\s+ia|modèle\s+de\s+langage)\b|\bsi (?:tu es|vous [êe]tes) une? "
        r"(?:ia|intelligence artificielle|modèle de langage|assistant ia)\b",
        Desc.INDIRECT,
        "own",
    ),
)
