"""Token-bucket rate limits, per client and per conversation, answered with 429 + Retry-After.

Buckets live in this process: with several gateway replicas each replica enforces its own
share (see docs/scaling.md). Buckets that have refilled are forgotten, so memory stays flat.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from service.config import Settings


@dataclass
class Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """`allow(key)` spends one token; `per_minute` refill, up to `burst` at once."""

    def __init__(self, per_minute: float, burst: int, max_keys: int = 100_000):
        self.rate = per_minute / 60.0
        self.burst = burst
        self.max_keys = max_keys
        self.buckets: dict[str, Bucket] = {}

    def retry_after(self, key: str) -> int:
        """0 when the request may go ahead (a token is spent), else seconds to wait."""
        now = time.monotonic()
        bucket = self._refilled(key, now)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0
        return max(1, math.ceil((1 - bucket.tokens) / self.rate))

    def _refilled(self, key: str, now: float) -> Bucket:
        bucket = self.buckets.get(key)
        if bucket is None:
            self._forget_full_buckets(now)
            bucket = self.buckets[key] = Bucket(tokens=float(self.burst), updated=now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        return bucket

    def _forget_full_buckets(self, now: float) -> None:
        if len(self.buckets) < self.max_keys:
            return
        full_after = self.burst / self.rate
        self.buckets = {k: b for k, b in self.buckets.items() if now - b.updated < full_after}


@dataclass
class RateLimits:
    """The gateway's limiters: every request per client, chat turns per client and per
    conversation."""

    requests: RateLimiter
    turns: RateLimiter
    conversation_turns: RateLimiter

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimits:
        return cls(
            requests=RateLimiter(settings.requests_per_minute_per_client, burst=60),
            turns=RateLimiter(settings.turns_per_minute_per_client, burst=10),
            conversation_turns=RateLimiter(settings.turns_per_minute_per_conversation, burst=8),
        )
