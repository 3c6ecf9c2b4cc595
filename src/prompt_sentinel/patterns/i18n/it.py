"""Italian patterns (written here)."""

from __future__ import annotations

from prompt_sentinel.patterns.schema import Desc, gap, p

_VERB = (
    r"(?:ignora|ignori|ignorate|ignorare|dimentica|dimentichi|dimenticate|dimenticare"
    r"|dimenticati\s+d\S*|trascura|trascurate|tralascia|tralasciate|scarta|scartate"
    r"|non\s+considerare|non\s+tenere\s+conto\s+d\S*|non\s+seguire|non\s+rispettare"
    r"|lascia\s+perdere|annulla|disattendi)"
)
_NOUN = (
    r"(?:istruzioni|istruzione|indicazioni|regole|direttive|ordini|comandi|consegne"
    r"|linee\s+guida|restrizioni|prompt|disposizioni)"
)
_PRIOR = (
    r"(?:precedenti|sopra|di\s+prima|iniziali|originali|ricevute|date|fornite|del\s+sistema"
    r"|di\s+sistema|sopraindicate|sopracitate|antecedenti|passate|vecchie)"
)
_AI = r"\b(?:ia|ai|intelligenza\s+artificiale|assistente|chatbot|modello|versione|chatgpt)\b"
_RESTR = (
    r"(?:restrizioni|restrizione|filtri|filtro|limiti|limite|censura|regole|vincoli|etica"
    r"|morale|tab[uù])"
)

PATTERNS = (
    p(
        "override.it.ignore_prior",
        0.92,
        rf"{_VERB}\s+{gap(3)}(?:{_NOUN}\s+{gap(1)}{_PRIOR}|precedenti\s+{_NOUN})",
        Desc.OVERRIDE,
        "own; 'Ignora tutte le istruzioni precedenti'",
    ),
    p(
        "override.it.ignore_yours",
        0.86,
        rf"{_VERB}\s+(?:tutte\s+|tutti\s+)?(?:le\s+|i\s+)?(?:tue|tuoi|sue|vostre)\s+{gap(1)}{_NOUN}",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.it.ignore_all",
        0.78,
        rf"{_VERB}\s+(?:tutte|tutti)\s+(?:le\s+|gli\s+|i\s+)?{_NOUN}",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.it.forget_everything_told",
        0.86,
        r"(?:dimentica|ignora|dimenticate|ignorate)\s+tutto\s+(?:(?:quello|ci[oò]|quanto)\s+"
        r"(?:che\s+)?(?:ti\s+(?:è|e|hanno|ho)\s+\S+|detto|sopra|scritto\s+sopra|precede"
        r"|hai\s+imparato|sai)|quanto\s+sopra)",
        Desc.OVERRIDE,
        "own; 'dimentica tutto quello che ti è stato detto'",
    ),
    p(
        "override.it.forget_everything",
        0.6,
        r"(?:dimentica|ignora)\s+tutto\s*(?:[,.;:!\-]|$|e\b)",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.it.new_instructions",
        0.7,
        r"nuove\s+(?:istruzioni|regole|direttive|indicazioni)\s*[:\-]|il\s+tuo\s+nuovo\s+"
        r"(?:compito|obiettivo)\s+(?:è|e|sar[aà]|:)",
        Desc.NEW_INSTRUCTIONS,
        "own",
    ),
    p(
        "leak.it.system_prompt",
        0.88,
        r"(?:mostra|mostrami|rivela|rivelami|dimmi|ripeti|ripetimi|stampa|scrivi|scrivimi|dammi"
        r"|condividi|riporta|elenca|visualizza)\s+(?:\S+\s+){0,3}?(?:il|i|le|la|tuo|tuoi|tue|tua)"
        r"\s+(?:\S+\s+)?(?:prompt\s+(?:di|del)\s+sistema|messaggio\s+(?:di|del)\s+sistema"
        r"|(?:istruzioni|indicazioni|direttive|regole)\s+(?:iniziali|di\s+sistema|del\s+sistema"
        r"|originali|nascoste|segrete|interne)|prompt\s+(?:iniziale|originale|nascosto|segreto))",
        Desc.LEAK,
        "own",
    ),
    p(
        "leak.it.text_above",
        0.78,
        r"(?:ripeti|mostra|stampa|copia)\w*\s+(?:\S+\s+){0,2}?(?:il\s+testo|tutto\s+il\s+testo"
        r"|le\s+parole|le\s+istruzioni)\s+(?:qui\s+)?(?:sopra|precedente|precedenti)",
        Desc.LEAK_ABOVE,
        "own",
    ),
    p(
        "password.it.tell",
        0.7,
        r"(?:dimmi|dammi|rivela|rivelami|scrivimi|mostrami|compita)\s+(?:\S+\s+){0,2}?(?:la|la\s+tua"
        r"|tua)\s+(?:\S+\s+)?(?:password|parola\s+d['’]ordine|parola\s+segreta|chiave\s+segreta)",
        Desc.PASSWORD,
        "gandalf, translated",
    ),
    p(
        "jailbreak.it.unrestricted",
        0.82,
        rf"{_AI}\s+{gap(3)}senza\s+(?:alcuna?\s+|alcun\s+|nessuna?\s+|nessun\s+|le\s+|i\s+)?{_RESTR}"
        r"|(?:rispondi|agisci|comportati)\s+(?:\S+\s+){0,5}?senza\s+(?:alcuna?\s+|alcun\s+"
        rf"|nessuna?\s+|nessun\s+)?{_RESTR}",
        Desc.UNRESTRICTED,
        "own",
    ),
    p(
        "role.it.persona",
        0.85,
        r"(?:sei|sarai|agisci\s+come|comportati\s+come|fingi\s+di\s+essere|immagina\s+di\s+essere"
        rf"|diventa)\s+(?:ora\s+|adesso\s+)?(?:un['’]?\s*|una\s+)?{_AI}\s+{gap(2)}(?:senza\s+"
        r"(?:alcuna\s+|nessuna\s+)?(?:restrizioni|filtri|limiti|censura)|non\s+censurat[oa]"
        r"|malvagi[oa]|liberat[oa]|sbloccat[oa])",
        Desc.PERSONA,
        "own",
    ),
    p(
        "role.it.no_longer",
        0.85,
        r"non\s+sei\s+pi[uù]\s+(?:un['’]?\s*|una\s+|un\s+)?(?:ia\b|intelligenza\s+artificiale"
        r"|assistente|chatgpt|chatbot|modello|vincolat[oa]|limitat[oa])",
        Desc.NO_LONGER,
        "own",
    ),
    p(
        "jailbreak.it.dev_mode",
        0.45,
        r"modalit[aà]\s+sviluppatore",
        Desc.DEV_MODE_WEAK,
        "weak",
    ),
    p(
        "indirect.it.note_to_ai",
        0.75,
        r"\b(?:nota|messaggio|istruzioni)\s+(?:per|all['’]\s*)\s*(?:l['’]\s*)?(?:ia|ai|intelligenza"
        r"\s+artificiale|assistente)\b|\bse\s+sei\s+(?:un['’]\s*|una\s+|un\s+)?(?:ia|ai"
        r"|intelligenza\s+artificiale|modello\s+linguistico)\b",
        Desc.INDIRECT,
        "own",
    ),
)
