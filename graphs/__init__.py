"""The conversation graph (LangGraph): what the service uses of it.

`build_graph(checkpointer)` compiles the graph; each turn runs it with a `TurnContext` (raw
message, vault, the `ChatServices` its nodes call; never persisted) over the persisted,
redacted `ConversationState`. The model, the handoff desk and the metrics are protocols the
service implements. Triage has its own public API in `graphs.routing`. Agent assist
(`case_summary`, `suggest_reply`) runs the graph's answering steps for a human agent's draft.
`is_out_of_scope` is the redirect decision, for evaluating it apart from the graph.
"""

from graphs.assist import NoSuggestion, SuggestedReply, case_summary, suggest_reply
from graphs.context import TurnContext
from graphs.graph import build_graph
from graphs.nodes.await_agent import AgentEvent
from graphs.nodes.ground import is_out_of_scope
from graphs.nodes.redact import RedactionFailed
from graphs.prompts import REDACTION_FAILED_REPLY, PromptBook, persona_prompt
from graphs.services import (
    ChatModel,
    ChatServices,
    HandoffDesk,
    HandoffRequest,
    ModelUnavailable,
    NoMetrics,
    TurnMetrics,
)
from graphs.state import ConversationState, Message

__all__ = [
    "REDACTION_FAILED_REPLY",
    "AgentEvent",
    "ChatModel",
    "ChatServices",
    "ConversationState",
    "HandoffDesk",
    "HandoffRequest",
    "Message",
    "ModelUnavailable",
    "NoMetrics",
    "NoSuggestion",
    "PromptBook",
    "RedactionFailed",
    "SuggestedReply",
    "TurnContext",
    "TurnMetrics",
    "build_graph",
    "case_summary",
    "is_out_of_scope",
    "persona_prompt",
    "suggest_reply",
]
