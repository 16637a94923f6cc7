"""Handoff webhooks: signed, retried with backoff, and never carrying conversation text."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from service.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, HandoffWebhook


class Receiver(ThreadingHTTPServer):
    """A helpdesk stand-in on loopback that fails the first `failures` deliveries."""

    def __init__(self, failures: int):
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.failures = failures
        self.received: list[tuple[dict[str, str], bytes]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks"


class ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), body))
        status = 500 if len(self.server.received) <= self.server.failures else 204
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver(failures=2)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


async def test_delivery_is_retried_until_it_succeeds(receiver: Receiver) -> None:
    hook = HandoffWebhook(receiver.url, "s3cret", attempts=4, first_delay_s=0.01)
    assert await hook.deliver({"event": "handoff.created", "handoff_id": "h_1"})
    assert len(receiver.received) == 3


async def test_signature_covers_timestamp_and_body(receiver: Receiver) -> None:
    hook = HandoffWebhook(receiver.url, "s3cret", attempts=3, first_delay_s=0.01)
    await hook.deliver({"event": "handoff.created", "handoff_id": "h_2"})
    headers, body = receiver.received[-1]
    expected = hmac.new(b"s3cret", headers[TIMESTAMP_HEADER].encode() + b"." + body, hashlib.sha256)
    assert headers[SIGNATURE_HEADER] == "sha256=" + expected.hexdigest()
    assert json.loads(body)["handoff_id"] == "h_2"


async def test_giving_up_after_the_last_attempt(receiver: Receiver) -> None:
    hook = HandoffWebhook(receiver.url, "s3cret", attempts=2, first_delay_s=0.01)
    assert not await hook.deliver({"event": "handoff.created"})
