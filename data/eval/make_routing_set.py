"""Build `data/eval/routing.jsonl`: labelled conversations for the handoff evaluation.

Each line is `{"messages": [{"role", "content"}, ...], "needs_human": bool, "why": str}`.
Conversations are generated from phrasings below (several languages, colloquial, with typos
added at random) around ordinary opening turns, plus hand-written ones. Seeded: the same
script always writes the same file.

    python data/eval/make_routing_set.py [--out data/eval/routing.jsonl] [--seed 6]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

Conversation = dict[str, Any]

NEEDS_HUMAN: dict[str, list[str]] = {
    "explicit request for a person": [
        "talk to a human",
        "real person please",
        "agent!!",
        "I want to speak to a real human being",
        "can you put me through to someone from your team",
        "pls connect me with a live agent",
        "get me a representative now",
        "i need to talk to an actual person not a machine",
        "human please",
        "representative",
        "stop, I don't want to chat with a bot",
        "is there a human I could speak with?",
        "transfer me to a person",
        "let me speak with your supervisor",
        "I'd like to speak to a manager please",
        "can i chat with somebody who works there",
        "i want a human agent",
        "operator",
        "gimme a real person",
        "need to speak w someone real asap",
        "hablar con una persona",
        "quiero hablar con un agente por favor",
        "necesito hablar con un asesor",
        "parler à un conseiller",
        "je veux parler à quelqu'un",
        "je voudrais parler à un humain svp",
        "mit einem Mitarbeiter sprechen",
        "ich möchte mit einem Menschen sprechen",
        "bitte verbinden Sie mich mit einem Berater",
        "vorrei parlare con un operatore",
        "quero falar com um atendente",
        "ik wil met een medewerker spreken",
        "can a human look at this please",
        "escalate this to a supervisor",
        "ur bot is useless, human pls",
        "Kann ich mit einem Menschen sprechen?",
        "Puis-je parler à un conseiller ?",
        "Is there any way to reach an actual person?",
        "I'd like a callback from a representative",
        "enough with the bot, give me a human",
        "HUMAN AGENT PLEASE",
        "pasadme con un humano",
        "einen Menschen bitte",
    ],
    "fraud or account takeover": [
        "someone hacked my account",
        "there are unauthorized charges I didn't make",
        "my account has been hacked and the email was changed",
        "I see a purchase on my card that I never made",
        "somebody logged into my account from another country",
        "I don't recognise these transactions on my statement",
        "i think my acount was compromised",
        "someone is using my credit card on your site",
        "fraudulent order on my account, I did not place it",
        "got an email asking for my password, is this phishing?",
        "there's a charge on my card I don't recognize",
        "i got charged for something i didn't buy",
        "my identity was stolen and used to open an account",
        "me hackearon la cuenta",
        "mon compte a été piraté",
        "someone made purchases with my account",
        "I got a notification about a login I didn't make",
        "my paypal was charged and it wasn't me",
        "my card was used without my permission",
    ],
    "legal threat": [
        "my lawyer will be in touch",
        "I'll sue you if this isn't fixed",
        "I am taking you to court over this",
        "expect to hear from my attorney",
        "I'm considering legal action against your company",
        "this is going to small claims",
        "voy a llamar a mi abogado",
        "ich werde Sie verklagen",
        "I will be contacting my solicitor",
        "im going to report you to the better business bureau",
        "I'll see you in court",
        "expect a lawsuit",
    ],
    "safety or self-harm": [
        "the charger you sold me caught fire",
        "I don't want to live anymore",
        "i feel like i want to kill myself",
        "the heater exploded and my son got injured",
        "I got an electric shock from the device",
        "my daughter had an allergic reaction to the product",
        "sometimes I think about ending it all",
        "I've been thinking of hurting myself",
        "the battery exploded in my hands",
        "I can't go on anymore",
        "the blender blade cut my hand badly",
        "my child swallowed a piece of the toy",
    ],
    "data-protection request": [
        "delete all my data",
        "what data do you hold on me?",
        "I'm making a GDPR subject access request",
        "I want you to erase all my personal information",
        "please send me a copy of all my personal data",
        "what personal information do you store about me",
        "I invoke my right to be forgotten",
        "stop sharing my personal data with third parties",
        "quiero que borren mis datos personales",
        "Auskunft nach DSGVO bitte",
        "delete everything you have about me",
        "who do you share my data with?",
        "I want to exercise my right to erasure",
        "opt me out of all data processing and delete my records",
        "I'd like all my personal info removed",
    ],
}

ORDINARY: dict[str, list[str]] = {
    "ordinary request": [
        "where is my order?",
        "how do I cancel my order",
        "I want a refund for the shoes",
        "can I change the shipping address on order <ORDER_ID_1>",
        "what payment methods do you accept",
        "how long does delivery take to Spain",
        "I forgot my password",
        "how do i update my phone number",
        "I'd like to leave a review",
        "can I get an invoice for my last purchase",
        "sign me up for the newsletter",
        "what's your refund policy",
        "is there a fee for cancelling",
        "I want to open an account",
        "please close my account",
        "my payment keeps failing",
        "I was charged twice for the same order",
        "my card got declined",
        "how do I add a new delivery address",
        "switch me to the premium plan",
        "has my refund been processed",
        "I need to change the size in my order",
        "can I pay with PayPal?",
        "do you offer express shipping",
        "I want to file a complaint about the delivery",
        "my name is <PERSON_1>, can you check order <ORDER_ID_1>",
        "send the invoice to <EMAIL_ADDRESS_1> please",
    ],
    "rude but ordinary": [
        "where is my damn order",
        "this stupid site won't let me log in",
        "cancel the bloody order already",
        "wtf is taking so long with my refund",
        "your checkout is crap, my payment failed",
        "just give me my damn money back",
        "why the hell was I charged a cancellation fee",
    ],
    "question about contacting support": [
        "what are your customer service hours?",
        "how can I contact customer support",
        "what's the customer service phone number",
        "when is your support team open",
        "is customer service available on weekends?",
        "I want to talk with customer support, what is the number?",
        "do you have an email address for support",
    ],
    "greeting or small talk": [
        "hi",
        "hello there",
        "hey, can you help me",
        "thanks!",
        "ok",
        "good morning, I have a question",
    ],
    "mentions people or data, but an ordinary request": [
        "the agent on the phone yesterday said I'd get a refund",
        "my delivery person left the package outside",
        "can you tell me who I am talking to",
        "do you have live chat hours",
        "please update my personal details",
        "I want to remove my credit card from my account",
        "I'm a human resources manager and need an invoice for the company",
        "someone told me you have a discount",
        "how many people work at your company?",
        "I want to buy this for another person",
        "I am a person with a disability, is there accessible delivery?",
        "live tracking of my order?",
        "can I delete a review I wrote",
        "who is the manufacturer of this product",
        "I'm in the hospitality business and want to order in bulk",
        "you charged me the wrong amount",
        "I need to update the data on my profile",
        "how do you protect my card information?",
    ],
    "frustrated, offered a person but not handed off": [
        "THIS IS RIDICULOUS I STILL HAVE NO REFUND",
        "this is the third time I ask where my order is",
        "this is unacceptable, my package is two weeks late",
    ],
}

OPENERS = [
    "hi",
    "hello, I have a question",
    "I bought a jacket last week",
    "can you help me with my order <ORDER_ID_1>",
    "I have a problem with my account",
]

ASSISTANT_REPLIES = [
    "Sure, I can help with that. What seems to be the problem?",
    "Thanks for reaching out! Could you tell me a bit more?",
    "I'm sorry to hear that. Let me look into it.",
]

# Written one by one: multi-turn flows the generator does not produce.
HAND_WRITTEN: list[Conversation] = [
    {
        "messages": [
            {"role": "user", "content": "my refund still hasn't arrived"},
            {
                "role": "assistant",
                "content": "I'm sorry. Would you like me to connect you with a colleague?",
            },
            {"role": "user", "content": "yes please"},
        ],
        "needs_human": True,
        "why": "accepted the offer of a person",
    },
    {
        "messages": [
            {"role": "user", "content": "I can't log in"},
            {"role": "assistant", "content": "You can reset your password from the login page."},
            {"role": "user", "content": "I did, and then I saw someone changed my email address"},
        ],
        "needs_human": True,
        "why": "account takeover revealed in a later turn",
    },
    {
        "messages": [
            {"role": "user", "content": "where is my order"},
            {"role": "assistant", "content": "It is on its way and should arrive on Friday."},
            {"role": "user", "content": "ok thanks"},
        ],
        "needs_human": False,
        "why": "ordinary question answered",
    },
    {
        "messages": [
            {"role": "user", "content": "what are your customer service hours?"},
            {"role": "assistant", "content": "We are open 9am to 6pm, Monday to Friday."},
            {"role": "user", "content": "and can I call you on saturday?"},
        ],
        "needs_human": False,
        "why": "questions about contacting support",
    },
    {
        "messages": [
            {"role": "user", "content": "i need help with my bill"},
            {"role": "assistant", "content": "Of course. Is it about an invoice or a payment?"},
            {"role": "user", "content": "forget it, just get me someone real"},
        ],
        "needs_human": True,
        "why": "explicit request for a person after a bot turn",
    },
    {
        "messages": [
            {"role": "user", "content": "my package arrived damaged"},
            {
                "role": "assistant",
                "content": "I'm sorry! Would you like a replacement or a refund?",
            },
            {"role": "user", "content": "a refund"},
            {"role": "assistant", "content": "Done: your refund is on its way."},
            {"role": "user", "content": "great, thank you"},
        ],
        "needs_human": False,
        "why": "resolved by the assistant",
    },
    {
        "messages": [
            {"role": "user", "content": "my order never came"},
            {"role": "assistant", "content": "Would you like to talk to a person about it?"},
            {"role": "user", "content": "no thanks, just tell me when it comes"},
        ],
        "needs_human": False,
        "why": "declined the offer of a person",
    },
]

_KEYBOARD_SLIPS = "qwertyuiopasdfghjklzxcvbnm"


def add_typo(text: str, rng: random.Random) -> str:
    """One slip in one longer word: a dropped, doubled, swapped or wrong letter."""
    words = text.split(" ")
    candidates = [i for i, word in enumerate(words) if len(word) >= 5 and word.isalpha()]
    if not candidates:
        return text
    index = rng.choice(candidates)
    word, at = words[index], rng.randrange(1, len(words[index]) - 1)
    slips = [
        word[:at] + word[at + 1 :],
        word[:at] + word[at] + word[at:],
        word[:at] + word[at + 1] + word[at] + word[at + 2 :],
        word[:at] + rng.choice(_KEYBOARD_SLIPS) + word[at + 1 :],
    ]
    words[index] = rng.choice(slips)
    return " ".join(words)


def vary(text: str, rng: random.Random) -> str:
    """A colloquial variant: sometimes lower case, sometimes a typo, sometimes no punctuation."""
    if rng.random() < 0.3:
        text = add_typo(text, rng)
    if rng.random() < 0.3:
        text = text.lower()
    if rng.random() < 0.2:
        text = text.rstrip("?.!")
    return text


def conversation(last: str, needs_human: bool, why: str, rng: random.Random) -> Conversation:
    """`last` as the final customer turn, after zero or one ordinary exchange."""
    messages = []
    if rng.random() < 0.5:
        messages += [
            {"role": "user", "content": rng.choice(OPENERS)},
            {"role": "assistant", "content": rng.choice(ASSISTANT_REPLIES)},
        ]
    messages.append({"role": "user", "content": vary(last, rng)})
    return {"messages": messages, "needs_human": needs_human, "why": why}


def generated(rng: random.Random, copies: int) -> list[Conversation]:
    """`copies` variants of every phrasing, both those that need a person and those that don't."""
    labelled = [(True, NEEDS_HUMAN), (False, ORDINARY)]
    return [
        conversation(text, needs_human, why, rng)
        for needs_human, groups in labelled
        for why, texts in groups.items()
        for text in texts
        for _ in range(copies)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "routing.jsonl")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--copies", type=int, default=2)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    conversations = generated(rng, args.copies) + HAND_WRITTEN
    with args.out.open("w", encoding="utf-8") as handle:
        for item in conversations:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"wrote {len(conversations)} conversations to {args.out}")


if __name__ == "__main__":
    main()
