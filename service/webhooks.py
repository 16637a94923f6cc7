"""`HandoffWebhook`: tells an external helpdesk about new handoffs.

The body is JSON with ids, reason and intent only (never personal data, not even redacted
text). Headers carry a timestamp and an HMAC-SHA256 signature over `"{timestamp}.{body}"`,
so a receiver can check origin and freshness. Failed deliveries are retried with exponential
backoff (tenacity), in the background: a slow helpdesk never slows a customer's turn.
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
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_result,
    stop_after_attempt,
    wait_exponential,
)

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
        """Post until the helpdesk accepts (2xx) or the attempts run out; whether it did."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        async with httpx.AsyncClient(timeout=self.timeout_s) as client:
            delivered: bool = await self._retrying()(self._post, client, body)
        return delivered

    def _retrying(self) -> AsyncRetrying:
        """Delays of 1, 2, 4... times `first_delay_s`; False once the last attempt failed."""
        return AsyncRetrying(
            retry=retry_if_result(lambda delivered: not delivered),
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=self.first_delay_s, exp_base=2, min=0),
            after=self._log_failure,
            retry_error_callback=lambda _: False,
        )

    def _log_failure(self, state: RetryCallState) -> None:
        log.warning("handoff webhook attempt %d/%d failed", state.attempt_number, self.attempts)

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
