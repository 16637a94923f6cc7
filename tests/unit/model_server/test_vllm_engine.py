"""`VLLMEngine` against a fake with vLLM's `AsyncLLM` interface (vLLM needs CUDA)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from service.model_server.engine import Finished, Sampling
from service.model_server.vllm_engine import LORA_NAME, VLLMEngine


@dataclass
class FakeSamplingParams:
    max_tokens: int
    temperature: float
    top_p: float
    top_k: int
    output_kind: str


@dataclass
class FakeLoRARequest:
    name: str
    id: int
    path: str


FAKE_VLLM = SimpleNamespace(
    SamplingParams=FakeSamplingParams,
    LoRARequest=FakeLoRARequest,
    RequestOutputKind=SimpleNamespace(DELTA="delta"),
)


def output(text: str, finish_reason: str | None = None) -> Any:
    piece = SimpleNamespace(
        text=text, token_ids=[0] * len(text.split()), finish_reason=finish_reason
    )
    return SimpleNamespace(outputs=[piece], finished=finish_reason is not None)


@dataclass
class FakeAsyncLLM:
    """Streams `pieces` as DELTA outputs, `pause_s` apart; records what it was asked."""

    pieces: list[str]
    finish_reason: str = "stop"
    pause_s: float = 0.0
    calls: list[dict[str, Any]] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)

    async def generate(
        self, prompt: Any, sampling_params: Any, request_id: str, *, lora_request: Any = None
    ) -> AsyncIterator[Any]:
        self.calls.append({"prompt": prompt, "params": sampling_params, "lora": lora_request})
        for i, text in enumerate(self.pieces):
            await asyncio.sleep(self.pause_s)
            yield output(text, self.finish_reason if i == len(self.pieces) - 1 else None)

    async def abort(self, request_id: str) -> None:
        self.aborted.append(request_id)

    def shutdown(self) -> None:
        return None


async def collect(engine: VLLMEngine, timeout_s: float = 5) -> list[str | Finished]:
    return [event async for event in engine.generate([2, 7, 9], 32, Sampling(), timeout_s)]


def test_streams_the_reply_then_why_it_ended_with_the_adapter_and_sampling() -> None:
    llm = FakeAsyncLLM(["Hello ", "there, ", "friend."])
    engine = VLLMEngine(llm, FAKE_VLLM, adapter=Path("/adapters/bitext"))
    events = asyncio.run(collect(engine))
    assert events[:-1] == ["Hello ", "there, ", "friend."]
    assert events[-1] == Finished("stop", prompt_tokens=3, completion_tokens=3)
    call = llm.calls[0]
    assert call["prompt"] == {"prompt_token_ids": [2, 7, 9]}
    assert call["lora"] == FakeLoRARequest(LORA_NAME, 1, "/adapters/bitext")
    assert (call["params"].max_tokens, call["params"].top_k) == (32, 50)
    assert call["params"].output_kind == "delta"


def test_a_reply_cut_at_its_budget_ends_as_length() -> None:
    engine = VLLMEngine(FakeAsyncLLM(["a b"], finish_reason="length"), FAKE_VLLM)
    assert asyncio.run(collect(engine))[-1] == Finished("length", 3, 2)


def test_a_caller_that_goes_away_aborts_the_request() -> None:
    llm = FakeAsyncLLM(["one ", "two ", "three"], pause_s=0.01)
    engine = VLLMEngine(llm, FAKE_VLLM)

    async def leave_after_first_piece() -> None:
        async with aclosing(engine.generate([1], 8, Sampling(), 5)) as events:
            async for _ in events:
                break

    asyncio.run(leave_after_first_piece())
    assert len(llm.aborted) == 1
    assert engine.finished["cancelled"] == 1


def test_a_silent_engine_past_the_deadline_times_out_and_is_aborted() -> None:
    llm = FakeAsyncLLM(["late"], pause_s=5)
    engine = VLLMEngine(llm, FAKE_VLLM)
    events = asyncio.run(collect(engine, timeout_s=0.2))
    assert events == [Finished("timeout", 3, 0)]
    assert len(llm.aborted) == 1
