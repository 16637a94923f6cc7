"""`HandoffWebhook`: tells an external helpdesk about new handoffs.

The body is JSON with ids, reason and intent only (never personal data, not even redacted
text). Headers carry a timestamp and an HMAC-SHA256 signature over `"{timestamp}.{body}"`,
so a receiver can check origin and freshness. Failed deliveries are retried with backoff,
in the background: a slow helpdesk never slows a customer's turn.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from typing import Any

import httpx

log = logging.getLogger("guardchat.webhooks")

SIGNATURE_HEADER = "X-Guardchat-Signature"
TIMESTAMP_HEADER = "X-Guardchat-Timestamp"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class HandoffWebhook:
    def __init__(
        self,
        url: str,
        secret: str,
        attempts: int = 4,
        first_delay_s: float = 1.0,
        timeout_s: float = 5.0,
    ):
        self.url, self.secret = url, secret
        self.attempts, self.first_delay_s, self.timeout_s = attempts, first_delay_s, timeout_s
        self._pending: set[asyncio.Task[bool]] = set()

    def notify(self, payload: dict[str, Any]) -> None:
        """Deliver in the background (a reference is kept so the task is not collected)."""
        task = asyncio.create_task(self.deliver(payload))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def deliver(self, payload: dict[str, Any]) -> bool:
        body = json.dumps(payload, separators=(",", ":")).encode()
        delay = self.first_delay_s
        async with httpx.AsyncClient(timeout=self.timeout_s) as client:
            for attempt in range(1, self.attempts + 1):
                if await self._post(client, body):
                    return True
                log.warning("handoff webhook attempt %d/%d failed", attempt, self.attempts)
                if attempt < self.attempts:
                    await asyncio.sleep(delay)
                    delay *= 2
        return False

    async def _post(self, client: httpx.AsyncClient, body: bytes) -> bool:
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(self.secret, timestamp, body),
        }
        try:
            response = await client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError:
            return False
        return response.status_code < 300

    async def drain(self) -> None:
        """Wait for deliveries in flight (used at shutdown and in tests)."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
