"""The conversation graph: redact -> screen -> triage -> ground -> answer | handoff | refuse.

START -> redact --(a human has it)--> relay_to_agent --> await_agent (interrupt)
           |                                                |  resumed by:
         screen -> triage --assistant--> ground -> answer -> check_output -> END
                      |                    |         `--model down--> handoff --> await_agent
                      |                    `--out of scope (redirect)--> END
                      |--handoff--> handoff --> await_agent
                      `--refuse---> refuse -> END

await_agent --customer_message--> redact;  --agent_message--> await_agent;  --resolved--> END

A suggested reply for a human agent runs the bot's own answering steps on the conversation so far,
without a checkpointer (nothing of it is kept): START -> ground -> answer -> check_output -> END.
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph

from graphs import nodes
from graphs.context import TurnContext
from graphs.state import ConversationState


def build_graph(checkpointer: BaseCheckpointSaver[Any] | None) -> Any:
    """The compiled graph; the checkpointer keeps each conversation's state between turns."""
    graph = StateGraph(ConversationState, context_schema=TurnContext)
    for name in ("redact", "screen", "triage", "ground", "answer", "check_output", "handoff"):
        graph.add_node(name, getattr(nodes, name))
    graph.add_node("refuse", nodes.refuse)
    graph.add_node("relay_to_agent", nodes.relay_to_agent)
    graph.add_node("await_agent", nodes.await_agent)
    graph.add_edge(START, "redact")
    graph.add_conditional_edges("redact", _after_redact, ["screen", "relay_to_agent"])
    graph.add_edge("screen", "triage")
    graph.add_conditional_edges("triage", _after_triage, ["ground", "handoff", "refuse"])
    graph.add_conditional_edges("ground", _after_ground, ["answer", END])
    graph.add_conditional_edges("answer", _after_answer, ["check_output", "handoff"])
    for last in ("check_output", "refuse"):
        graph.add_edge(last, END)
    for waiting in ("handoff", "relay_to_agent"):
        graph.add_edge(waiting, "await_agent")
    graph.add_conditional_edges("await_agent", _after_agent, ["redact", "await_agent", END])
    return graph.compile(checkpointer=checkpointer)


def build_suggestion_graph() -> Any:
    """The answering steps alone (grounding, the model, the output check), for drafting an
    agent's reply the way the bot would answer: same nodes, no checkpointer, no handoff."""
    graph = StateGraph(ConversationState, context_schema=TurnContext)
    for name in ("ground", "answer", "check_output"):
        graph.add_node(name, getattr(nodes, name))
    graph.add_edge(START, "ground")
    graph.add_conditional_edges("ground", _after_ground, ["answer", END])
    graph.add_conditional_edges("answer", _drafted_or_not, ["check_output", END])
    graph.add_edge("check_output", END)
    return graph.compile()


def _drafted_or_not(state: ConversationState) -> str:
    """The model could not answer and no fact stood in: nothing to suggest."""
    return END if state["route"] == "handoff" else "check_output"


def _after_redact(state: ConversationState) -> str:
    return "relay_to_agent" if state["route"] == "relay" else "screen"


def _after_triage(state: ConversationState) -> str:
    return {"assistant": "ground", "handoff": "handoff", "refuse": "refuse"}[state["route"]]


def _after_ground(state: ConversationState) -> str:
    return END if state["route"] == "redirect" else "answer"


def _after_answer(state: ConversationState) -> str:
    return "handoff" if state["route"] == "handoff" else "check_output"


def _after_agent(state: ConversationState) -> str:
    return {"customer_message": "redact", "agent_message": "await_agent"}.get(
        state.get("agent_event", ""), END
    )
