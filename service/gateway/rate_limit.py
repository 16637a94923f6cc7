"""Rate limits from the `limits` library, per client and per conversation.

A limit lets `burst` requests through at once and `per_minute` on average: a moving window of
`burst` requests per `burst / per_minute` minutes. The windows live in Redis when
`GUARDCHAT_REDIS_URL` is set, so every replica counts against the same limit; otherwise in
this process (each replica enforces its own). Should Redis stop answering, each replica
counts in its own memory until it answers again: a limit always holds.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import redis.asyncio
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from service.config import Settings

log = logging.getLogger("guardchat.rate_limit")

REDIS_TIMEOUT_S = 0.5
"""How long a request waits on Redis before its limit is counted in memory instead."""
RETRY_REDIS_AFTER_S = 5.0
"""After Redis failed, how long limits are counted in memory before Redis is tried again."""


class RateLimiter:
    """`retry_after(key)` counts one request for `key`: 0 when it may go ahead, else the
    seconds until it may."""

    def __init__(self, name: str, per_minute: float, burst: int, storage: Storage):
        window_s = max(1, math.ceil(burst * 60 / per_minute))
        self.item: RateLimitItem = RateLimitItemPerSecond(burst, window_s, namespace=name)
        self.shared = MovingWindowRateLimiter(storage)
        self.local = MovingWindowRateLimiter(MemoryStorage())
        self.shared_down_until = 0.0

    async def retry_after(self, key: str) -> int:
        if time.monotonic() >= self.shared_down_until:
            try:
                return await _retry_after(self.shared, self.item, key)
            except StorageError as exc:
                log.warning("rate-limit storage unavailable, counting in memory: %s", exc)
                self.shared_down_until = time.monotonic() + RETRY_REDIS_AFTER_S
        return await _retry_after(self.local, self.item, key)


async def _retry_after(strategy: MovingWindowRateLimiter, item: RateLimitItem, key: str) -> int:
    if await strategy.hit(item, key):
        return 0
    reset_at, _ = await strategy.get_window_stats(item, key)
    return max(1, math.ceil(reset_at - time.time()))


@dataclass
class RateLimits:
    """The gateway's limiters: every request per client, chat turns per client and per
    conversation, all on one storage."""

    requests: RateLimiter
    turns: RateLimiter
    conversation_turns: RateLimiter
    redis_pool: redis.asyncio.ConnectionPool | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimits:
        pool, storage = _storage(settings)
        return cls(
            requests=RateLimiter("requests", settings.requests_per_minute_per_client, 60, storage),
            turns=RateLimiter("turns", settings.turns_per_minute_per_client, 10, storage),
            conversation_turns=RateLimiter(
                "conversation-turns", settings.turns_per_minute_per_conversation, 8, storage
            ),
            redis_pool=pool,
        )

    async def aclose(self) -> None:
        if self.redis_pool is not None:
            await self.redis_pool.disconnect()


def _storage(settings: Settings) -> tuple[redis.asyncio.ConnectionPool | None, Storage]:
    """Redis storage when a URL is configured (with its connection pool), else memory."""
    if not settings.redis_url:
        return None, MemoryStorage()
    pool = redis.asyncio.ConnectionPool.from_url(
        settings.redis_url,
        socket_timeout=REDIS_TIMEOUT_S,
        socket_connect_timeout=REDIS_TIMEOUT_S,
    )
    storage = RedisStorage(
        f"async+{settings.redis_url}",
        implementation="redispy",
        key_prefix=settings.redis_key_prefix,
        wrap_exceptions=True,
        connection_pool=pool,  # type: ignore[arg-type]
    )
    return pool, storage
