"""`guardchat bench model`: output tokens/s and time to first token at several concurrencies,
against a running model server's streaming chat API."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass

import httpx

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


async def one_stream(client: httpx.AsyncClient, prompt: str, max_tokens: int) -> StreamResult:
    body = {"messages": [{"role": "user", "content": prompt}], "max_tokens": max_tokens,
            "stream": True, "temperature": 0.7}  # fmt: skip
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


async def run_level(url: str, concurrency: int, max_tokens: int) -> LevelResult:
    async with httpx.AsyncClient(base_url=url, timeout=600) as client:
        started = time.perf_counter()
        results = await asyncio.gather(
            *(one_stream(client, PROMPTS[i % len(PROMPTS)], max_tokens) for i in range(concurrency))
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


def bench_model(url: str, levels: list[int], max_tokens: int) -> list[LevelResult]:
    asyncio.run(run_level(url, 1, 4))  # warm-up
    return [asyncio.run(run_level(url, level, max_tokens)) for level in levels]


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
