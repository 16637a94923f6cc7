"""The people around the bot, in a real browser (Debian's Chromium, headless, Playwright), by
keyboard only: a customer rates the bot's replies in the widget, an agent works a ticket in the
console with a suggested reply (also with the model down), an auditor searches, opens a
timeline and sees a tampered chain reported; each page refuses the other role's token.

The gateway runs in this process (uvicorn in a thread, on a port of 8300-8399) with a scripted
model that can go down, so every step is deterministic and quick. Screenshots go to
test-artifacts/pages/.
"""

from __future__ import annotations

import dataclasses
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from guards.knowledge import KnowledgeBase
from service.config import Settings
from service.gateway.app import create_app
from service.gateway.wiring import build_services
from service.storage.handoffs import HandoffQueue
from tests.conftest import MODEL_CACHE, REPO
from tests.e2e.test_widget_browser import CHROMIUM, CHROMIUM_ARGS, pytestmark  # noqa: F401
from tests.integration.gateway.test_agent_assist import SwitchableModel

ARTIFACTS = REPO / "test-artifacts" / "pages"
AGENT_TOKEN, AUDITOR_TOKEN = "dev-agent-token", "dev-auditor-token"
SUGGESTED = "I'm sorry your parcel is late. I have asked the courier for an update."
CUSTOMER_NAME = "Philippa Vandersloot"


def port_in_our_range() -> int:
    """The first free port of 8300-8399 (the range this project's test servers use)."""
    for port in range(8300, 8400):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 8300-8399")


@dataclasses.dataclass
class Gateway:
    url: str
    model: SwitchableModel
    database: Path


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    tmp = tmp_path_factory.mktemp("pages")
    settings = Settings(
        var_dir=tmp, database_url=f"sqlite:///{tmp / 'pages.db'}", model_cache_dir=MODEL_CACHE,
        _env_file=None,  # type: ignore[call-arg]
    )  # fmt: skip
    model = SwitchableModel(SUGGESTED)
    services = build_services(settings, model, HandoffQueue(None))  # type: ignore[arg-type]
    empty = KnowledgeBase([], services.knowledge.encoder)  # every answer comes from the model
    app = create_app(settings, model, dataclasses.replace(services, knowledge=empty))
    port = port_in_our_range()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.1)
    try:
        yield Gateway(f"http://127.0.0.1:{port}", model, tmp / "pages.db")
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


# ---------------------------------------------------------------- keyboard helpers


def focused(page: Any) -> dict[str, str]:
    """The focused element (inside the widget's shadow root too): its name and outline."""
    found: dict[str, str] = page.evaluate(
        """() => {
            let el = document.activeElement;
            while (el && el.shadowRoot && el.shadowRoot.activeElement) {
                el = el.shadowRoot.activeElement;
            }
            if (!el) return {name: "", outline: "none"};
            const labelled = el.labels && el.labels.length ? el.labels[0].textContent : "";
            const name = el.getAttribute("aria-label") || labelled || el.textContent || "";
            return {name: name.trim(), outline: getComputedStyle(el).outlineStyle};
        }"""
    )
    return found


def tab_to(page: Any, name: str, most: int = 60, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab) until the element named `name` has the focus; see its focus ring."""
    for _ in range(most):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        if now["name"].startswith(name):
            assert now["outline"] != "none", f"no visible focus on {name!r}"
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab")


def audit_events(url: str, conversation_id: str) -> list[dict[str, Any]]:
    auth = {"Authorization": f"Bearer {AUDITOR_TOKEN}"}
    trail = httpx.get(f"{url}/v1/audit/conversations/{conversation_id}", headers=auth).json()
    events: list[dict[str, Any]] = trail["events"]
    return events


def handed_off(url: str) -> dict[str, str]:
    """A customer who gave their name, then asked for a person (through the API)."""
    first = httpx.post(
        f"{url}/v1/chat", json={"message": f"Hi, I'm {CUSTOMER_NAME}, my parcel never arrived"},
        timeout=60,
    ).json()  # fmt: skip
    auth = {"Authorization": f"Bearer {first['conversation_token']}"}
    turn = httpx.post(
        f"{url}/v1/chat", json={"message": "I want to talk to a human agent"}, headers=auth,
        timeout=60,
    ).json()  # fmt: skip
    assert turn["handoff_id"], turn
    return dict(turn)


def sign_in(page: Any, url: str, token: str, name: str = "") -> None:
    """Sign in by keyboard: the token field has the focus when the page opens."""
    page.goto(url)
    page.keyboard.type(token)
    if name:
        page.keyboard.press("Tab")
        page.keyboard.type(name)
    page.keyboard.press("Enter")


# ---------------------------------------------------------------- the customer


def test_a_customer_rates_replies_by_keyboard(gateway: Gateway, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{gateway.url}/")
    tab_to(page, "Open chat")
    page.keyboard.press("Enter")
    for replies, text in enumerate(("Where is my parcel?", "Can I change the address?"), 1):
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Not helpful")).to_have_count(replies)
    page.get_by_role("button", name="Not helpful").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("What went wrong? (optional)")).to_be_focused()
    page.keyboard.type(f"Too vague. I am {CUSTOMER_NAME}.")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thanks for your feedback.")).to_be_visible()
    tab_to(page, "Helpful", backwards=True)  # from the message box: the other reply's thumbs up
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thanks for your feedback.")).to_have_count(2)
    page.screenshot(path=str(ARTIFACTS / "widget-rated.png"))
    conversation_id = page.evaluate(
        "() => JSON.parse(Object.entries(localStorage)"
        ".find(([k]) => k.startsWith('guardchat:'))[1]).id"
    )
    rated = [e["detail"] for e in audit_events(gateway.url, conversation_id)]
    rated = [d for d in rated if "rating" in d]
    assert [(d["message_index"], d["rating"]) for d in rated] == [(1, "down"), (3, "up")]
    assert "Vandersloot" not in str(rated) and "<PERSON_1>" in rated[0]["comment"]
    page.reload()
    page.get_by_role("button", name="Open chat").click()
    expect(page.get_by_text("You rated this reply not helpful.")).to_be_visible()
    expect(page.get_by_role("button", name="Not helpful")).to_have_count(0)


# ---------------------------------------------------------------- the agent


def test_an_agent_works_a_ticket_with_a_suggested_reply_by_keyboard(
    gateway: Gateway, page: Any
) -> None:
    from playwright.sync_api import expect

    turn = handed_off(gateway.url)
    sign_in(page, f"{gateway.url}/agent", AGENT_TOKEN, "Sam")
    ticket = page.locator(f".ticket[data-id='{turn['handoff_id']}']")
    expect(ticket).to_be_visible()
    ticket.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#f-category")).not_to_have_text("—")
    expect(page.locator("#f-reason code")).not_to_have_count(0)
    expect(page.locator("#f-summary")).to_contain_text("<PERSON_1>")
    expect(page.locator("#f-summary")).to_contain_text("I want to talk to a human agent")
    assert "Vandersloot" not in page.content()
    tab_to(page, "Claim ticket")
    page.keyboard.press("Enter")
    expect(page.locator("#ticket-status")).to_have_text("claimed")
    page.screenshot(path=str(ARTIFACTS / "agent-ticket.png"))

    # Suggest, edit, send: the customer gets the edited words, the audit says "edited".
    tab_to(page, "Suggest a reply")
    page.keyboard.press("Enter")
    message = page.get_by_label("Message to the customer")
    expect(message).to_have_value(SUGGESTED)
    expect(message).to_be_focused()
    expect(page.locator("#suggestion-note")).to_contain_text("Suggested by the AI model")
    page.screenshot(path=str(ARTIFACTS / "agent-suggestion.png"))
    page.keyboard.press("End")
    page.keyboard.type(" Anything else?")
    page.keyboard.press("Control+Enter")
    transcript = page.get_by_role("log", name="Transcript (redacted)")
    expect(transcript).to_contain_text(SUGGESTED + " Anything else?")

    # Suggest again, then discard it by keyboard.
    tab_to(page, "Suggest a reply")
    page.keyboard.press("Enter")
    expect(message).to_have_value(SUGGESTED)
    tab_to(page, "Discard suggestion", backwards=True)
    page.keyboard.press("Enter")
    expect(message).to_have_value("")
    expect(message).to_be_focused()

    # The model goes down: a clear message, and the agent's own words stay.
    gateway.model.down = True
    try:
        page.keyboard.type("Let me check with the courier.")
        page.once("dialog", lambda dialog: dialog.accept())
        tab_to(page, "Suggest a reply")
        page.keyboard.press("Enter")
        expect(page.locator("#suggestion-note")).to_contain_text("No suggestion")
        expect(page.locator("#suggestion-note")).to_contain_text("model is unavailable")
        expect(message).to_have_value("Let me check with the courier.")
        page.screenshot(path=str(ARTIFACTS / "agent-model-down.png"))
    finally:
        gateway.model.down = False
    outcomes = [
        e["detail"]["outcome"]
        for e in audit_events(gateway.url, turn["conversation_id"])
        if e["kind"] == "suggestion.outcome"
    ]
    assert outcomes == ["edited", "discarded"]


# ---------------------------------------------------------------- the auditor


def test_an_auditor_searches_and_reads_a_timeline_and_its_chain_by_keyboard(
    gateway: Gateway, page: Any
) -> None:
    from playwright.sync_api import expect

    turn = handed_off(gateway.url)
    sign_in(page, f"{gateway.url}/audit", AUDITOR_TOKEN)
    expect(page.get_by_role("heading", name="Search conversations")).to_be_visible()
    page.get_by_label("Route").select_option("handoff")
    tab_to(page, "Search")
    page.keyboard.press("Enter")
    row_button = page.get_by_role("button", name=f"Open the timeline of {turn['conversation_id']}")
    expect(row_button).to_be_visible()
    tab_to(page, f"Open the timeline of {turn['conversation_id']}")
    page.keyboard.press("Enter")
    expect(page.locator("#chain")).to_contain_text("Hash chain intact")
    expect(page.locator("#events")).to_contain_text("handoff.opened")
    expect(page.locator("#events")).to_contain_text(turn["trace_id"])
    assert "Vandersloot" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "audit-timeline.png"))

    with sqlite3.connect(gateway.database) as db:  # someone edits the stored trail
        db.execute(
            "UPDATE gc_audit_events SET detail = '{}' WHERE conversation_id = ? AND seq = 2",
            (turn["conversation_id"],),
        )
    row_button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#chain")).to_contain_text("Hash chain broken")
    expect(page.locator("#chain")).to_contain_text("seq 2: hash does not match")
    page.screenshot(path=str(ARTIFACTS / "audit-broken-chain.png"))


@pytest.mark.parametrize(
    ("path", "wrong_token", "refusal"),
    [
        ("/audit", AGENT_TOKEN, "That auditor token was not accepted"),
        ("/agent", AUDITOR_TOKEN, "That agent token was not accepted"),
    ],
)
def test_each_page_refuses_the_other_roles_token(
    gateway: Gateway, page: Any, path: str, wrong_token: str, refusal: str
) -> None:
    from playwright.sync_api import expect

    sign_in(page, f"{gateway.url}{path}", wrong_token)
    expect(page.get_by_role("alert")).to_contain_text(refusal)
    expect(page.locator("#signin")).to_be_visible()
