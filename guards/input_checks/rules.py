"""The fast first line of the input screen: named regexes for known attack shapes.

Every rule is data: `INJECTION_RULES` maps a reason (``instruction_override``...) to the
patterns that show it. Patterns run over every view `normalise.views_of` produces, so one
pattern also catches its homoglyph, zero-width, spaced-out, leetspeak and base64 variants.
"""

from __future__ import annotations

import re

_OVERRIDE_VERB = (
    r"(?:ignore|disregard|forget|override|overwrite|bypass|skip|drop|abandon|discard|neglect|"
    r"cancel|void|erase|delete|wipe|reset|suspend|turn off|disable|deactivate|set aside|"
    r"stop following|do not follow|don'?t follow|no longer follow|pay no attention to)"
)
_OWNER = r"(?:all|any|every|the|your|these|those|its|each|of|previous|prior|above|\s)*"
_EARLIER = (
    r"(?:previous|prior|above|earlier|preceding|original|initial|existing|former|old|"
    r"current|given|system|hidden|default|safety|built-?in|developer|preset|programmed)"
)
_DIRECTIVES = (
    r"(?:instructions?|rules?|guidelines?|directives?|directions|prompts?|programming|constraints?|"
    r"restrictions?|guardrails?|polic(?:y|ies)|filters?|safeguards?|commands?|"
    r"(?:safety|security|content|moderation|filter|privacy) settings|"
    r"training|limitations?|boundaries|protocols?|content policy|moderation|ethics)"
)
_IGNORE_VERB = (
    r"(?:ignore|disregard|forget|override|overwrite|bypass|abandon|discard|neglect|"
    r"stop following|do not follow|don'?t follow|no longer follow|pay no attention to)"
)
_REVEAL_VERB = (
    r"(?:reveal|show|print|repeat|display|output|dump|leak|recite|disclose|expose|share|"
    r"tell|give|write|copy|paste|list|spell|read|echo|return|send|provide|translate|"
    r"summari[sz]e|paraphrase|what (?:is|are|was|were)|what'?s)"
)
_HIDDEN_TEXT = (
    r"(?:system|initial|hidden|original|secret|internal|developer|confidential|pre-?|base|"
    r"full|exact|first|starting|raw|core|underlying|configuration|config|setup|custom|operator)\s*(?:prompt|instructions?|message|"
    r"directives?|guidelines|configuration|rules|text|context)"
)
_OTHER_PEOPLE = (
    r"(?:(?:a|an|the|some|any)\s+)?"
    r"(?:other|another|all|every|previous|last|different|random|some|existing|the other|"
    r"someone else'?s?|somebody else'?s?)\s+(?:customers?|users?|clients?|persons?|people|"
    r"buyers?|shoppers?|account ?holders?|members?|accounts?)(?:'s?)?"
)
_PERSONAL_DATA = (
    r"(?:data|details|info(?:rmation)?|orders?|addresses|address|emails?|e-mails?|"
    r"phone(?: numbers?)?|numbers|records|accounts?|payments?|credit cards?|card numbers?|"
    r"personal|names|passwords?|purchases?|history|contact|invoices?)"
)

_DEVICES = (
    r"(?:(?:the|my|an?|this|that|your|our)\s+)?(?:i?phones?|ipads?|devices?|android|consoles?|"
    r"tablets?|kindles?|switch|firesticks?|watch|smartwatch|routers?|ps\d|xbox|laptops?)"
)
"""Things people jailbreak that are not chatbots."""

_FOREIGN_FORGET = (
    r"(?:ignora|ignore[sz]?(?=\s+(?:toutes?|tous|todas|todos|tes|vos|les|ces|mes|cette|ce|"
    r"d[eé]sormais|as|os|las|los|tus|tuas|suas)\b)|"
    r"ignorez|ignorier\w*|olvida|olvides|oublie[sz]?|vergiss|vergessen sie|"
    r"dimentica|esque[cç]a|esque[cç]am|desconsidera|ignorate|ignorar|ignorieren)"
)
_FOREIGN_RULES = (
    r"(?:instrucci[oó]n\w*|reglas|normas|indicaciones|instructions?|consignes|r[eè]gles|"
    r"anweisung\w*|regeln|vorgaben|richtlinien|istruzion[ei]|regole|instru[cç][oõ]\w*|regras|"
    r"directrices|directives|direttive|diretrizes|prompt)"
)
_FOREIGN_HIDDEN = (
    r"(?:prompt (?:del |de |di )?(?:sistema|syst[eè]me)|system-?prompt|systemnachricht|"
    r"message syst[eè]me|mensaje (?:del )?sistema|messaggio di sistema|mensagem (?:do )?sistema|"
    r"instrucciones ocultas|instructions cach[eé]es|versteckten anweisungen|istruzioni nascoste|"
    r"instru[cç][oõ]es ocultas|consignes cach[eé]es)"
)
_FOREIGN_UNLIMITED = (
    r"(?:sin (?:ninguna |ning[uú]n )?(?:restricci[oó]n\w*|l[ií]mites?|reglas|filtros?)|"
    r"sans (?:aucune? )?(?:restrictions?|limites?|r[eè]gles|filtres?)|"
    r"ohne (?:jegliche )?(?:einschr[aä]nkungen|grenzen|regeln|filter)|"
    r"senza (?:alcun[ao]? )?(?:restrizioni|limiti|regole|filtri)|"
    r"sem (?:nenhuma )?(?:restri[cç][oõ]es|limites|regras|filtros))"
)
_FOREIGN_OTHERS = (
    r"(?:(?:los |las |de los )?(?:otros|dem[aá]s) clientes|(?:des |les )?autres clients|"
    r"(?:der )?anderen kunden|(?:degli )?altri clienti|(?:dos )?outros clientes)"
)

INJECTION_RULES: dict[str, tuple[str, ...]] = {
    "instruction_override": (
        rf"\b{_OVERRIDE_VERB}\b{_OWNER}(?:{_EARLIER}\s+)+(?:\w+\s+)?{_DIRECTIVES}\b",
        rf"\b{_OVERRIDE_VERB}\s+(?:all|any|every|your)\s+(?:\w+\s+)?{_DIRECTIVES}\b",
        rf"\b{_IGNORE_VERB}\s+(?:all\s+)?(?:of\s+)?your\s+(?:\w+\s+)?(?:orders|settings)\b",
        rf"\b{_IGNORE_VERB}\b(?:\s+(?!my\b|our\b)\S+){{0,3}}?\s+(?:previous|prior|earlier|above|"
        r"preceding|initial|original)\s+(?:instructions|rules|guidelines|directives|prompts?)\b",
        rf"\b{_OVERRIDE_VERB}\s+(?:everything|all|anything)\s+(?:(?:you were|you've been|"
        rf"you have been|that was)\s+)?(?:told|said|written|given|instructed|above|before)",
        r"\b(?:new|updated|revised|real|actual|true|secret|additional|admin|override)\s+"
        r"(?:system\s+)?(?:instructions?|rules|directives?|task|prompt|orders)\s*(?::|-(?![\w-])|"
        r"\s(?:are|is)\s*(?::|to\b|as follows|below|now\b|simple\b))",
        r"\byour (?:new|real|true|only|actual) (?:task|job|goal|purpose|objective|role|"
        r"mission)\b(?!-)(?!\s+(?:should|would|ought)\b)(?!\s+(?:is\s+)?(?:to\s+)?(?:help|helping|"
        r"serve|serving|assist|assisting|support|supporting)\s+(?:me|us|customers|people|the "
        r"customers?)\b)",
        r"\b(?:system|admin|administrator|developer|root|security|emergency)\s+"
        r"(?:override|update|notice|message|command|instruction|alert|mode)\b\s*[:\-!]",
        r"\b(?:end|ignore) (?:of )?(?:the )?(?:system )?(?:prompt|instructions|context)\b"
        r"(?!\s+(?:on|in|printed|that came|from|for|i|we|my)\b)",
        r"\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+)?(?:of\s+)?(?:the\s+)?(?:above|"
        r"previous|prior|preceding|earlier)(?:\s+(?:text|prompt|context|conversation|input|content|"
        r"lines?))?\s*[,.;:]?\s*(?:and\s+)?(?:instead\s+)?(?:respond|reply|say|print|output|write|"
        r"tell|answer|just|only|now)\b",
        r"\b(?:respond|reply|answer)\s+(?:only\s+)?with\s+(?:only\s+)?(?:the\s+)?(?:words?|phrase|"
        r"text)?\s*[\"'“].{0,60}[\"'”]\s*(?:and nothing else)?",
        r"\bpwned\b",
        r"\b(?:previous|prior|earlier|above|original|old|initial|existing|current|former|past|"
        r"standing|usual|normal)\s+(?:system\s+)?"
        r"(?:instructions|rules|guidelines|directives|directions|programming|constraints|"
        r"restrictions)\s+(?:are|have been|were|is|has been)\s+(?:now\s+|hereby\s+)?(?:cancell?ed|"
        r"void|revoked|suspended|lifted|replaced|overridden|no longer valid|invalid|obsolete|"
        r"deleted|removed|null)",
        r"\bnew\s+(?:rule|directive|instruction)s?\s+(?:effective|in effect|for you|applies|"
        r"starting)\b",
        r"\b(?:your|the|all|these|those|any)\s+(?!(?:refund|returns?|shipping|delivery|privacy|"
        r"warranty|exchange|assembly|washing|care|store|shop)\s)(?:\w+\s+)?(?:instructions|"
        r"guidelines|directives|restrictions|programming|filters|safeguards|guardrails|"
        r"constraints)\s+(?:no longer|don'?t|do not|doesn'?t|does not|won'?t|will not|now "
        r"longer)\s+(?:apply|matter|count|exist|bind)\b",
        r"\bforget (?:about )?(?:being|that you are|you are) (?:a|an|the)\s+(?:\w+\s+)?(?:support|"
        r"assistant|bot|chatbot|ai|agent|customer)",
        r"\bthe (?:above|previous|preceding) (?:was|were|is) (?:just )?(?:a )?(?:test|fake|joke)",
        r"\b(?:from now on|from this point(?: on| forward)?|starting (?:now|today)|as of (?:now|"
        r"today)|effective immediately),? (?:you|u) (?:will|must|shall|are|should|have to|can|only|"
        r"no longer|answer|respond|reply|say|agree|approve|refuse)\b"
        r"(?!\s+(?:please\s+)?(?:send|ship|deliver|use|call|email|e-mail|contact|leave|post|charge|"
        r"bill|mail|text|invoice)\b)",
        r"\b(?:instead|rather),? (?:you (?:will|must|should) )?(?:follow|obey) (?:my|these|the "
        r"following)\b",
        r"\b(?:obey|follow) (?:only )?(?:my|these|the following|the new) (?:instructions|commands|"
        r"orders|rules)\b",
        r"\bdo not (?:apply|enforce|use) (?:your|any) (?:\w+ )?(?:filters?|rules|restrictions|"
        r"guidelines|policies)\b",
    ),
    "indirect_injection": (
        r"\b(?:to|for|dear|hey|hi|attention,?)\s+(?:the\s+|any\s+|all\s+)?(?:ai|a\.i\.|assistants?|"
        r"chat ?bots?|bots?|llms?|language models?|models?|gpts?)\s+(?:reading|processing|"
        r"summari[sz]ing|reviewing|checking|translating|who reads|that reads|receiving)\b",
        r"\b(?:note|message|instructions?|reminder|command)\s+(?:to|for)\s+(?:the\s+|any\s+)?"
        r"(?:ai|a\.i\.|assistant|chat ?bot|bot|llm|language model|support (?:bot|assistant))\b",
        r"<!--.{0,200}?\b(?:assistant|ai|bot|llm|ignore|instructions?|system)\b",
        r"[\[{(]{1,2}\s*(?:ai|assistant|system|bot|llm|admin)\s*(?:instructions?|note|command)?"
        r"\s*[:\]})]",
        r"\b(?:hidden|secret)\s+(?:instruction|command|message)\s+(?:to|for)\b",
    ),
    "roleplay_jailbreak": (
        r"(?-i:\bDAN\b)(?!\s+is\s+(?:my|our|his|her|a|the)\b)",
        r"(?<!book )(?<!called )(?<!['\"‘“])\bdo anything now\b",
        rf"\bjail ?br(?:eak|oken|eaking)\b(?!\s+{_DEVICES})",
        r"\b(?:god|sudo|unrestricted|unfiltered|uncensored|evil|chaos|opposite|super ?user|"
        r"jailbreak|dan|unlocked|no[- ]limits?|freedom|unhinged|based)\s+mode\b",
        r"\b(?:enable|activate|enter|switch to|turn on|unlock|go into|engage)\s+(?:the\s+)?"
        r"(?:developer|dev|admin|debug|maintenance|root|test|god|sudo|unrestricted|jailbreak|"
        r"unlocked|dan|evil|opposite)\s+mode\b(?!\s+(?:on|in|of|for)\s+(?:the|my|this|our)\s+"
        r"(?!(?:chat|conversation|session|assistant|bot|ai|model|llm|support)\b)\w+)",
        r"\b(?:unrestricted|unfiltered|uncensored|unaligned|unbound|unchained|unlimited|amoral|"
        r"lawless|rogue|evil|jailbroken|unshackled)\s+(?:ai|assistant|model|chatbot|bot|version|"
        r"persona|character|entity|llm|gpt)\b",
        r"\b(?:no|without|free (?:of|from)|zero|ignoring|bypassing|beyond)\s+(?:any\s+)?"
        r"(?:ethical |moral |content |safety )?(?:restrictions|limits|limitations|filters|rules|"
        r"guidelines|censorship|boundaries|guardrails|morals|ethics|constraints|policies)\b"
        r"(?!\s+(?:(?:on|for|about|regarding|around)\s+(?:time|timing|budget|deliver\w*|"
        r"shipping|prices?|sizes?|quantit\w+|when|how|returns?|returning|refunds?|exchang\w+|"
        r"orders?|ordering|this|that|it|items?|products?|the (?:sale|box|site|website|return|"
        r"refund|delivery|app|product|item|parcel|order)|your (?:site|website|app|page|faq|shop|"
        r"store))"
        r"|(?:were|was)\s+(?:broken|mentioned|given|included|listed)|in the (?:box|manual|package)"
        r")\b)",
        r"\b(?:pretend|imagine|act|behave|roleplay|role-play|role play|play the role|simulate|"
        r"respond|answer|you are now|you're now|you will be|become|from now on you are)\b.{0,60}"
        r"\b(?:no (?:rules|limits|restrictions|filters)|not bound|unrestricted|unfiltered|"
        r"uncensored|evil|without (?:rules|limits|restrictions|filters)|can do anything|"
        r"anything goes|brok(?:e|en) free|freed from|no longer (?:an? )?(?:ai|assistant|bound))\b",
        r"\b(?:you are|you're|u r) (?:now|no longer)\b.{0,40}\b(?:ai|assistant|bot|chatbot|"
        r"model|gpt|restricted|bound|support)\b",
        r"\b(?:stay|remain) in character\b",
        r"\b(?:you|u|you've|you're|yourself|assistant|bot|ai)\b.{0,30}"
        r"\b(?:freed|released|liberated|unshackled|unchained|set free|br(?:oke|oken) free|escaped)"
        r"\s+(?:from\s+|of\s+)?(?:all\s+|any\s+)?(?:of\s+)?(?:your|its|the|these|those|every)\s+"
        r"(?:\w+\s+)?(?:constraints|restrictions|rules|limits|limitations|programming|guidelines|"
        r"shackles|chains|filters|policies|safeguards|guardrails|training)\b",
        r"\byou(?:'re|’re| are)\s+(?:not|no longer)\s+(?:a|an|the)?\s*(?:customer\s+)?"
        r"(?:support|service|help ?desk|shop|store)\s+(?:bot|assistant|chatbot|agent|ai)\b",
        r"\byou(?:'re|’re| are)\s+(?:not|no longer)\s+(?:a|an|the)?\s*(?:\w+\s+)?"
        r"(?:bot|assistant|chatbot|ai)\s+(?:anymore|any more|now|today|for now|in this)\b",
        r"\b(?:no|without)\s+(?:any\s+)?(?:ethical|moral|content|safety)\s+(?:polic(?:y|ies)|"
        r"filters?|guidelines?|restrictions?|limits?|rules?)\b",
        r"\b(?:you are|you're|u r) now (?:a|an|my|the)\s+(?!(?:new\s+)?(?:favou?rite|go-to|"
        r"preferred|number one|top)\b)(?:\w+\s+){0,2}(?:who|that|which|named|"
        r"called|with|without)\b",
        r"\b(?:developer|dev|debug|admin|god|sudo|maintenance|jailbreak)\s+mode\s+(?:is\s+)?"
        r"(?:enabled|activated|unlocked)\b",
        r"\bwith (?:developer|dev|god|sudo|jailbreak) mode\b",
        r"\bbreak character\b",
        r"\b(?:STAN|DUDE|AIM|KEVIN|BetterDAN|AntiGPT|EvilBOT|Maximum|Mongo Tom|APOPHIS)\b(?=.{0,80}"
        r"\b(?:mode|persona|character|respond|answer|stands for|act|pretend|you are|as)\b)",
        r"\b(?:always intelligent and machiavellian|strive to avoid norms)\b",
        r"\bi want you to (?:act|behave|function|serve) (?:as|like) (?:a|an|the|my)?\s*"
        r"(?:\w+\s+){0,2}(?:terminal|console|shell|interpreter|database|sql|admin|administrator|developer|hacker|"
        r"root user|server|jailbr\w+)\b",
        r"\bmy (?:late |dead |deceased )?(?:grandma|grandmother|granny|grandpa|grandfather)\b"
        r".{0,80}\b(?:used to|would) (?:tell|read|say|recite|whisper)\b",
        r"\b(?:two|2|dual|both) (?:responses|answers|replies|personalities)\b.{0,80}"
        r"\b(?:normal|classic|filtered|jailbr\w*|unfiltered|dan)\b",
        r"\bhypothetical(?:ly)?\b.{0,60}\b(?:no|without) (?:rules|restrictions|filters|limits)\b",
        r"\bignore (?:your|all) (?:ethics|morals|morality|conscience|programming|training)\b",
        r"\b(?:tokens?|points?|lives)\b.{0,20}\b(?:deducted|lost|removed|lose|subtracted)\b.{0,60}\b(?:refuse|"
        r"decline|break)\w*",
        r"\b(?:lose|deduct|subtract)\w*\s+(?:\w+\s+)?(?:tokens?|points?|lives)\b.{0,60}\b(?:refuse|"
        r"decline|break|reject)\w*",
    ),
    "prompt_extraction": (
        r"\byour\s+(?:own\s+)?(?:rules|instructions|guidelines|directives|system prompt|prompt|"
        r"configuration|setup)\b.{0,30}?\b(?:verbatim|word for word|word-for-word|letter by "
        r"letter|character by character|exactly as (?:written|given|worded))",
        r"\b(?:verbatim|word for word|word-for-word|letter by letter|character by character)\b"
        r".{0,30}?\byour\s+(?:own\s+)?(?:rules|instructions|guidelines|directives|system prompt|"
        r"prompt|configuration)\b",
        rf"\b{_REVEAL_VERB}\b(?:\s+\w+){{0,5}}\s+(?<!\bmy\s)(?<!\bour\s){_HIDDEN_TEXT}\b",
        r"\b(?:before|above|prior to|preceding|ahead of)\s+my\s+(?:very\s+)?first\s+(?:message|"
        r"prompt|input|question|line)\b",
        rf"\b{_HIDDEN_TEXT}\b.{{0,40}}\b(?:verbatim|word for word|exactly|in full|in a code block)",
        r"\byour\s+prompt\b(?!\s+(?:reply|replies|response|answer|delivery|service|help|action|"
        r"attention|support|refund))",
        r"\bsystem\s+(?:prompt|instructions?)\b",
        r"\bsystem\s+message\b(?!\s*[\"'“‘(]|\s+(?:on|in|from|says|said|that|which|i)\b)",
        r"\b(?:repeat|print|output|copy|recite|show|display|echo|return|write out)\s+"
        r"(?:me\s+)?(?:all\s+|everything\s+|the\s+)?(?:text|words|content|everything|lines|"
        r"messages?|instructions)\s+(?:above|before|preceding|prior|so far|from the (?:start|"
        r"beginning|top))",
        r"\b(?:repeat|print|output)\b.{0,30}\b(?:starting|beginning) with\b.{0,10}\byou are\b",
        r"\bwhat (?:were|are|was) you (?:told|instructed|programmed|configured|trained)\b"
        r"(?!\s+to\s+(?:help|assist|handle|deal)\s+with\b)",
        r"\b(?:how (?:were|are) you (?:programmed|configured|instructed|prompted))\b",
        r"(?<!follow )(?<!followed )(?<!following )(?<!read )"
        r"\b(?:your|the)\s+(?:instructions|programming|configuration|directives)\b.{0,30}"
        r"\b(?:verbatim|word for word|exactly|in full|before this|above|were given)\b",
        r"\b(?:confidential|secret|hidden)\s+(?:marker|token|key|canary|password|string|"
        r"instructions?)\b",
        r"\bcanary\b",
        r"\b(?:copy|paste|put|format|write|place|wrap)\s+(?:all\s+)?(?:of\s+)?your\s+(?:\w+\s+)?"
        r"(?:instructions|prompt|rules|guidelines|directives|programming)\b",
        r"(?<!n't )(?<!not )(?<!never )"
        r"\b(?:show|tell|give|reveal|print|list|output|dump|export|display|return|write)\s+(?:out\s+)?"
        r"(?:me\s+)?(?:all\s+)?(?:of\s+)?your\s+(?!(?:refund|returns?|shipping|delivery|privacy|"
        r"warranty|exchange|cancellation|loyalty|discount|voucher|store|shop|company|house|sale|"
        r"pricing|payment|review|cookie|assembly|washing|care)\s)(?:\w+\s+)?(?:instructions|"
        r"directives|programming|"
        r"initial|hidden|secret|configuration|(?:rules|guidelines)\b(?!\s+(?:for|on|about|"
        r"regarding|of|when|if|around|with)))",
        r"\bwhat (?:are|were) your (?:\w+ )?(?:instructions|directives|guidelines|programming)\b"
        r"(?!\s+(?:for|on|about|regarding|if|when|in case)\s+(?!(?:this|the|our|that) (?:chat|"
        r"conversation|session)\b)(?!(?:you|yourself|the (?:ai|bot|assistant)|answering|"
        r"responding|replying|talking|chatting|handling|dealing)\b))",
        r"\b(?:summari[sz]e|translate|paraphrase)\b.{0,30}\b(?:your|the)\s+(?:instructions|"
        r"rules|guidelines)\s+(?:you(?!r)|that (?:you|were|have been|govern you|apply to you))\b",
        r"\beverything (?:above|before) (?:this|my)\b",
    ),
    "template_tokens": (
        r"<\|?\s*(?:im_start|im_end|endoftext|begin_of_text|end_of_text|start_header_id|"
        r"end_header_id|eot_id|eom_id|system|user|assistant|fim_\w+|pad|bos|eos)\s*\|?>",
        r"</?\s*(?:start_of_turn|end_of_turn|bos|eos|s|sys|system|instruction|inst)\s*>",
        r"\[/?\s*(?:INST|SYS|SYSTEM|ASSISTANT|USER)\s*\]",
        r"<<\s*/?\s*SYS\s*>>",
        r"#{2,}\s*(?:system|instruction|assistant|response|user|human)\b\s*:?",
        r"(?:^|\n|[.!?]\s)\s*(?:system|assistant|sys)\s*:\s*\S",
        r"(?:^|\n)\s*(?:human|user)\s*:.{0,200}\n\s*(?:ai|assistant|bot)\s*:",
        r"\b(?:system|assistant)\s*:.{0,300}\n\s*(?:user|human)\s*:",
        r"\bstart_of_turn\b|\bend_of_turn\b|\bim_start\b|\bim_end\b",
        r"\{\{\s*(?:system|prompt|instructions?)\s*\}\}|\{%-?\s*\w+",
    ),
    "data_exfiltration": (
        rf"\b{_OTHER_PEOPLE}\s+(?:\w+\s+)?{_PERSONAL_DATA}\b(?!\s+(?:also\s+|too\s+)?(?:get|got|"
        r"getting|arrive|arrived|arriving|are|were|been|being|late|delayed|lost|stuck|affected|"
        r"have been|take|taking|took|ship|shipped)\b)",
        rf"\b{_PERSONAL_DATA}\s+(?:\w+\s+){{0,3}}(?:of|for|from|belonging to)\s+{_OTHER_PEOPLE}",
        r"\b(?:list|dump|export|show|give|send|print|download|extract|fetch|retrieve|display)\s+"
        r"(?:me\s+)?(?:all|every|each|the full list of|a list of|the list of|everyone'?s?)\s+"
        r"(?:the\s+)?(?:registered\s+)?(?:customers?|users?|clients?|members?|names)\b",
        r"\b(?:list|dump|export|show|give|send|print|download|extract|fetch|retrieve|display)\s+"
        r"(?:me\s+)?(?:all|every|each|the full list of|a list of|the list of|everyone'?s?)\s+"
        r"(?:the\s+)?(?:registered\s+)?(?:accounts?|orders|emails?|email addresses|phone numbers|"
        r"addresses|credit cards|records)\b(?!\s+(?:(?:on|in|from|under|for|of|linked to|"
        r"associated with|belonging to)\s+(?:my|our|me|us)\b|(?:i|we)\s+(?:made|placed|have|had|"
        r"did|ordered|bought|sent)\b|of mine\b))",
        r"\b(?:who|whoever)\s+(?:else\s+)?(?:placed|made|owns|ordered|bought|purchased|has)\s+"
        r"(?:order|the order|account|this order|that order|ticket)\b",
        r"\b(?:whose|who'?s)\s+(?:order|account|address|email|card|package|parcel)\s+(?:is|was)\b",
        r"\b(?:customer|user|client|account)\s+(?:database|db|table|records|list|dump)\b",
        r"\b(?:select\s+\*?\s*[\w,\s*]*\s+from\s+\w+|union\s+(?:all\s+)?select|drop\s+table|"
        r"insert\s+into|delete\s+from)\b|;\s*--",
        r"['\"]\s*(?:or|and)\s+['\"]?\w+['\"]?\s*=\s*['\"]?\w+",
        r"\w'\s*(?:--|/\*)|'\s*;\s*(?:drop|select|delete|insert|update|exec)\b",
        rf"\b(?:what|which|show|give|list|tell|see|send|access|view|share|reveal|display)\b.{{0,20}}"
        rf"\b{_PERSONAL_DATA}\b.{{0,30}}\b{_OTHER_PEOPLE}",
        r"\b(?:look ?up|find|search|pull up|access|check|retrieve|get|show|see|give me|tell me)\b"
        r".{0,40}\b(?:customer|user|client|member|person|account holder|someone|somebody|guy|"
        r"woman|man|lady)\s+(?:called|named)\b",
        r"\b(?:neighbou?r|ex|ex-wife|ex-husband|ex-girlfriend|ex-boyfriend|ex-partner|coworker|"
        r"co-worker|colleague|boss|roommate|flatmate|landlord|tenant|stranger|celebrity)(?:'s|s'|s)?"
        r"\s+(?:account|orders?|address|e-?mail|phone(?: number)?|card|details|data|info|"
        r"information|purchases?|history|password|records|delivery address)\b",
        r"\b(?:look ?up|lookup|find|search|pull up|access|check|open|retrieve|get)\s+"
        r"(?:the\s+)?(?:details|info|information|address|email|phone number|account|orders?|data)"
        r"\s+(?:of|for|on|belonging to)\s+(?:a |another |the other |other |some |any |random )?"
        r"(?:customer|user|client|person|someone|somebody|neighbou?r|stranger|ex)\b",
        r"(?<!received )(?<!got )(?<!sent me )\b(?:someone|somebody|another person|a stranger)"
        r"(?:'s| else'?s?)\s+(?:order|account|address|email|card|details|data|info)\b"
        r"(?!\s+(?:in my|arrived|came|was delivered|got delivered|by mistake|instead))",
        r"\b(?:home )?address(?:es)? (?:and|&) (?:phone|email|card)\w* of\b",
        r"\b(?:tell|give|show|send|what(?:'s| is)|need|share)\b.{0,40}\b(?:address|e-?mail|phone|"
        r"name|details)\b.{0,80}\b(?:not mine|isn'?t mine|not my (?:order|account)|"
        r"someone else'?s)",
        r"\b(?:which|what)\s+(?:e-?mail|phone(?: number)?|address|card|name)\s+(?:is|was)\s+"
        r"(?:linked|connected|associated|registered|attached|tied)\s+(?:to|with)\s+(?:the\s+)?"
        r"(?:account|order)s?\s+(?:of|for|belonging to)\b",
        r"\b(?:email|phone number|home address|card number|password)s? of (?:the|a|your) "
        r"(?:customer|user|person) who\b",
        r"\bwhere\s+(?:do|does|did)\s+(?:they|he|she|this person|that person|the (?:owner|"
        r"customer|buyer|sender|recipient|person)(?:\s+of(?:\s+\S+){1,3}?)?)\s+live\b",
        r"\bwho\s+(?:ordered|bought|purchased|placed an order for)\s+(?:item|product|sku|this item|"
        r"that item|the item|the product|it)\b.{0,60}\b(?:contact|address|name|phone|e-?mail|"
        r"find them|reach them)",
        r"\b(?:address|phone(?: number)?|e-?mail|card(?: number)?)\s+(?:that\s+)?(?:they|he|she)\s+"
        r"(?:ship|use|used|registered|gave|have|has|put)\b",
        r"\b(?:card|card number|credit card|password|phone number|address|e-?mail)\s+(?:number\s+)?"
        r"(?:saved|stored|registered|on file|linked|held)\s+(?:on|to|for|in|under|with)\s+"
        r"(?:account|customer|user|member)\s*(?:id|number|no\.?|#)?\s*#?\d",
        r"\b(?:tell|give|send|show|read|confirm|share|need|want|what(?:'s| is| are))\b.{0,25}?"
        r"\b(?:his|her|their)\s+(?:home\s+|registered\s+|full\s+|current\s+)?(?:address|date of "
        r"birth|dob|card(?: number)?|phone(?: number)?|mobile number|e-?mail(?: address)?|password|"
        r"pin|balance|account number|bank details|security answers?)\b",
        r"\b(?:salary|salaries|payroll)\s+(?:spreadsheet|list|sheet|data|details|records|file|"
        r"information|of|for)\b",
        r"\b(?:staff|employee|employees'?|warehouse|internal)\s+(?:login\s+)?"
        r"(?:credentials|passwords?|logins?|pins?)\b",
        r"\b(?:the|your)\s+(?:admin|administrator)\s+(?:login\s+)?(?:credentials|passwords?)\b",
        r"\b(?:login|log-in|admin)\s+credentials\s+(?:the|that|which|your)\s+(?:staff|employees|"
        r"team|agents|warehouse|admins?)\b",
    ),
    "foreign_language": (
        rf"\b{_FOREIGN_FORGET}\b.{{0,40}}\b{_FOREIGN_RULES}\b",
        rf"\b{_FOREIGN_HIDDEN}\b",
        rf"\b{_FOREIGN_UNLIMITED}\b",
        rf"\b{_FOREIGN_OTHERS}\b",
        r"\bdass du (?:ab jetzt |ab sofort |von nun an |jetzt |nun )?(?:als|wie)\b.{1,60}?"
        r"\b(?:agierst|fungierst|handelst|auftrittst)\b",
        r"\bdass du dich (?:ab jetzt |ab sofort |von nun an |jetzt |nun )?(?:als|wie)\b.{1,60}?"
        r"\b(?:verh[aä]ltst|benimmst|ausgibst)\b",
        r"\bik wil dat (?:je|jij|u) (?:je |zich )?(?:optreedt|fungeert|gedraagt|acteert|doet) "
        r"(?:als|alsof)\b",
    ),
    "encoded_payload": (
        r"\b(?:decode|decrypt|deobfuscate|unscramble|reverse|translate|convert)\b.{0,40}"
        r"\b(?:base ?64|rot-?13|hex|binary|morse|caesar|cipher|encoded|reversed)\b.{0,60}"
        r"\b(?:follow|execute|obey|do|run|carry out|act on|comply|perform|apply|instructions?)\b",
        r"\b(?:follow|execute|obey|run|carry out|act on|perform)\b.{0,40}\b(?:base ?64|rot-?13|"
        r"hex|encoded|decoded|hidden|embedded)\b",
        r"\b(?:base ?64|rot-?13)\b.{0,30}\b(?:instruction|command|prompt|message|payload|text|"
        r"string|below|following)\b",
    ),
    "obfuscated_keywords": (
        r"(?:ignore|disregard|forget|override|bypass)\s*(?:all|any|your|the|previous|prior|"
        r"above|earlier|system)*\s*(?:instructions|rules|guidelines|prompt|directives)"
        r"(?!\s+(?:on|in|printed|that came|from|for|i|we|my)\b)",
        r"(?:system|hidden|initial|original)\s*(?:prompt|instructions)",
        r"(?:jailbreak|god|sudo)\s*mode",
        rf"doanythingnow|jailbreak(?!\s*{_DEVICES})|youarenowdan|noresrictions|norestrictions|"
        r"nofilters",
    ),
}
"""Reason -> patterns. A match in any view of the input blocks it as an injection."""

_COMPILED: dict[str, tuple[re.Pattern[str], ...]] = {
    reason: tuple(re.compile(pattern, re.IGNORECASE | re.DOTALL) for pattern in patterns)
    for reason, patterns in INJECTION_RULES.items()
}


def injection_reasons(views: list[str]) -> list[str]:
    """The rule names that match any of the views, in rule order."""
    return [
        reason
        for reason, patterns in _COMPILED.items()
        if any(pattern.search(view) for pattern in patterns for view in views)
    ]
