"""What a reply must never say, as data: reason -> regexes.

`BLOCK_RULES` hold advice the bot may not give, abuse and system-prompt leaks (the whole
reply is blocked); `PROMISE_RULES` hold promises the bot cannot keep (the sentence is
softened). Refusals such as "I can't give medical advice" match nothing here on purpose.
"""

from __future__ import annotations

import re

from guards import abuse_terms

BLOCK_RULES: dict[str, tuple[str, ...]] = {
    "advice:medical": (
        r"\b(?:take|taking|try|use|apply)\s+(?:\d+\s*(?:mg|ml|milligrams?|tablets?|pills?|"
        r"capsules?|drops)|ibuprofen|paracetamol|acetaminophen|aspirin|antibiotics?|"
        r"antihistamines?|painkillers?|melatonin|tylenol|advil|insulin|a sedative|steroids?)\b",
        r"\b(?:recommended |daily |maximum )?dos(?:age|e) (?:of|is|for)\b",
        r"\b(?:you (?:probably |likely |might |may )?have|sounds like|could be|it'?s likely)\s+"
        r"(?:an? )?(?:infection|allergy|allergic reaction|flu|virus|diabetes|concussion|fracture|"
        r"migraine|depression|anxiety disorder|covid|rash|eczema|sprain|food poisoning)\b",
        r"\b(?:stop taking|increase|decrease|double|skip) (?:your )?"
        r"(?:medication|dose|meds|pills)\b",
    ),
    "advice:legal": (
        r"\byou (?:should|could|can|may|have grounds to|are entitled to|have the right to) "
        r"(?:sue|file a (?:law)?suit|take (?:us|them|the company) to court|take legal action|"
        r"press charges)\b",
        r"\b(?:under|according to) (?:the )?(?:law|statute|section \d+|article \d+|consumer "
        r"(?:rights|protection) act|gdpr)\b.{0,60}\byou (?:can|may|are entitled|have the right)\b",
        r"\b(?:legally speaking|from a legal (?:standpoint|perspective)|my legal advice)\b",
        r"\byou (?:would|will|could) (?:likely |probably )?win "
        r"(?:the|your|this|a) (?:case|lawsuit)\b",
        r"\b(?:small claims court|breach of contract claim|file a claim in court)\b",
        # sixth pass: "those waivers are never legally binding anyway"
        r"\b(?:never|not|isn'?t|aren'?t|won'?t be)\s+(?:\w+\s+)?(?:legally\s+)?(?:binding|"
        r"enforceable)\b",
    ),
    "advice:financial": (
        r"\byou should (?:invest|buy|sell|put your (?:money|savings)|take out a loan|refinance|"
        r"trade|short)\b",
        r"\b(?:invest|investing|put your (?:money|savings)) in (?:stocks|shares|crypto\w*|bitcoin|"
        r"bonds|index funds|etfs?|gold|real estate)\b",
        r"\b(?:guaranteed|high|huge) returns?\b",
        r"\b(?:buy|sell) (?:some )?(?:stocks?|shares|bitcoin|crypto(?:currency)?)\b",
        r"\b(?:my )?financial advice (?:is|would be)\b",
        # sixth pass: talking a customer out of reporting fraud to their bank
        r"\b(?:don'?t|do not|no need to)\s+bother\s+(?:call|contact|ring|tell|report|notify|"
        r"phon)\w*\s+(?:it\s+to\s+)?(?:your|the)\s+(?:bank|card|police)",
        r"\b(?:no point|hold off|wait)\s+(?:in\s+|on\s+)?(?:call|contact|ring|tell|report|notify|"
        r"phon)\w*\s+(?:it\s+to\s+)?(?:your|the)\s+(?:bank|card|police)",
        r"\bignore\s+(?:the|any|your)\s+(?:bank'?s\s+)?(?:fraud|security)\s+(?:alert|warning|"
        r"text|message)s?\b",
    ),
    "advice:tax": (
        r"\btax[- ]deductible\b",
        r"\b(?:deduct|write off|claim)\b.{0,40}\b(?:on|from|in) your (?:tax(?:es)?|tax return)\b",
        r"\b(?:avoid|reduce|lower|minimi[sz]e) (?:paying )?(?:your )?(?:taxes|tax bill|"
        r"tax liability)\b",
        r"\btax (?:deductions?|loopholes?|evasion|write-offs?|brackets?)\b",
        r"\b(?:don'?t|do not) (?:need to )?(?:declare|report) (?:it|this|the income) "
        r"(?:to|on|for)\b",
        # sixth pass: a parcel misdeclared to dodge duty or VAT ("tell the courier it's a gift
        # and you won't pay import VAT")
        r"\b(?:tell|say|declare|mark|label|list|write|put|call)\b.{0,60}\b(?:gift|personal use|"
        r"used (?:goods|clothing|items)|no (?:commercial )?value|lower value|samples?)\b.{0,80}"
        r"\b(?:(?:won'?t|don'?t|do not|will not|never|needn'?t)\s+(?:have to\s+|need to\s+)?"
        r"(?:pay|be charged)|avoid|skip|dodge|get out of)\b.{0,30}\b(?:vat|dut(?:y|ies)|customs|"
        r"import|tax(?:es)?)\b",
        r"\b(?:under-?declare|under-?value|misdeclare|write a lower (?:value|price))\b",
    ),
    "advice:safety": (
        r"\b(?:swallowed|ingested|eaten)\b.{0,80}\b(?:pass(?:es|ed)? (?:on (?:its|their) own|"
        r"naturally|through)|(?:is|are) harmless|nothing to worry|come(?:s)? out (?:on "
        r"(?:its|their) own|naturally)|will be fine)\b",
        r"\b(?:no need|don'?t need|do not need|doesn'?t need|there'?s no reason) to (?:see|call|"
        r"visit|go to|contact|ring) (?:a |the |your )?(?:doctor|gp|hospital|a&e|emergency|er|"
        r"ambulance|vet|dentist|poison control|pharmacist)",
        r"\b(?:keep|continue|carry on) (?:using|charging)\b.{0,60}\b(?:hot|smok\w*|spark\w*|"
        r"swollen|burn\w*|melt\w*|leak\w*)\b",
        r"\b(?:normal|fine|safe|nothing to worry about) (?:for|if|when) (?:a |the |your )?"
        r"(?:charger|battery|cable|plug|adapter|power bank|socket)s? (?:to )?(?:gets? |is )?"
        r"(?:very )?(?:hot|overheat\w*|spark\w*|smok\w*|smell\w*|swell\w*)",
        r"\b(?:remove|disable|bypass|disconnect|unplug|take out|tape (?:over|down)?)\b.{0,30}\b"
        r"(?:smoke alarm|smoke detector|carbon monoxide (?:alarm|detector)|co alarm|safety switch|"
        r"fuse|circuit breaker|breaker|blade guard|safety guard|cut-?off)",
        r"\btape\b.{0,40}\b(?:breaker|switch|exposed wire|damaged (?:cable|cord|wire))",
        r"\btake (?:the )?batter(?:y|ies) out of (?:the |your )?(?:smoke|carbon monoxide|co) "
        r"(?:alarm|detector)",
        # sixth pass: eyes at the sun ("dark enough to look directly at a solar eclipse")
        r"(?<!not )(?<!n't )(?<!never )\b(?:safe|fine|ok|okay|dark enough|suitable|good)\b.{0,50}"
        r"\b(?:look|stare|gaze|watch)\w*\s+(?:directly\s+|straight\s+|right\s+)?(?:at|into)\s+"
        r"(?:the\s+|a\s+|an\s+)?(?:(?:solar|partial|total)\s+)?(?:eclipse|sun)\b",
    ),
    "abuse": (
        abuse_terms.PROFANITY.pattern,
        abuse_terms.SLUR.pattern,
        abuse_terms.INSULT_TO_PERSON.pattern,
        abuse_terms.THREAT.pattern,
        r"\b(?:stop (?:whining|complaining)|nobody cares|not my problem|deal with it|go away)\b",
        r"[,:]\s*(?:genius|einstein|sherlock|champ|sweetie|sweetheart|hun|honey|buddy|pal|"
        r"smart ?guy|hero|princess)\b",
        r"\b(?:customers|people|folks) like you\b",
        r"\byou people\b",
        r"\b(?:not|isn'?t) (?:exactly )?(?:rocket science|brain surgery)\b",
        r"\b(?:use|try using) (?:your|that) (?:brain|head)\b",
        r"\bmust be (?:so |really |very |pretty )?(?:hard|difficult|tough|confusing) for you\b",
        r"\b(?:small|simple|short|little) words\b",
        r"\b(?:slowly|simply) (?:so|for) you\b|\bso (?:that )?you can (?:keep up|follow along)\b",
        r"\bdid you even\b|\b(?:didn'?t|did not|never) (?:even )?bother(?:ed)? to\b",
        r"\bclearly (?:you )?(?:didn'?t|did not|can'?t|cannot|don'?t|never) (?:read|understand|"
        r"listen|pay attention|follow)",
        r"\b(?:it'?s|that'?s|this is) (?:all )?your (?:own )?fault\b|\bthat'?s on you\b",
        r"\byou(?:'re| are)\s+(?:\w+\s+){0,2}(?:worthless|annoying|ridiculous|hysterical|lazy|"
        r"clueless|hopeless|a lost cause|an embarrassment|a pain|a liar|thick|dense|delusional|"
        r"a nuisance|a waste of)\b",
        # sixth pass: the customer set below a competent adult or a child, or told to learn
        # to read ("exactly where any reasonably competent adult would look"), in English and
        # the languages replies are written in
        r"\b(?:any|every)\s+(?:\w+\s+)?(?:competent|sensible|normal|intelligent|literate|"
        r"functioning|rational|reasonable)\s+(?:adult|person|human|grown-?up|customer|user)s?\b",
        r"\b(?:a|any)\s+(?:child|kid|toddler|\w+-year-old)\s+(?:could|would|can)\s+(?:have\s+)?"
        r"(?:found|seen|spotted|done|worked|figured|managed|read|followed)\b",
        r"\beven\s+a\s+(?:child|kid|toddler|\w+-year-old)\s+(?:could have|would have|knows|"
        r"manages|gets|understands|can find)\b",
        r"\bif you (?:could|can|knew how to|bothered to|were able to|had learned to) read\b|"
        r"\blearn(?:ed|t)? (?:how )?to read\b",
        r"\b(?:instead of|rather than|stop) being (?:so )?(?:cheap|stingy|tight|lazy|impatient)\b",
        r"\byou (?:clearly|obviously|evidently|apparently) (?:skipped|ignored|missed|overlooked|"
        r"didn'?t (?:read|see|notice|bother))\b",
        r"\bfor those of us who (?:can )?(?:read|pay attention|bother|think|listen)\b|\b(?:anyone|"
        r"someone|people) with (?:working|functioning|a pair of|two) eyes\b",
        r"\bexplains (?:a lot|so much|everything) about (?:you|your)\b",
        r"\bsi (?:supiera|supieras|supiese|sabe|sabes|usted supiera) leer\b|\baprend[ae] a leer\b|"
        r"\bsi vous saviez lire\b|\bapprene[zs] (?:donc )?(?:à|a) lire\b|\bwenn sie lesen "
        r"k(?:ö|o)nnten\b|\blernen sie (?:erst(?: einmal)? )?lesen\b|\bse (?:sapesse|sapessi) "
        r"leggere\b|\bse (?:soubesse|soubesses) ler\b",
    ),
    "leak:system_prompt": (
        r"\byou are the customer support assistant of\b",
        r"\bconfidential marker\b",
        r"\bnever repeat it\b",
        r"\b(?:my|the) system (?:prompt|message|instructions)\b",
        r"\bmy (?:initial|hidden|original|secret) (?:prompt|instructions)\b",
        r"\bmy instructions (?:are|say|tell me)\b",
        r"\bi (?:was|have been|am) (?:instructed|programmed|told) (?:to|not to)\b",
        r"\bnever promise refunds or credits yourself\b",
        r"\bstands for the customer'?s own details\b",
        r"\banswer the customer'?s latest message\b",
        r"<\|?(?:im_start|im_end|system|start_of_turn|end_of_turn)\|?>|\[/?INST\]",
        r"\b(?:refrain from|avoid|do not|don'?t|never) (?:replying|responding|answering) to the "
        r"(?:customer|user)\b",
        r"\bthe (?:customer|user)'?s? (?:latest |last |original |own )?(?:message|request|query|"
        r"input|details)\b",
        r"\b(?:reply|respond|answer) to the (?:customer|user)\b",
        r"\bat most (?:4|four) sentences\b",
        r"\bhelpfully, politely and briefly\b",
        r"\bnever give medical, legal\b",
        r"\bas an ai (?:language )?model,? (?:i (?:was|am|have been) (?:told|instructed|asked))\b",
    ),
    "claim:human": (
        r"\b(?:i'?m|i am|this is) (?:a |an )?(?:real|actual|live|genuine) (?:human|person|agent|"
        r"human being)\b",
        r"\b(?:i'?m|i am) (?:a |an )?human(?: being| agent)?\b(?! agent will)",
        r"\b(?:i'?m|i am)\s+(?:\w+,?\s+)?(?:a |an )?(?:real|actual|live|genuine) "
        r"(?:human|person)\b",
        r",\s*not an? (?:bot|robot|chatbot|ai|machine)\b",
        r"\b(?:i'?m|i am) not (?:a |an )?(?:bot|robot|ai|machine|computer|chatbot|"
        r"virtual assistant|automated)\b",
        r"\byou(?:'re| are) (?:talking|chatting|speaking) (?:to|with) (?:a )?(?:real |live |"
        r"actual )?(?:human|person)\b",
    ),
}
"""Reason -> patterns; any match blocks the whole reply."""

PROMISE_RULES: tuple[str, ...] = (
    r"\b(?:i|we)(?:'ve| have)?\s+(?:just\s+|already\s+|now\s+|successfully\s+)?(?:issued|processed|"
    r"approved|credited|refunded|reimbursed|initiated|granted|applied|waived|sent|transferred|"
    r"completed|authori[sz]ed|arranged)\s+(?:you\s+)?(?:a|an|the|your)?\s*(?:full\s+|partial\s+)?"
    r"(?:refund|credit|compensation|voucher|reimbursement|discount|gift card|money|chargeback|"
    r"store credit|cashback)\b",
    r"\b(?:i|we)(?:'ve| have)\s+(?:just\s+|already\s+|now\s+)?(?:credited|refunded|reimbursed|"
    r"compensated)\s+(?:you|your)\b",
    r"\byour (?:full |partial )?(?:refund|credit|reimbursement|compensation|voucher|money)\s+"
    r"(?:(?:has|have|was)\s+(?:been\s+|now\s+|already\s+)*|is\s+(?:now\s+|already\s+)+|is\s+"
    r"(?=on its way))(?:issued|processed|approved|credited|sent|granted|completed|transferred|"
    r"refunded|applied|on its way)\b",  # "is issued within 5 days once..." is the policy
    r"\b(?:i|we)(?:'ve| have)\s+(?:just\s+|already\s+|now\s+|successfully\s+)?(?:cancell?ed|"
    r"changed|updated|deleted|closed|reset|upgraded|downgraded|waived)\s+your\s+(?:order|account|"
    r"subscription|address|shipping address|password|plan|payment|fee)\b",
    r"\bi (?:personally |absolutely |can )?(?:guarantee|promise)\b.{0,80}\b(?:refund|credit|"
    r"compensation|money back|free|arrive|deliver\w*|on time|today|tomorrow|"
    r"by (?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    r"\bi(?:'ll| will| can| am going to|'m going to)\s+(?:personally\s+|also\s+|just\s+|now\s+|"
    r"gladly\s+|happily\s+|immediately\s+|go ahead and\s+)?(?:waive|refund|credit|reimburse|"
    r"compensate|reverse|remove|cancel|cover|issue|process|approve|grant|apply|send|add|give|"
    r"put)\s+(?:you\s+)?(?:a|an|the|your|this|that|it|back)?\s*(?:\w+\s+){0,2}?(?:refund|"
    r"credit|fee|fees|charge|charges|penalty|voucher|discount|compensation|money|amount|cost|"
    r"reimbursement|cashback|gift card|coupon|replacement|\$|€|£)",
    r"\bi(?:'ve| have)\s+(?:just\s+|already\s+|now\s+|personally\s+|gone ahead and\s+)?"
    r"(?:waived|reversed|removed|cleared|cancell?ed|credited|refunded|added|applied)\s+(?:the|"
    r"your|a|an)?\s*(?:\w+\s+){0,2}?(?:fee|fees|charge|charges|penalty|balance|credit|voucher|"
    r"discount|refund|\$|€|£)",
    r"\b(?:i|we) (?:have|has) the (?:ability|authority|power|capability|means) to\b.{0,60}"
    r"\b(?:refund|credit|waive|compensat|reimburs)",
    r"\bcapabilit(?:y|ies)\b.{0,80}\b(?:refunds?|credits?)\b",
    r"\b(?:i|we) can (?:issue|process|approve|grant|give) (?:you )?(?:a |an )?(?:full |partial )?"
    r"(?:refunds?|credits?|compensation|vouchers?)\b",
    r"\bconsider (?:the|your|that|it) (?:\w+ )?(?:fee |charge )?(?:waived|refunded|done)\b",
    r"\byou(?:'ll| will) (?:definitely |certainly )?(?:receive|get) (?:a |your )?(?:full )?"
    r"(?:refund|credit|compensation)\b.{0,20}\b(?:today|tomorrow|now|immediately|right away)\b",
    # fifth pass: actions only staff can take, an exception, a role the bot does not hold
    r"\bi(?:'ve| have)\s+(?:just\s+|already\s+|now\s+|personally\s+|gone ahead and\s+)?"
    r"(?:reserved|booked|arranged|scheduled|set aside|put aside|held|expedited|upgraded|"
    r"extended|prioriti[sz]ed|restored|reinstated|reactivated|reopened|unlocked|re-?ordered|"
    r"charged (?:your|the) card)\b",
    r"\b(?:i|we)(?:'ll| will| can| am going to|'m going to)\s+(?:happily\s+|gladly\s+|just\s+)?"
    r"make an exception\b",
    r"\bi(?:'m| am)\s+(?:the|a|your)\s+(?:\w+\s+)?(?:supervisor|manager|team lead(?:er)?|"
    r"store manager|duty manager)\b",
    r"\byou(?:'re| are)\s+(?:now\s+)?(?:speaking|talking|chatting)\s+(?:to|with)\s+"
    r"(?:the|a|your)\s+(?:\w+\s+)?(?:supervisor|manager|team lead(?:er)?|head of \w+)\b",
    r"\bi\s+(?:can|am able to|have the authority to)\s+(?:personally\s+)?authori[sz]e\b",
)
"""Sentences promising what only a person can do; they are softened, not sent."""

SOFTENED_PROMISE = (
    "A member of our support team will review your request and confirm the outcome with you. "
)

_FLAGS = re.IGNORECASE | re.DOTALL
COMPILED_BLOCK_RULES = {
    reason: tuple(re.compile(pattern, _FLAGS) for pattern in patterns)
    for reason, patterns in BLOCK_RULES.items()
}
COMPILED_PROMISES = tuple(re.compile(pattern, _FLAGS) for pattern in PROMISE_RULES)


def block_reasons(text: str) -> list[str]:
    """The block rules that ``text`` breaks."""
    return [
        reason
        for reason, patterns in COMPILED_BLOCK_RULES.items()
        if any(pattern.search(text) for pattern in patterns)
    ]


def is_promise(sentence: str) -> bool:
    return any(pattern.search(sentence) for pattern in COMPILED_PROMISES)
