"""The canary test: distinctive personal data pushed through many turns and a handoff turns
up in no span, log line, database row, ticket, webhook body, metric or model input, and
comes back only in the replies to that same customer."""

from __future__ import annotations

import json
import logging

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pydantic import SecretStr

from service.config import Settings
from service.telemetry import setup_telemetry
from service.webhooks import HandoffWebhook
from tests.conftest import ScriptedModel
from tests.integration.gateway.conftest import AppClient
from tests.integration.gateway.storage_probe import database_contains

CANARIES = {
    "name": "Quilliam Zarathustra-Ovenden",
    "email": "quilliam.zo.canary@example.org",
    "phone": "+44 7700 900417",
    "card": "4111 1111 1111 1111",
    "iban": "DE89 3704 0044 0532 0130 00",
    "password": "Tr0ub4dor&3-canary",
}
AGENT = {"Authorization": "Bearer dev-agent-token"}

TURNS = [
    f"Hi, my name is {CANARIES['name']} and my email is {CANARIES['email']}",
    f"You can call me on {CANARIES['phone']} about order 1234567",
    f"I paid with card {CANARIES['card']}, refund to IBAN {CANARIES['iban']}",
    f"my password is {CANARIES['password']} and I can't log in",
    "this is useless, I want to talk to a human agent",
    f"Still me, {CANARIES['name']}, email {CANARIES['email']}",
]


def leaked(text: str) -> list[str]:
    return [
        kind for kind, value in CANARIES.items() if value in text or value.replace(" ", "") in text
    ]


@pytest.fixture
def spans() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    setup_telemetry("guardchat-test").add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


async def test_canaries_reach_no_span_log_row_ticket_webhook_or_model(
    app_client: AppClient, settings: Settings, spans: InMemorySpanExporter,
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)  # an operator turning every log up
    caplog.set_level(logging.INFO, logger="aiosqlite")  # its DEBUG is per-statement noise
    webhook_bodies: list[str] = []

    async def capture(self: HandoffWebhook, payload: dict[str, str]) -> bool:
        webhook_bodies.append(json.dumps(payload))
        return True

    monkeypatch.setattr(HandoffWebhook, "deliver", capture)
    hooked = settings.model_copy(update={
        "handoff_webhook_url": "http://127.0.0.1:9/hook", "handoff_webhook_secret": SecretStr("k"),
        "trace_content": True,
    })  # fmt: skip
    model = ScriptedModel("Thank you <PERSON_1>, I will email <EMAIL_ADDRESS_1> about it.")
    async with app_client(model, app_settings=hooked) as client:
        replies, tickets, metrics = await _converse(client)

    assert "name" in leaked(" ".join(replies)), "the customer should get their own details back"
    assert leaked(_span_dump(spans)) == []
    assert leaked(caplog.text) == []
    assert leaked(json.dumps(model.calls)) == []
    assert leaked(" ".join(tickets)) == [] and leaked(" ".join(webhook_bodies)) == []
    assert webhook_bodies, "the handoff should have been announced"
    assert leaked(metrics) == []
    assert not database_contains(
        settings, *CANARIES.values(), *(v.replace(" ", "") for v in CANARIES.values())
    )


async def _converse(client: object) -> tuple[list[str], list[str], str]:
    replies, headers = [], {}
    for message in TURNS:
        answer = (await client.post("/v1/chat", json={"message": message}, headers=headers)).json()  # type: ignore[attr-defined]
        headers = {"Authorization": f"Bearer {answer['conversation_token']}"}
        replies.append(answer["reply"])
    tickets = (await client.get("/v1/handoffs", headers=AGENT)).json()["handoffs"]  # type: ignore[attr-defined]
    ticket = tickets[-1]["id"]
    await client.post(f"/v1/handoffs/{ticket}/claim", json={"agent": "Robin"}, headers=AGENT)  # type: ignore[attr-defined]
    await client.post(
        f"/v1/handoffs/{ticket}/messages",
        json={"content": f"Hello {CANARIES['name']}, checking now"},
        headers=AGENT,
    )  # type: ignore[attr-defined]
    details = [(await client.get(f"/v1/handoffs/{t['id']}", headers=AGENT)).text for t in tickets]  # type: ignore[attr-defined]
    metrics = (await client.get("/metrics")).text  # type: ignore[attr-defined]
    return replies, details, metrics


def _span_dump(exporter: InMemorySpanExporter) -> str:
    parts = []
    for span in exporter.get_finished_spans():
        parts.append(span.name)
        parts.append(json.dumps(dict(span.attributes or {}), default=str))
        parts.extend(json.dumps(dict(e.attributes or {}), default=str) for e in span.events)
    return "\n".join(parts)


async def test_metrics_count_turns_routes_and_steps(app_client: AppClient) -> None:
    async with app_client() as client:
        await client.post("/v1/chat", json={"message": "Where is my order 1234567?"})
        text = (await client.get("/metrics")).text
    assert 'guardchat_turns_total{route="assistant"}' in text
    assert 'guardchat_step_seconds_bucket{le="0.001",step="redact"}' in text
    assert "guardchat_guard_verdicts_total" in text
