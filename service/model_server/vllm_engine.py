"""`VLLMEngine`: the GPU engine, vLLM's `AsyncLLM` inside the LitServe worker.

vLLM schedules continuously, caches prefixes automatically (the system prompt every turn
shares) and applies the fine-tuned LoRA adapter per request. It needs CUDA, so it is an
optional extra (`pip install 'guardchat[vllm]'`, in the CUDA image only); on a CPU its use
is tested against a fake with vLLM's interface. `generate` matches `ContinuousEngine`'s, so
`ChatAPI` serves either.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterator
from pathlib import Path
from typing import Any, Protocol

from service.model_server.engine import Finished, Sampling, before

LORA_NAME = "guardchat-adapter"
LORA_RANK = 8  # the recipe's rank (service/finetune/recipe.py)
STREAM_ENDED = object()


class AsyncLLMLike(Protocol):
    """The part of `vllm.v1.engine.async_llm.AsyncLLM` that guardchat uses."""

    def generate(
        self, prompt: Any, sampling_params: Any, request_id: str, *, lora_request: Any = None
    ) -> AsyncIterator[Any]: ...

    async def abort(self, request_id: str) -> None: ...

    def shutdown(self) -> None: ...


class VLLMEngine:
    """Generations on vLLM, streamed as text pieces and then one `Finished`."""

    def __init__(self, llm: AsyncLLMLike, vllm: Any, adapter: Path | None = None):
        self.llm, self.vllm = llm, vllm
        self.lora = vllm.LoRARequest(LORA_NAME, 1, str(adapter)) if adapter else None
        self.finished: Counter[str] = Counter()
        """How generations ended, by reason (stop, length, timeout, cancelled, error)."""
        self.context_window: int | None = None
        """vLLM handles Gemma 3's sliding windows itself: prompts are never shortened."""

    async def generate(
        self, prompt: list[int], max_new_tokens: int, sampling: Sampling, timeout_s: float
    ) -> AsyncGenerator[str | Finished, None]:
        """Text pieces as they are produced, then one `Finished`."""
        request_id, deadline = uuid.uuid4().hex, time.monotonic() + timeout_s
        params = self._sampling_params(max_new_tokens, sampling)
        outputs = aiter(
            self.llm.generate(
                {"prompt_token_ids": prompt}, params, request_id, lora_request=self.lora
            )
        )
        reason, completion = None, 0
        try:
            while reason is None:
                output: Any = await before(deadline, anext(outputs, STREAM_ENDED))
                reason = _reason(output)
                piece = output.outputs[0] if reason in (None, "stop", "length") else None
                completion += len(piece.token_ids) if piece else 0
                if piece and piece.text:
                    yield piece.text
            yield self._done(reason, len(prompt), completion)
        finally:
            if reason in (None, "timeout"):  # the caller went away, or time ran out
                await self.llm.abort(request_id)
                self.finished["cancelled"] += reason is None

    def _sampling_params(self, max_new_tokens: int, sampling: Sampling) -> Any:
        return self.vllm.SamplingParams(
            max_tokens=max_new_tokens,
            temperature=max(sampling.temperature, 0.0),
            top_p=sampling.top_p,
            top_k=sampling.top_k,
            output_kind=self.vllm.RequestOutputKind.DELTA,
        )

    def _done(self, reason: str, prompt_tokens: int, completion_tokens: int) -> Finished:
        self.finished[reason] += 1
        return Finished(reason, prompt_tokens, completion_tokens)

    def stop(self) -> None:
        self.llm.shutdown()


def _reason(output: Any) -> str | None:
    """Why a generation ended, or None while it goes on."""
    if output is None:
        return "timeout"  # no output before the deadline
    if output is STREAM_ENDED:
        return "error"  # vLLM ended the stream without a finished output
    if not output.finished:
        return None
    return "stop" if output.outputs[0].finish_reason == "stop" else "length"


class VLLMModule:
    """The vLLM names guardchat needs, imported only when the vLLM engine is chosen."""

    def __init__(self) -> None:
        from vllm import SamplingParams
        from vllm.engine.arg_utils import AsyncEngineArgs
        from vllm.lora.request import LoRARequest
        from vllm.sampling_params import RequestOutputKind
        from vllm.v1.engine.async_llm import AsyncLLM

        self.SamplingParams, self.LoRARequest = SamplingParams, LoRARequest
        self.RequestOutputKind, self.AsyncEngineArgs, self.AsyncLLM = (
            RequestOutputKind,
            AsyncEngineArgs,
            AsyncLLM,
        )


def start_vllm(model_dir: Path, adapter: Path | None, max_batch_size: int) -> VLLMEngine:
    """Gemma 3 in bf16 with automatic prefix caching and, when given, the LoRA adapter."""
    vllm = VLLMModule()
    args = vllm.AsyncEngineArgs(
        model=str(model_dir),
        dtype="bfloat16",
        enable_prefix_caching=True,
        enable_lora=adapter is not None,
        max_lora_rank=LORA_RANK,
        max_num_seqs=max_batch_size,
    )
    return VLLMEngine(vllm.AsyncLLM.from_engine_args(args), vllm, adapter)
