"""The chat widget in a real browser: Debian's Chromium, headless, driven by Playwright, against
`guardchat serve` with the embedded model.

A customer opens the demo shop, opens the widget, gets a streamed reply, rides out a refused
connection and a stream cut before `done`, asks for a human and sees the agent's messages (sent
through the agent API and from the agent console), survives a page reload, and sees the bot
come back when the agent resolves. Screenshots of each step go to test-artifacts/widget/.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import REPO, Served

CHROMIUM = Path("/usr/bin/chromium")
STORED_PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*?_\d+>")
SHOWN_PLACEHOLDER = re.compile(r"\[[a-z ]+\]")
"""A placeholder left in recovered text (a closed conversation's) shows as [name]."""
ARTIFACTS = REPO / "test-artifacts" / "widget"
SERVICE_LOG = REPO / "test-artifacts" / "widget-service.log"
AGENT_TOKEN = "dev-agent-token"
TITLE = "Acme Outdoor support"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (apt chromium)"
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None,
        reason="needs Playwright for Python (pip install playwright; no browser download)",
    ),
]

# ---------------------------------------------------------------- the service


@pytest.fixture(scope="module")
def service_url(served: Served) -> str:
    """The shared service (tests/conftest.py); its log is test-artifacts/e2e-service.log."""
    return served.url


class AgentApi:
    """The human agent's side, through the agent API."""

    def __init__(self, url: str):
        self.http = httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {AGENT_TOKEN}"}, timeout=30
        )

    def ticket_for(self, conversation_id: str) -> dict[str, Any]:
        tickets = self.http.get("/v1/handoffs", params={"status": "open"}).json()["handoffs"]
        mine = [t for t in tickets if t["conversation_id"] == conversation_id]
        assert mine, f"no open ticket for {conversation_id}: {tickets}"
        ticket: dict[str, Any] = mine[0]
        return ticket

    def post(self, path: str, body: dict[str, str] | None = None) -> dict[str, Any]:
        response = self.http.post(path, json=body or {})
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result


# ---------------------------------------------------------------- the browser


@pytest.fixture
def browser_page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            yield page
        finally:
            browser.close()
        assert not errors, f"JavaScript errors on the page: {errors}"


class Widget:
    """The widget on the demo page, seen the way a user and a screen reader see it."""

    def __init__(self, page: Any):
        self.page = page
        self.dialog = page.get_by_role("dialog", name=TITLE)
        self.input = page.get_by_role("textbox", name=f"Message to {TITLE}")
        self.log = page.get_by_role("log", name="Conversation")
        self.shots = 0

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=str(ARTIFACTS / f"{self.shots:02d}-{name}.png"))

    def open(self) -> None:
        self.page.get_by_role("button", name=f"Open chat: {TITLE}").click()
        self.dialog.wait_for()

    def send(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def wait_idle(self, timeout_ms: int = 120_000) -> None:
        """Until the turn is over: the send button is enabled again."""
        from playwright.sync_api import expect

        send = self.page.get_by_role("button", name="Send message")
        expect(send).to_be_enabled(timeout=timeout_ms)

    def bubbles(self, role: str) -> list[str]:
        texts: list[str] = self.page.locator(f".msg.{role} .bubble").all_inner_texts()
        return texts

    def notices(self) -> list[str]:
        texts: list[str] = self.page.locator(".notice").all_inner_texts()
        return texts

    def conversation(self) -> dict[str, str]:
        saved: dict[str, str] = self.page.evaluate(
            "() => JSON.parse(Object.entries(localStorage)"
            ".find(([k]) => k.startsWith('guardchat:'))[1])"
        )
        return saved

    def focused_id(self) -> str:
        focused: str = self.page.evaluate(
            "() => document.querySelector('#guardchat-widget').shadowRoot.activeElement?.id || ''"
        )
        return focused

    def record_streaming(self) -> None:
        """Note every text a reply bubble shows while it is still streaming (before `done`)."""
        self.page.evaluate(
            """() => {
                const root = document.querySelector('#guardchat-widget').shadowRoot;
                window.__streamed = [];
                new MutationObserver(() => {
                    for (const b of root.querySelectorAll('.msg.streaming .bubble')) {
                        if (b.textContent) window.__streamed.push(b.textContent);
                    }
                }).observe(root, {subtree: true, childList: true, characterData: true});
            }"""
        )

    def streamed(self) -> list[str]:
        texts: list[str] = self.page.evaluate("() => window.__streamed")
        return texts


def wait_until(check: Any, timeout_s: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


# ---------------------------------------------------------------- the journey


def test_customer_chats_is_handed_to_an_agent_and_sees_the_agent(
    service_url: str, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    widget = Widget(page)
    page.goto(f"{service_url}/")
    expect(page.get_by_role("heading", name="Gear for every trail, built to last.")).to_be_visible()
    widget.shot("demo-page")

    # Open: an accessible dialog that says it is an AI, focus in the message box.
    widget.open()
    expect(widget.dialog).to_contain_text("You are chatting with an AI assistant")
    assert widget.focused_id() == "gc-input"
    widget.shot("widget-open")

    # A streamed reply: text shows in the bubble before `done` replaces it.
    widget.record_streaming()
    widget.send("How can I track my order?")
    expect(widget.log).to_contain_text("How can I track my order?")
    widget.wait_idle()
    reply = widget.bubbles("assistant")[-1]
    assert reply.strip()
    assert widget.streamed(), "no text was shown before the reply was complete"
    widget.shot("streamed-reply")

    # A refused connection is retried; a stream cut before `done` is recovered from the server.
    refuse_once(page)
    widget.send("Do you ship to Canada?")
    widget.wait_idle()
    cut_stream_once(page)
    widget.send("Can I change the delivery address?")
    widget.wait_idle()
    page.unroute("**/v1/chat")
    assert not page.locator(".notice.error").count(), widget.notices()
    assert widget.bubbles("user")[-2:] == [
        "Do you ship to Canada?",
        "Can I change the delivery address?",
    ]
    assert len(widget.bubbles("assistant")) == 4  # the greeting and three replies
    widget.shot("after-dropped-stream")
    auth = {"Authorization": f"Bearer {widget.conversation()['token']}"}
    conversation_id = widget.conversation()["id"]
    server = httpx.get(f"{service_url}/v1/conversations/{conversation_id}", headers=auth).json()
    assert [m["role"] for m in server["messages"]] == [
        "user",
        "assistant",
    ] * 3  # nothing sent twice
    shown = SHOWN_PLACEHOLDER.sub("[…]", widget.bubbles("assistant")[-1].strip())
    assert shown == STORED_PLACEHOLDER.sub("[…]", server["messages"][-1]["content"].strip())

    # Ask for a human: the handoff is shown.
    widget.send("I want to talk to a human agent")
    widget.wait_idle()
    expect(page.get_by_role("status")).to_contain_text("Waiting for a support agent")
    expect(widget.log).to_contain_text("A human agent has been requested.")
    widget.shot("handoff-requested")

    # An agent claims the ticket and writes, through the agent API: the widget shows both.
    agent = AgentApi(service_url)
    ticket = agent.ticket_for(conversation_id)
    agent.post(f"/v1/handoffs/{ticket['id']}/claim", {"agent": "Sam"})
    expect(page.get_by_role("status")).to_contain_text(
        "Sam from our support team is in this conversation", timeout=15_000
    )  # the name the agent gave when they took the conversation
    first_words = "Hello, this is the Acme Outdoor support team. I can help with your order."
    agent.post(f"/v1/handoffs/{ticket['id']}/messages", {"content": first_words})
    expect(page.locator(".msg.agent .bubble")).to_have_text(first_words, timeout=15_000)
    expect(page.locator(".msg.agent .who")).to_have_text("Sam, support agent")
    widget.shot("agent-message")

    # A reload restores the conversation from the server, agent line included.
    page.reload()
    widget.open()
    expect(page.locator(".msg.agent .bubble")).to_have_text(first_words)
    expect(widget.log).to_contain_text("I want to talk to a human agent")
    expect(page.get_by_role("status")).to_contain_text("Sam from our support team is in this")
    expect(page.locator(".msg.agent .who")).to_have_text("Sam, support agent")
    widget.shot("after-reload")

    # Keyboard: Esc closes the panel and gives focus back to the launcher.
    widget.input.press("Escape")
    expect(widget.dialog).to_be_hidden()
    launcher = page.get_by_role("button", name=f"Open chat: {TITLE}")
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    expect(widget.dialog).to_be_visible()

    # The agent console: sign in, open the ticket, write, resolve; the customer sees it all.
    console = page.context.new_page()
    agent_console_round(console, ticket["id"], widget)
    expect(page.locator(".msg.agent .bubble").last).to_have_text(
        "Anything else I can do for you?", timeout=15_000
    )
    expect(widget.log).to_contain_text("The AI assistant is back", timeout=15_000)
    expect(page.get_by_role("status")).to_be_hidden()
    widget.shot("agent-resolved")


def agent_console_round(console: Any, ticket_id: str, widget: Widget) -> None:
    from playwright.sync_api import expect

    console.goto(widget.page.url.rstrip("/") + "/agent")
    console.get_by_label("Agent token").fill(AGENT_TOKEN)
    console.get_by_label("Your name").fill("Sam")
    console.get_by_role("button", name="Sign in").click()
    console.get_by_role("button", name="Claimed", exact=True).click()
    console.locator(f".ticket[data-id='{ticket_id}']").click()
    transcript = console.get_by_role("log", name="Transcript (redacted)")
    expect(transcript).to_contain_text("I want to talk to a human agent")
    expect(transcript).to_contain_text("this is the Acme Outdoor support team")
    console.get_by_label("Message to the customer").fill("Anything else I can do for you?")
    console.get_by_role("button", name="Send", exact=True).click()
    expect(transcript).to_contain_text("Anything else I can do for you?", timeout=15_000)
    console.screenshot(path=str(ARTIFACTS / "agent-console.png"))
    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="Resolve", exact=True).click()
    expect(console.locator("#ticket-status")).to_have_text("resolved", timeout=15_000)
    console.screenshot(path=str(ARTIFACTS / "agent-console-resolved.png"))


def refuse_once(page: Any) -> None:
    """The next POST /v1/chat fails as if the connection were reset; later ones go through."""
    state = {"refused": False}

    def handle(route: Any) -> None:
        if state["refused"]:
            route.continue_()
            return
        state["refused"] = True
        route.abort("connectionreset")

    page.route("**/v1/chat", handle)


def cut_stream_once(page: Any) -> None:
    """The next POST /v1/chat reaches the server, but its stream ends after the first delta."""
    page.unroute("**/v1/chat")
    state = {"cut": False}

    def handle(route: Any) -> None:
        if state["cut"]:
            route.continue_()
            return
        state["cut"] = True
        response = route.fetch(timeout=120_000)
        events = response.text().split("\n\n")
        head = [e for e in events if e.startswith(("event: meta", "event: delta"))][:2]
        body = "\n\n".join(head) + "\n\n"
        route.fulfill(status=200, headers={"content-type": "text/event-stream"}, body=body)

    page.route("**/v1/chat", handle)
