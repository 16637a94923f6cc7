"""Triage for guardchat: which Bitext intent a message has, and whether a person should answer.

triage = Triage(IntentClassifier.load(), HandoffPolicy.from_yaml())
decision = triage.route("someone hacked my account", history=["hi"])
decision.route, decision.reasons  # ("handoff", ("fraud_or_account_takeover",))
"""

from graphs.routing.intents import IntentClassifier, IntentPrediction
from graphs.routing.policy import HandoffPolicy, RouteDecision, Signals
from graphs.routing.triage import Message, Triage

__all__ = [
    "HandoffPolicy",
    "IntentClassifier",
    "IntentPrediction",
    "Message",
    "RouteDecision",
    "Signals",
    "Triage",
]
