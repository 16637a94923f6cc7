"""`guardchat bench model`: output tokens/s and time to first token at several concurrencies,
against a running model server's streaming chat API. Each request carries the gateway's own
system prompt for the sample company, as a real turn does (what prefix caching can share)."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass
from functools import cache

import httpx

from graphs import PromptBook
from guards.company_profile import CompanyProfile

PROMPTS = [
    "How do I cancel my order?",
    "Where is my refund?",
    "Can I change my delivery address?",
    "What payment methods do you accept?",
]


@dataclass(frozen=True)
class StreamResult:
    ttft_s: float
    total_s: float
    tokens: int


@dataclass(frozen=True)
class LevelResult:
    concurrency: int
    tokens_per_s: float
    ttft_p50_s: float
    ttft_p95_s: float
    wall_s: float


@cache
def system_prompt() -> str:
    """Read once: the bench client shares the CPU with the server it measures."""
    return PromptBook(CompanyProfile.from_yaml(), canary="bench-canary").system_prompt()


async def one_stream(client: httpx.AsyncClient, prompt: str, max_tokens: int) -> StreamResult:
    messages = [{"role": "system", "content": system_prompt()}, {"role": "user", "content": prompt}]
    body = {"messages": messages, "max_tokens": max_tokens, "stream": True, "temperature": 0.7}
    started, first, tokens = time.perf_counter(), 0.0, 0
    async with client.stream("POST", "/v1/chat/completions", json=body) as response:
        async for line in response.aiter_lines():
            if not line.startswith("data: {"):
                continue
            chunk = json.loads(line[6:])
            if chunk.get("usage"):
                tokens = chunk["usage"]["completion_tokens"]
            elif not first:
                first = time.perf_counter() - started
    return StreamResult(first, time.perf_counter() - started, tokens)


async def arriving(
    client: httpx.AsyncClient, index: int, max_tokens: int, interval_s: float
) -> StreamResult:
    """Request `index`, sent `index * interval_s` after the level starts (0: all at once)."""
    await asyncio.sleep(index * interval_s)
    return await one_stream(client, PROMPTS[index % len(PROMPTS)], max_tokens)


async def run_level(
    url: str, concurrency: int, max_tokens: int, interval_s: float = 0.0
) -> LevelResult:
    async with httpx.AsyncClient(base_url=url, timeout=600) as client:
        started = time.perf_counter()
        results = await asyncio.gather(
            *(arriving(client, i, max_tokens, interval_s) for i in range(concurrency))
        )
        wall = time.perf_counter() - started
    ttfts = sorted(r.ttft_s for r in results)
    return LevelResult(
        concurrency=concurrency,
        tokens_per_s=sum(r.tokens for r in results) / wall,
        ttft_p50_s=statistics.median(ttfts),
        ttft_p95_s=ttfts[min(len(ttfts) - 1, round(0.95 * (len(ttfts) - 1)))],
        wall_s=wall,
    )


def bench_model(
    url: str, levels: list[int], max_tokens: int, interval_s: float = 0.0
) -> list[LevelResult]:
    """Each level sends `level` requests, all at once or one every `interval_s` seconds."""
    asyncio.run(run_level(url, 1, 4))  # warm-up
    return [asyncio.run(run_level(url, level, max_tokens, interval_s)) for level in levels]


def format_table(results: list[LevelResult]) -> str:
    lines = [
        "| concurrency | output tokens/s | TTFT p50 (s) | TTFT p95 (s) | wall (s) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.concurrency} | {r.tokens_per_s:.1f} | {r.ttft_p50_s:.2f} "
            f"| {r.ttft_p95_s:.2f} | {r.wall_s:.1f} |"
        )
    return "\n".join(lines)
