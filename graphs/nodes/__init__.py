"""The graph's nodes, one module each, in the order a turn meets them."""

from graphs.nodes.answer import answer
from graphs.nodes.await_agent import await_agent
from graphs.nodes.check_output import check_output
from graphs.nodes.ground import ground
from graphs.nodes.handoff import handoff
from graphs.nodes.redact import redact
from graphs.nodes.refuse import refuse, relay_to_agent
from graphs.nodes.screen import screen
from graphs.nodes.triage import triage

__all__ = [
    "answer",
    "await_agent",
    "check_output",
    "ground",
    "handoff",
    "redact",
    "refuse",
    "relay_to_agent",
    "screen",
    "triage",
]
