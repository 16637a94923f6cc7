"""`BatchingEngine`: many concurrent chat requests share one model, in batches, streamed.

A worker thread takes every waiting request that samples the same way (up to
`max_batch_size`), left-pads them into one batch and runs `model.generate` once for all.
A `BatchStreamer` hands each row's new text to its own request as it is produced; a
`RowStops` criterion ends rows one by one (stop token, their own token budget, deadline,
or the client going away), so short replies do not wait for long ones.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections import Counter
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any

import torch
from transformers import StoppingCriteria
from transformers.generation.streamers import BaseStreamer


@dataclass(frozen=True)
class Sampling:
    """How to pick tokens; requests batch together only when these match."""

    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 50

    def generate_kwargs(self) -> dict[str, Any]:
        if self.temperature <= 0:
            return {"do_sample": False}
        return {
            "do_sample": True,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "top_k": self.top_k,
        }


@dataclass(frozen=True)
class Finished:
    """The last event of a generation."""

    reason: str  # "stop" | "length" | "timeout" | "cancelled" | "error"
    prompt_tokens: int
    completion_tokens: int


@dataclass
class Generation:
    """One request's state, shared between the asyncio side and the worker thread."""

    prompt: list[int]
    max_new_tokens: int
    sampling: Sampling
    deadline: float
    loop: asyncio.AbstractEventLoop
    events: asyncio.Queue[str | Finished] = field(default_factory=asyncio.Queue)
    tokens: list[int] = field(default_factory=list)
    text: str = ""
    finished: Finished | None = None
    cancelled: threading.Event = field(default_factory=threading.Event)

    def emit(self, event: str | Finished) -> None:
        try:
            self.loop.call_soon_threadsafe(self.events.put_nowait, event)
        except RuntimeError:  # the caller's event loop is gone: nobody is listening
            self.cancelled.set()

    def finish(self, reason: str) -> None:
        if self.finished is None:
            self.finished = Finished(reason, len(self.prompt), len(self.tokens))
            self.emit(self.finished)


class BatchingEngine:
    """Runs generations for many callers on one model, batching those that arrive together."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        stop_ids: list[int],
        max_batch_size: int = 8,
        batch_window_s: float = 0.05,
    ):
        self.model = model
        self.batch_window_s = batch_window_s
        self.tokenizer = tokenizer
        self.stop_ids = stop_ids
        self.max_batch_size = max_batch_size
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else stop_ids[0]
        self.finished: Counter[str] = Counter()
        """How generations ended, by reason (stop, length, timeout, cancelled, error)."""
        self._waiting: queue.Queue[Generation] = queue.Queue()
        threading.Thread(target=self._work, name="generation", daemon=True).start()

    async def generate(
        self, prompt: list[int], max_new_tokens: int, sampling: Sampling, timeout_s: float
    ) -> AsyncGenerator[str | Finished, None]:
        """Text pieces as they are produced, then one `Finished`."""
        gen = Generation(
            prompt,
            max_new_tokens,
            sampling,
            time.monotonic() + timeout_s,
            asyncio.get_running_loop(),
        )
        self._waiting.put(gen)
        try:
            while True:
                event = await gen.events.get()
                yield event
                if isinstance(event, Finished):
                    return
        finally:
            gen.cancelled.set()  # the caller went away: the row stops at the next step

    def _work(self) -> None:
        while True:
            batch = self._next_batch()
            try:
                self._run(batch)
            except Exception:
                for gen in batch:
                    gen.finish("error")

    def _next_batch(self) -> list[Generation]:
        """The first waiting request plus those arriving within the batch window."""
        first = self._waiting.get()
        batch, later = [first], list[Generation]()
        window_ends = time.monotonic() + self.batch_window_s
        while len(batch) < self.max_batch_size:
            try:
                gen = self._waiting.get(timeout=max(0.0, window_ends - time.monotonic()))
            except queue.Empty:
                break
            (batch if gen.sampling == first.sampling else later).append(gen)
        for gen in later:
            self._waiting.put(gen)
        return [gen for gen in batch if not gen.cancelled.is_set()] or self._next_batch()

    @torch.inference_mode()
    def _run(self, batch: list[Generation]) -> None:
        input_ids, attention = self._left_padded(batch)
        self.model.generate(
            input_ids=input_ids,
            attention_mask=attention,
            max_new_tokens=max(gen.max_new_tokens for gen in batch),
            streamer=BatchStreamer(batch, self.tokenizer, self.stop_ids),
            stopping_criteria=[RowStops(batch)],
            pad_token_id=self.pad_id,
            eos_token_id=self.stop_ids,
            **batch[0].sampling.generate_kwargs(),
        )
        for gen in batch:
            gen.finish("length")
            self.finished[gen.finished.reason if gen.finished else "length"] += 1

    def _left_padded(self, batch: list[Generation]) -> tuple[torch.Tensor, torch.Tensor]:
        width = max(len(gen.prompt) for gen in batch)
        ids = torch.full((len(batch), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, gen in enumerate(batch):
            ids[row, width - len(gen.prompt) :] = torch.tensor(gen.prompt)
            mask[row, width - len(gen.prompt) :] = 1
        device = self.model.device
        return ids.to(device), mask.to(device)


class BatchStreamer(BaseStreamer):
    """Receives one new token per row per step and turns it into each row's new text."""

    def __init__(self, batch: list[Generation], tokenizer: Any, stop_ids: list[int]):
        self.batch = batch
        self.tokenizer = tokenizer
        self.stop_ids = set(stop_ids)
        self.prompt_seen = False

    def put(self, value: torch.Tensor) -> None:
        if not self.prompt_seen:  # generate() first passes the prompt itself
            self.prompt_seen = True
            return
        for gen, token in zip(self.batch, value.view(-1).tolist(), strict=True):
            if gen.finished is None:
                self._add(gen, int(token))

    def _add(self, gen: Generation, token: int) -> None:
        if token in self.stop_ids:
            gen.finish("stop")
            return
        gen.tokens.append(token)
        text = self.tokenizer.decode(gen.tokens, skip_special_tokens=True)
        if text.startswith(gen.text) and not text.endswith("\ufffd"):
            if len(text) > len(gen.text):
                gen.emit(text[len(gen.text) :])
            gen.text = text
        if len(gen.tokens) >= gen.max_new_tokens:
            gen.finish("length")

    def end(self) -> None:
        return None


class RowStops(StoppingCriteria):
    """Per-row stop: finished rows, cancelled callers and passed deadlines."""

    def __init__(self, batch: list[Generation]):
        self.batch = batch

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **_: Any) -> torch.Tensor:
        now = time.monotonic()
        for gen in self.batch:
            if gen.cancelled.is_set():
                gen.finish("cancelled")
            elif now > gen.deadline:
                gen.finish("timeout")
        done = [gen.finished is not None for gen in self.batch]
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)
