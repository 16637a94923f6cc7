"""`ModelServerClient`: the gateway's client of the model server's OpenAI-compatible API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx

from graphs.services import ModelUnavailable


class ModelServerClient:
    """Streams chat completions; any failure to get an answer is `ModelUnavailable`."""

    def __init__(self, base_url: str, timeout_s: float, connect_timeout_s: float = 3.0):
        self.base_url = base_url.rstrip("/")
        timeout = httpx.Timeout(timeout_s, connect=connect_timeout_s)
        self.http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout)

    async def stream(
        self, messages: list[dict[str, str]], max_tokens: int, metadata: dict[str, str]
    ) -> AsyncIterator[str]:
        body = {"messages": messages, "max_tokens": max_tokens, "stream": True, "metadata": metadata}
        try:
            async with self.http.stream("POST", "/v1/chat/completions", json=body) as response:
                if response.status_code != 200:
                    raise ModelUnavailable(f"model server answered {response.status_code}")
                async for text in _deltas(response):
                    yield text
        except httpx.HTTPError as exc:
            raise ModelUnavailable(type(exc).__name__) from None

    async def healthy(self) -> bool:
        try:
            return (await self.http.get("/health", timeout=2.0)).status_code == 200
        except httpx.HTTPError:
            return False

    async def aclose(self) -> None:
        await self.http.aclose()


async def _deltas(response: httpx.Response) -> AsyncIterator[str]:
    async for line in response.aiter_lines():
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        chunk = json.loads(line[6:])
        if "error" in chunk:
            raise ModelUnavailable("model server reported an error mid-stream")
        for choice in chunk.get("choices", []):
            text = (choice.get("delta") or {}).get("content")
            if text:
                yield text
