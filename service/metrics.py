"""Prometheus metrics, served at the gateway's /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from guards.verdict import Verdict

TURNS = Counter("guardchat_turns_total", "Customer turns, by route", ["route"])
HANDOFFS = Counter(
    "guardchat_handoffs_total", "Handoff tickets opened, by first reason", ["reason"]
)
GUARD_VERDICTS = Counter(
    "guardchat_guard_verdicts_total", "Guard verdicts, by guard and category", ["guard", "category"]
)
STEP_SECONDS = Histogram(
    "guardchat_step_seconds",
    "Time spent in each graph step",
    ["step"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
FEEDBACK = Counter(
    "guardchat_feedback_total", "Customer ratings of bot replies, by intent", ["intent", "rating"]
)
SUGGESTIONS = Counter(
    "guardchat_suggestions_total",
    "Replies suggested to human agents, and what became of them",
    ["outcome"],
)
MODEL_TOKENS = Counter("guardchat_model_tokens_total", "Model tokens, input and output", ["kind"])


class PrometheusTurnMetrics:
    """The graph's measurements (`graphs.services.TurnMetrics`) as this process's metrics."""

    def observe_step(self, step: str, seconds: float) -> None:
        STEP_SECONDS.labels(step=step).observe(seconds)

    def count_verdict(self, guard_name: str, verdict: Verdict) -> None:
        GUARD_VERDICTS.labels(guard=guard_name, category=verdict.category).inc()
