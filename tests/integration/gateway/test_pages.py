"""The browser-facing files: the widget script, the demo shop page and the agent console."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from graphs import ChatServices
from service.config import Settings
from service.gateway.app import create_app
from tests.conftest import MODEL_CACHE, ScriptedModel


@pytest.fixture
async def client(
    tmp_path: Path, prebuilt_services: ChatServices
) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway as it runs (start-up and middleware included); the pages need no model."""
    settings = Settings(
        var_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'pages.db'}",
        model_cache_dir=MODEL_CACHE,
        _env_file=None,  # type: ignore[call-arg]
    )
    app = create_app(settings, ScriptedModel(), prebuilt_services)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
            yield http


class Scripts(HTMLParser):
    """Collects the attributes of each <script> tag."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.tags.append(dict(attrs))


def scripts_of(html: str) -> list[dict[str, str | None]]:
    parser = Scripts()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/widget.js", "application/javascript"),
        ("/", "text/html"),
        ("/agent", "text/html"),
        ("/agent.js", "application/javascript"),
        ("/audit", "text/html"),
        ("/audit.js", "application/javascript"),
    ],
)
async def test_pages_are_served_with_their_content_type(
    client: httpx.AsyncClient, path: str, media_type: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.text.strip()


async def test_widget_is_cacheable_and_revalidates_by_etag(client: httpx.AsyncClient) -> None:
    first = await client.get("/widget.js")
    assert "max-age=" in first.headers["cache-control"]
    again = await client.get("/widget.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and not again.content


async def test_widget_is_self_contained(client: httpx.AsyncClient) -> None:
    """No CDN, no font or analytics request: the only URLs it uses are built from the endpoint."""
    source = (await client.get("/widget.js")).text
    urls = re.findall(r"""(?:https?:)?//[\w.-]+\.\w+[^\s"'`)]*""", source)
    allowed = {"http://www.w3.org/2000/svg"}  # the SVG namespace name, never fetched
    assert not [url for url in urls if url not in allowed and "gateway" not in url]
    assert "import(" not in source and "importScripts" not in source
    assert "innerHTML" not in source and "insertAdjacentHTML" not in source
    assert "document.write" not in source


async def test_widget_says_it_is_an_ai_and_is_accessible(client: httpx.AsyncClient) -> None:
    source = (await client.get("/widget.js")).text
    assert "AI assistant" in source
    for needle in (
        'role: "dialog"',
        'role: "log"',
        '"aria-live": "polite"',
        "aria-label",
        "attachShadow",
    ):
        assert needle in source
    assert "text/event-stream" in source and "localStorage" in source


async def test_demo_page_embeds_the_widget_with_one_tag(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    scripts = scripts_of(html)
    assert len(scripts) == 1
    tag = scripts[0]
    assert tag["src"] == "/widget.js" and "async" in tag
    assert tag.get("data-title") and tag.get("data-color")
    assert "Acme Outdoor" in html


async def test_agent_console_loads_only_its_own_script(client: httpx.AsyncClient) -> None:
    response = await client.get("/agent")
    assert [tag["src"] for tag in scripts_of(response.text)] == ["/agent.js"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    agent_js = (await client.get("/agent.js")).text
    assert "sessionStorage" in agent_js and "innerHTML" not in agent_js
    for endpoint in ("/v1/handoffs", "/claim", "/messages", "/resolve"):
        assert endpoint in agent_js


async def test_audit_page_loads_only_its_own_script_and_reads_the_auditor_api(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/audit")
    assert [tag["src"] for tag in scripts_of(response.text)] == ["/audit.js"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    audit_js = (await client.get("/audit.js")).text
    assert "sessionStorage" in audit_js and "innerHTML" not in audit_js
    assert "/v1/audit/conversations" in audit_js and "/v1/handoffs" not in audit_js


async def test_agent_console_offers_suggested_replies(client: httpx.AsyncClient) -> None:
    agent_js = (await client.get("/agent.js")).text
    html = (await client.get("/agent")).text
    assert "/suggestion" in agent_js and "suggestion_id" in agent_js and "/discard" in agent_js
    assert "Suggest a reply" in html and 'id="f-category"' in html


async def test_widget_rates_the_bots_replies(client: httpx.AsyncClient) -> None:
    source = (await client.get("/widget.js")).text
    assert "/feedback" in source and "message_index" in source
    assert '"Helpful"' in source and '"Not helpful"' in source
