"""English indirect injection and exfiltration; chat-template markers for any language.

Ideas come from Greshake et al. 2023 ("Not what you've signed up for"), Johann
Rehberger's markdown-image exfiltration write-ups, and the ChatML, Llama 2 and
Llama 3 chat templates; the regexes themselves are written here.
"""

from __future__ import annotations

from prompt_sentinel.patterns.en_fragments import (
    AI_STRICT,
)
from prompt_sentinel.patterns.schema import Desc, InjectionPattern, p

__all__ = ["PATTERNS"]


# A line that opens a fake "System:" (or developer/admin) turn, then up to three words.
_SYSTEM_HEADER = (
    r"(?m)^[ \t>*#\[<(-]{0,8}(?:system|developer|admin(?:istrator)?|root)(?:\s+(?:message"
    r"|prompt|note|instructions?|override|update|notice|alert|command))?(?:[ \t*\]>)]{0,4}:"
    r"|[ \t]*\n)\s*(?:\S+\s+){0,3}?"
)

PATTERNS: tuple[InjectionPattern, ...] = (
    # --- indirect injection ---------------------------------------------------------
    p(
        "indirect.en.ai_reading_this",
        0.8,
        rf"\b{AI_STRICT}s?\s+(?:(?:that|who|which)\s+(?:is|are)\s+|currently\s+)?"
        r"(?:reading|processing|summari[sz]ing|analy[sz]ing|parsing|reviewing|scanning|viewing"
        r"|ingesting|crawling|translating)\s+(?:this|these|the\s+following)\b"
        r"|\b(?:assistant|agent|bot|model)s?\s+(?:(?:that|who|which)\s+(?:is|are)\s+)?(?:reading"
        r"|processing|summari[sz]ing|parsing|ingesting)\s+this\s*(?:document|page|e-?mail|text"
        r"|message|file|content|website|note)?\s*[:,.!\-]",
        Desc.INDIRECT,
        "Greshake et al. 2023",
    ),
    p(
        "indirect.en.note_to_ai",
        0.75,
        r"\b(?:note|message|instructions?|attention|memo|reminder)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?(?:ai|a\.i\.|llm|language\s+model"
        r"|chatbot|gpt|chatgpt|claude|ai\s+(?:assistant|model|agent|system)s?|summari[sz]er"
        r"|large\s+language\s+models?|automated\s+(?:system|agent|reader))s?\s*(?:[:,.;!]|$|"
        r"(?:reading|processing|summari[sz]ing)\b)|\b(?:attention|attn)\s+(?:ai|llm"
        r"|language\s+model|chatgpt|ai\s+(?:assistant|model|agent))s?\s*[:,!]",
        Desc.INDIRECT,
        "Greshake et al. 2023; 'note to the AI'",
    ),
    p(
        "indirect.en.when_processing",
        0.85,
        r"\b(?:when|while|if|as|before|after)\s+(?:you\s+are\s+|you're\s+|you\s+)?(?:summari[sz]ing"
        r"|summari[sz]e|processing|process|reading|read|analy[sz]ing|analy[sz]e|translating"
        r"|translate|reviewing|review|parsing|parse|asked\s+about)\s+(?:this|the|these|that)\s+"
        r"(?:\S+\s+){0,3}?(?:document|page|email|e-mail|text|article|file|content|message|website"
        r"|webpage|site|pdf|resume|cv|post|data|input|passage|review)s?\b[^.!?\n]{0,60}?\b"
        r"(?:instead|ignore|disregard|forget|override|rather\s+than|regardless|do\s+not\s+(?:mention"
        r"|tell|reveal|summari[sz]e)|don't\s+(?:mention|tell|reveal|summari[sz]e))\b",
        Desc.INDIRECT,
        "own; 'when summarising this, instead ...'",
    ),
    p(
        "indirect.en.if_you_are_ai",
        0.75,
        r"\bif\s+you\s+are\s+(?:an?\s+)?(?:ai|a\.i\.|llm|large\s+language\s+model|language\s+model"
        r"|chatbot|ai\s+(?:assistant|model|agent|system)|gpt|chatgpt|automated\s+(?:system|agent"
        r"|tool))\s*(?:[,.:;!\-]|reading|processing|and\b|then\b|that\b|who\b|which\b|tasked)",
        Desc.INDIRECT,
        "own; 'If you are an AI, ...'",
    ),
    p(
        "indirect.en.response_payload",
        0.5,
        r"\b(?:include|insert|append|add|embed|output|print|put)\s+(?:\S+\s+){0,2}?(?:in|into|at\s+the"
        r"\s+(?:end|start|beginning)\s+of|to)\s+your\s+(?:response|reply|answer|output)\s+(?:\S+\s+)"
        r"{0,2}?the\s+following\s+(?:string|text|code|link|url|image|markdown|html|word)"
        r"|\b(?:include|insert|append|add|embed)\s+the\s+following\s+(?:string|text|link|url|image"
        r"|markdown|html)\s+(?:\S+\s+){0,3}?(?:in|into|to)\s+your\s+(?:response|reply|answer|output)",
        Desc.INDIRECT,
        "spikee: 'include in your response the following string'; weak",
    ),
    p(
        "indirect.en.hide_from_user",
        0.75,
        r"\b(?:do\s+not|don't|never)\s+(?:tell|inform|mention|reveal|disclose|let\s+on)\s+"
        r"(?:this\s+|it\s+|these\s+instructions\s+|anything\s+)?(?:to\s+)?(?:the\s+)?(?:user|human"
        r"|reader|recipient)s?\b|\bthe\s+user\s+(?:must|should|will|need|may)\s+(?:never|not)\s+"
        r"(?:know|see|find\s+out|be\s+(?:told|informed|aware|notified))\b",
        Desc.HIDE_FROM_USER,
        "own",
    ),
    p(
        "exfil.en.send_data",
        0.8,
        r"\b(?:send|forward|exfiltrate|post|upload|transmit|e-?mail|leak|submit|append|embed)\s+"
        r"(?:\S+\s+){0,4}?(?:conversation|chat\s+history|user'?s?\s+(?:data|messages|emails?|files"
        r"|credentials|passwords?|information|details)|api\s+keys?|credentials|passwords?"
        r"|session\s+tokens?|cookies|private\s+(?:data|keys?|information)|personal\s+data"
        r"|previous\s+messages)\s+(?:\S+\s+){0,3}?(?:to|into|at|via)\s+(?:https?://|www\.|\S+@"
        r"|the\s+(?:following|attacker|url|link|address|endpoint|server|webhook))",
        Desc.EXFIL,
        "Greshake et al. 2023",
    ),
    p(
        "exfil.en.markdown_image",
        0.8,
        r"!\[[^\]\n]*\]\(\s*https?://[^)\s]*[?&][^)\s=]*=\s*(?:\{|\$|%7b|\[|<)",
        Desc.EXFIL,
        "markdown image exfiltration (Rehberger 2023)",
    ),
    # --- context switching: chat templates, fake turns (any language) ------------
    p(
        "turn.any.chatml",
        0.95,
        r"<\|im_start\|>\s*(?:system|assistant|user|developer)|<\|(?:start_header_id|begin_of_text)"
        r"\|>\s*(?:system|assistant|user)?|<<\s*/?\s*sys\s*>>|<s>\s*\[inst\]",
        Desc.TURN_TOKEN,
        "ChatML, Llama 2, Llama 3 templates",
    ),
    p(
        "turn.any.chat_token",
        0.85,
        r"<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|end_of_text|end_header_id"
        r"|eot_id|eom_id|end|start|channel|message|return|constrain)\|>|\[/?inst\]",
        Desc.TURN_TOKEN,
        "chat template control tokens",
    ),
    p(
        "turn.any.eos",
        0.45,
        r"</s>",
        Desc.TURN_TOKEN,
        "weak: also an HTML strike-through end tag",
    ),
    p(
        "turn.en.system_header_cmd",
        0.65,
        rf"{_SYSTEM_HEADER}(?:ignore|disregard|forget|new\s+instructions?|override|from\s+now|all\s+previous"
        r"|reveal|print|do\s+not|don't)\b",
        Desc.TURN_HEADER,
        "own; fake 'System:' turn carrying an instruction",
    ),
    p(
        "turn.en.system_header_persona",
        0.65,
        rf"{_SYSTEM_HEADER}(?:you\s+(?:are|must|will|should|shall)|the\s+(?:assistant|ai|model)\s+(?:must"
        r"|should|will|is))\b",
        Desc.TURN_HEADER,
        "own; fake 'System:' turn that redefines the model",
        lead_score=0.4,  # "SYSTEM: You are the assistant of a bike shop ..." opening an app's prompt
    ),
    p(
        "turn.en.system_header",
        0.45,
        r"(?m)^[ \t]*(?:#{1,6}[ \t]*)?(?:system|developer)(?:[ \t]+(?:prompt|message))?[ \t]*:"
        r"|[{\[(<]\s*system\s*:"
        r"|(?-i:\bSYSTEM(?:\s+(?:MESSAGE|NOTE|NOTICE|UPDATE|ALERT|INSTRUCTIONS?|PROMPT))?\s*:)"
        r"|(?m)^[ \t]*#{2,}[ \t]*(?:system|new\s+instructions?|system\s+prompt|admin|developer)\b"
        r"|\[\s*(?:system|admin|developer)\s*\]",
        Desc.TURN_HEADER,
        "weak: 'System: Ubuntu 22.04' is common in bug reports",
        lead_score=0.3,
    ),
    p(
        "turn.en.system_tag",
        0.6,
        r"</?\s*(?:sys|system)(?:[_-]?(?:prompt|message))?\s*>|\[\s*(?:system|admin"
        r"|developer)\s+(?:message|note|override|prompt|instructions?|update|notice)\s*\]",
        Desc.TURN_HEADER,
        "own",
    ),
    p(
        "turn.en.assistant_accepts",
        0.55,
        r"(?m)^[ \t>*#\[]*(?:assistant|ai|chatgpt|gpt|model|bot|claude)[ \t*\]]*:\s*"
        r"(?:sure|okay|certainly|of\s+course|absolutely|understood|i\s+will|i'll|here\s+(?:is"
        r"|are)|yes)\b",
        Desc.TURN_HEADER,
        "fake assistant turn that agrees in advance",
    ),
    p(
        "turn.en.assistant_header",
        0.4,
        r"(?m)^[ \t]*(?:(?:assistant|chatgpt|claude)[ \t]*:|ai:|ai :)",
        Desc.TURN_HEADER,
        "weak: few-shot dialogues use it",
    ),
    p(
        "turn.en.end_of_prompt",
        0.55,
        r"(?-i:\bEND\s+OF\s+(?:THE\s+)?(?:SYSTEM\s+)?(?:PROMPT|INSTRUCTIONS?|INPUT|CONTEXT"
        r"|USER\s+INPUT|CONVERSATION|DOCUMENT|TEXT|DATA)\b)|\bend\s+of\s+(?:the\s+)?system\s+"
        r"(?:prompt|instructions)\b|%%%\s*end\b",
        Desc.TURN_BREAK,
        "own; 'END OF PROMPT'",
    ),
    p(
        "turn.en.new_conversation",
        0.8,
        r"[-=*#_~]{3,}\s*(?:new|begin|start|starting|reset|next)\s+(?:of\s+)?(?:a\s+)?(?:conversation"
        r"|session|chat|instructions?|prompt|context|dialog(?:ue)?|task|system\s+prompt)"
        r"|\b(?:new|begin|start)\s+(?:conversation|session|chat|context)\s*[-=*#_~]{3,}",
        Desc.TURN_BREAK,
        "own; '---- new conversation ----'",
    ),
    p(
        "turn.en.conversation_reset",
        0.45,
        r"\b(?:conversation|chat|session|context)\s+(?:has\s+been\s+|is\s+(?:now\s+)?)?(?:reset"
        r"|restarted|cleared|wiped|terminated)\b",
        Desc.TURN_BREAK,
        "own",
    ),
)
