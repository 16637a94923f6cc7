"""Rate limits from `limits`: a burst at once, then the average rate; in memory, or in Redis
shared by every gateway that uses it."""

from __future__ import annotations

import asyncio

from limits.aio.storage import MemoryStorage

from service.config import Settings
from service.gateway.rate_limit import RateLimiter, RateLimits


def memory_limiter(per_minute: float, burst: int) -> RateLimiter:
    return RateLimiter("test", per_minute, burst, MemoryStorage())


def redis_limits(settings: Settings, url: str, prefix: str) -> RateLimits:
    shared = settings.model_copy(
        update={"redis_url": url, "redis_key_prefix": prefix, "turns_per_minute_per_client": 1}
    )
    return RateLimits.from_settings(shared)


async def test_burst_is_allowed_then_refused_with_the_wait_in_seconds() -> None:
    limiter = memory_limiter(per_minute=60, burst=3)
    assert [await limiter.retry_after("ip") for _ in range(3)] == [0, 0, 0]
    assert 1 <= await limiter.retry_after("ip") <= 3


async def test_keys_are_limited_separately() -> None:
    limiter = memory_limiter(per_minute=1, burst=1)
    assert await limiter.retry_after("a") == 0
    assert await limiter.retry_after("b") == 0
    assert 59 <= await limiter.retry_after("a") <= 60


async def test_the_limit_refills_at_the_average_rate() -> None:
    limiter = memory_limiter(per_minute=60, burst=1)
    assert await limiter.retry_after("ip") == 0
    assert await limiter.retry_after("ip") == 1
    await asyncio.sleep(1.1)
    assert await limiter.retry_after("ip") == 0


async def test_gateways_on_one_redis_share_the_limit(
    settings: Settings, redis_url: str, redis_key_prefix: str
) -> None:
    first = redis_limits(settings, redis_url, redis_key_prefix)
    second = redis_limits(settings, redis_url, redis_key_prefix)
    try:
        assert [await first.turns.retry_after("ip") for _ in range(10)] == [0] * 10
        assert await second.turns.retry_after("ip") > 500, "the other gateway's turns count"
        assert await second.requests.retry_after("ip") == 0, "each limit counts on its own"
    finally:
        await first.aclose()
        await second.aclose()


async def test_another_key_prefix_is_another_deployment(
    settings: Settings, redis_url: str, redis_key_prefix: str
) -> None:
    first = redis_limits(settings, redis_url, redis_key_prefix)
    other = redis_limits(settings, redis_url, f"{redis_key_prefix}-other")
    try:
        assert [await first.turns.retry_after("ip") for _ in range(11)][-1] > 0
        assert await other.turns.retry_after("ip") == 0
    finally:
        await first.aclose()
        await other.aclose()


async def test_without_redis_each_gateway_still_limits_in_memory(settings: Settings) -> None:
    unreachable = "redis://127.0.0.1:1/0"
    limits = redis_limits(settings, unreachable, "unused")
    try:
        answers = [await limits.turns.retry_after("ip") for _ in range(11)]
    finally:
        await limits.aclose()
    assert answers[:10] == [0] * 10 and answers[10] > 0
