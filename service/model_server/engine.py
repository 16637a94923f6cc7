"""`ContinuousEngine`: many concurrent chat requests share one model, streamed, through
transformers' continuous batching.

Requests join and leave the running batch at every step (paged attention, chunked prefill),
so a request that arrives mid-reply starts at the next step and a short reply never waits
for a long one. Prompts sharing a start (the system prompt) share its KV pages
(`prefix_sharing`). Each request keeps its own sampling, token budget and deadline, and stops
when its caller goes away. The model's token ids may be reordered (`VocabularyOrder`):
prompts go in mapped, replies come back mapped before decoding.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncGenerator, Awaitable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from transformers import GenerationConfig
from transformers.generation import ContinuousBatchingConfig
from transformers.generation.continuous_batching.requests import GenerationOutput, RequestStatus

from service.model_server.prefix_sharing import share_prefixes
from service.model_server.shortlist import VocabularyOrder

T = TypeVar("T")
PAGE_SIZE = 32
"""Tokens per KV cache page: small pages waste little memory on short support replies."""


@dataclass(frozen=True)
class Sampling:
    """How to pick tokens, per request."""

    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 50

    def processor_kwargs(self) -> dict[str, Any]:
        """Per-request settings for the batch's samplers; temperature 0 is greedy (top-1)."""
        if self.temperature <= 0:
            return {"temperature": 1.0, "top_p": 1.0, "top_k": 1}
        return {"temperature": self.temperature, "top_p": self.top_p, "top_k": self.top_k}


@dataclass(frozen=True)
class Finished:
    """The last event of a generation."""

    reason: str  # "stop" | "length" | "timeout" | "cancelled" | "error"
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class EngineLimits:
    """How much the engine may hold: requests decoding together, tokens per step, cache pages."""

    max_batch_size: int = 16
    max_batch_tokens: int = 512
    cache_pages: int = 512


@dataclass
class TextStream:
    """Turns a request's growing token list into new text, holding back split characters."""

    tokenizer: Any
    vocabulary: VocabularyOrder
    stop_ids: frozenset[int]
    tokens: list[int] = field(default_factory=list)
    text: str = ""

    def update(self, model_ids: list[int], final: bool = False) -> str:
        """The text added since the last update (a split character waits, unless `final`)."""
        self.tokens = [t for t in self.vocabulary.to_vocab(model_ids) if t not in self.stop_ids]
        text = self.tokenizer.decode(self.tokens, skip_special_tokens=True)
        if not text.startswith(self.text) or (text.endswith("\ufffd") and not final):
            return ""
        new, self.text = text[len(self.text) :], text
        return new

    def finish_reason(self, output: GenerationOutput) -> str:
        if output.status == RequestStatus.FAILED:
            return "error"
        last = self.vocabulary.to_vocab(output.generated_tokens[-1:])
        return "stop" if last and last[0] in self.stop_ids else "length"


class ContinuousEngine:
    """Runs generations for many callers on one model, batching them step by step."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        vocabulary: VocabularyOrder,
        stop_ids: list[int],
        limits: EngineLimits | None = None,
    ):
        self.tokenizer, self.vocabulary = tokenizer, vocabulary
        self.stop_ids = frozenset(stop_ids)
        self.context_window = share_prefixes(model)
        """Longest prompt (tokens) the model stays exact for; callers shorten longer ones."""
        self.finished: Counter[str] = Counter()
        """How generations ended, by reason (stop, length, timeout, cancelled, error)."""
        self.manager = model.init_continuous_batching(
            generation_config=_generation_config(vocabulary.to_model(sorted(stop_ids))),
            continuous_batching_config=_batching_config(limits or EngineLimits()),
        )
        self.manager.start()

    async def generate(
        self, prompt: list[int], max_new_tokens: int, sampling: Sampling, timeout_s: float
    ) -> AsyncGenerator[str | Finished, None]:
        """Text pieces as they are produced, then one `Finished`."""
        request_id, outputs = self._submit(prompt, max_new_tokens, sampling)
        stream = TextStream(self.tokenizer, self.vocabulary, self.stop_ids)
        deadline, finished = time.monotonic() + timeout_s, None
        try:
            while finished is None:
                output = await before(deadline, outputs.get())
                if output is None:
                    finished = self._end(request_id, "timeout", prompt, stream)
                elif new := stream.update(output.generated_tokens, output.is_finished()):
                    yield new
                if output is not None and output.is_finished():
                    finished = self._done(stream.finish_reason(output), prompt, stream)
            yield finished
        finally:
            if finished is None:  # the caller went away: free the request's place in the batch
                self._end(request_id, "cancelled", prompt, stream)

    def _submit(
        self, prompt: list[int], max_new_tokens: int, sampling: Sampling
    ) -> tuple[str, asyncio.Queue[GenerationOutput]]:
        request_id = uuid.uuid4().hex
        outputs: asyncio.Queue[GenerationOutput] = asyncio.Queue()
        self.manager.register_result_handler(request_id, outputs.put_nowait)
        self.manager.add_request(
            self.vocabulary.to_model(prompt),
            request_id=request_id,
            max_new_tokens=max_new_tokens,
            streaming=True,
            **sampling.processor_kwargs(),
        )
        return request_id, outputs

    def _end(self, request_id: str, reason: str, prompt: list[int], stream: TextStream) -> Finished:
        """Stop a request that has not finished by itself."""
        self.manager.cancel_request(request_id)
        with self.manager.output_router._lock:  # a cancelled request gets no final output
            self.manager.output_router.result_handlers.pop(request_id, None)
        return self._done(reason, prompt, stream)

    def _done(self, reason: str, prompt: list[int], stream: TextStream) -> Finished:
        self.finished[reason] += 1
        return Finished(reason, len(prompt), len(stream.tokens))

    def stop(self) -> None:
        """Stop the batching thread (in-flight requests end as errors)."""
        self.manager.stop(block=True, timeout=5)


async def before(deadline: float, next_output: Awaitable[T]) -> T | None:
    """The awaited output, or None when the deadline (`time.monotonic()`) passes first."""
    try:
        return await asyncio.wait_for(next_output, max(0.0, deadline - time.monotonic()))
    except TimeoutError:
        return None


def _generation_config(stop_ids: list[int]) -> GenerationConfig:
    """Sampling on, with the model card's defaults; each request overrides them."""
    return GenerationConfig(
        do_sample=True,
        temperature=0.7,
        top_p=0.95,
        top_k=50,
        max_new_tokens=256,
        eos_token_id=stop_ids,
    )


def _batching_config(limits: EngineLimits) -> ContinuousBatchingConfig:
    return ContinuousBatchingConfig(
        page_size=PAGE_SIZE,
        num_blocks=limits.cache_pages,
        max_batch_tokens=limits.max_batch_tokens,
        max_requests_per_batch=limits.max_batch_size,
        per_request_processors=True,
    )
