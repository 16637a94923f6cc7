from unittest.mock import patch

from service.gateway.rate_limit import RateLimiter


def test_burst_is_allowed_then_refused_with_a_wait() -> None:
    limiter = RateLimiter(per_minute=60, burst=3)
    assert [limiter.retry_after("ip") for _ in range(3)] == [0, 0, 0]
    assert limiter.retry_after("ip") == 1


def test_keys_are_limited_separately() -> None:
    limiter = RateLimiter(per_minute=1, burst=1)
    assert limiter.retry_after("a") == 0
    assert limiter.retry_after("b") == 0
    assert limiter.retry_after("a") == 60


def test_tokens_refill_over_time() -> None:
    limiter = RateLimiter(per_minute=60, burst=1)
    with patch("service.gateway.rate_limit.time.monotonic", side_effect=[100.0, 100.1, 101.2]):
        assert limiter.retry_after("ip") == 0
        assert limiter.retry_after("ip") == 1
        assert limiter.retry_after("ip") == 0


def test_refilled_buckets_are_forgotten_so_memory_stays_flat() -> None:
    limiter = RateLimiter(per_minute=60, burst=1, max_keys=10)
    with patch("service.gateway.rate_limit.time.monotonic", return_value=0.0):
        for key in range(10):
            limiter.retry_after(str(key))
    with patch("service.gateway.rate_limit.time.monotonic", return_value=100.0):
        limiter.retry_after("new")
    assert len(limiter.buckets) == 1
