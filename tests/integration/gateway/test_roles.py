"""Agent and auditor tokens never grant each other's rights: every agent operation refuses the
auditor's token and every audit operation the agent's, whichever operations the app has (the
list is read from the app, so a new route is covered the day it is added)."""

from __future__ import annotations

import httpx

from service.config import Settings
from service.gateway.app import create_app
from tests.integration.gateway.conftest import AppClient
from tests.integration.gateway.test_audit import AGENT, AUDITOR
from tests.integration.gateway.test_handoffs import ask_for_human


def operations(prefix: str, settings: Settings) -> list[tuple[str, str]]:
    """(method, path) of every operation under `prefix` in the app's OpenAPI schema, with
    path parameters left as their names (`{ticket_id}` -> `ticket_id`) for the test to fill."""
    paths = create_app(settings).openapi()["paths"]
    return [
        (method.upper(), path.replace("{", "").replace("}", ""))
        for path, operations in paths.items()
        if path.startswith(prefix)
        for method in operations
    ]


async def answers(
    client: httpx.AsyncClient, calls: list[tuple[str, str]], headers: dict[str, str]
) -> dict[str, int]:
    statuses = {}
    for method, path in calls:
        response = await client.request(method, path, headers=headers, json={})
        statuses[f"{method} {path}"] = response.status_code
    return statuses


async def test_the_auditor_token_opens_no_agent_operation(
    app_client: AppClient, settings: Settings
) -> None:
    calls = operations("/v1/handoffs", settings)
    async with app_client() as client:
        ticket = (await ask_for_human(client))["handoff_id"]
        aimed = [(m, p.replace("ticket_id", ticket)) for m, p in calls]
        refused = await answers(client, aimed, AUDITOR)
        allowed = await client.get(f"/v1/handoffs/{ticket}", headers=AGENT)
    assert len(calls) >= 7, calls  # list, read, claim, messages, suggestion, discard, resolve
    assert set(refused.values()) == {401}, refused
    assert allowed.status_code == 200


async def test_the_agent_token_opens_no_audit_operation(
    app_client: AppClient, settings: Settings
) -> None:
    calls = operations("/v1/audit", settings)
    async with app_client() as client:
        conversation = (await ask_for_human(client))["conversation_id"]
        aimed = [(m, p.replace("conversation_id", conversation)) for m, p in calls]
        refused = await answers(client, aimed, AGENT)
        allowed = await client.get(f"/v1/audit/conversations/{conversation}", headers=AUDITOR)
    assert len(calls) >= 2, calls
    assert set(refused.values()) == {401}, refused
    assert allowed.status_code == 200
