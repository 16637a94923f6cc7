"""`ChatAPI`: the LitAPI that turns an OpenAI chat request into streamed model output.

Trace context arrives in the request's `metadata` (LitServe workers never see HTTP headers),
so the model span joins the gateway's trace.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, MutableMapping
from contextlib import aclosing
from pathlib import Path
from typing import Any

import litserve as ls
from fastapi import HTTPException
from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from service.model_server.engine import ContinuousEngine, EngineLimits, Finished, Sampling
from service.model_server.loading import load_model, resolve_model_dir
from service.model_server.naming import model_display_name
from service.model_server.prompting import fitted_prompt_ids, stop_token_ids
from service.model_server.spec import REQUEST_ID, ChatRequest, StrictOpenAISpec
from service.model_server.vllm_engine import VLLMEngine, start_vllm
from service.telemetry import setup_telemetry

tracer = trace.get_tracer("guardchat.model_server")
Engine = ContinuousEngine | VLLMEngine

# The model card's defaults; each can be overridden per request.
DEFAULT_MAX_NEW_TOKENS = 256
DEFAULT_SAMPLING = Sampling(temperature=0.7, top_p=0.95, top_k=50)


class ChatAPI(ls.LitAPI):
    """Loads the model once per worker and generates for many requests at a time."""

    def __init__(
        self,
        model: str,
        adapter: str | None,
        cache_dir: Path,
        max_batch_size: int = 8,
        request_timeout_s: float = 120.0,
        cancellations: MutableMapping[str, float] | None = None,
        engine: str = "transformers",
    ):
        self.model_name = model_display_name(model)
        spec = StrictOpenAISpec(cancellations, self.model_name)
        super().__init__(spec=spec, enable_async=True)
        self.cancellations = cancellations
        self.model_spec, self.adapter, self.cache_dir = model, adapter, cache_dir
        self.engine_kind = engine
        self.engine_batch_size = max_batch_size  # the engine batches; LitServe batching stays off
        self.request_timeout_s = request_timeout_s

    def setup(self, device: str) -> None:
        setup_telemetry("guardchat-model-server")  # workers are processes of their own
        if self.engine_kind == "vllm":
            self.tokenizer, self.engine = self._start_vllm()
        else:
            self.tokenizer, self.engine = self._start_transformers(device)

    def _start_transformers(self, device: str) -> tuple[Any, Engine]:
        loaded = load_model(self.model_spec, self.adapter, device, self.cache_dir)
        stops = stop_token_ids(loaded.tokenizer)
        limits = EngineLimits(max_batch_size=self.engine_batch_size)
        engine = ContinuousEngine(loaded.model, loaded.tokenizer, loaded.vocabulary, stops, limits)
        return loaded.tokenizer, engine

    def _start_vllm(self) -> tuple[Any, Engine]:
        from transformers import AutoTokenizer

        model_dir = resolve_model_dir(self.model_spec, self.cache_dir)
        adapter = Path(self.adapter) if self.adapter else None
        engine = start_vllm(model_dir, adapter, self.engine_batch_size)
        return AutoTokenizer.from_pretrained(model_dir), engine

    async def decode_request(self, request: ChatRequest) -> ChatRequest:
        return request

    async def predict(  # type: ignore[override]
        self, request: ChatRequest
    ) -> AsyncIterator[dict[str, Any]]:
        messages = [{"role": m.role, "content": str(m.content)} for m in request.messages]
        continued = request.continue_final_message
        window = self.engine.context_window
        prompt = fitted_prompt_ids(self.tokenizer, messages, window, continued)
        max_new = request.max_completion_tokens or request.max_tokens or DEFAULT_MAX_NEW_TOKENS
        with tracer.start_as_current_span(
            f"chat {self.model_name}", context=_parent(request), kind=trace.SpanKind.SERVER
        ) as span:
            _describe_request(span, self.model_name, max_new, request)
            request_id = (request.metadata or {}).get(REQUEST_ID, "")
            events = self.engine.generate(
                prompt, max_new, _sampling(request), self.request_timeout_s
            )
            async with aclosing(events):  # closing the generation stops its row of the batch
                async for event in events:
                    if isinstance(event, Finished):
                        yield _final_chunk(event, span)
                    elif self._cancelled(request_id):
                        span.set_attribute("gen_ai.response.cancelled", True)
                        return
                    else:
                        yield {"role": "assistant", "content": event}

    def _cancelled(self, request_id: str) -> bool:
        """Whether the client went away (told by the HTTP process through `cancellations`)."""
        if self.cancellations is None or not request_id:
            return False
        return self.cancellations.pop(request_id, None) is not None

    async def encode_response(  # type: ignore[override]
        self, outputs: AsyncIterator[dict[str, Any]]
    ) -> AsyncIterator[dict[str, Any]]:
        async for output in outputs:
            yield output


def _parent(request: ChatRequest) -> Any:
    carrier = dict(request.metadata or {})
    return TraceContextTextMapPropagator().extract(carrier)


def _sampling(request: ChatRequest) -> Sampling:
    return Sampling(
        temperature=DEFAULT_SAMPLING.temperature
        if request.temperature is None
        else request.temperature,
        top_p=DEFAULT_SAMPLING.top_p if request.top_p is None else request.top_p,
        top_k=DEFAULT_SAMPLING.top_k if request.top_k is None else request.top_k,
    )


def _describe_request(span: trace.Span, model: str, max_new: int, request: ChatRequest) -> None:
    span.set_attribute("gen_ai.operation.name", "chat")
    span.set_attribute("gen_ai.provider.name", "guardchat.litserve")
    span.set_attribute("gen_ai.request.model", model)
    span.set_attribute("gen_ai.request.max_tokens", max_new)
    if request.temperature is not None:
        span.set_attribute("gen_ai.request.temperature", request.temperature)
    conversation = (request.metadata or {}).get("conversation_id")
    if conversation:
        span.set_attribute("gen_ai.conversation.id", conversation)


def _final_chunk(event: Finished, span: trace.Span) -> dict[str, Any]:
    if event.reason == "error":
        raise HTTPException(500, "generation failed")
    finish = "stop" if event.reason == "stop" else "length"
    span.set_attribute("gen_ai.usage.input_tokens", event.prompt_tokens)
    span.set_attribute("gen_ai.usage.output_tokens", event.completion_tokens)
    span.set_attribute("gen_ai.response.finish_reasons", [finish])
    return {
        "role": "assistant",
        "content": "",
        "prompt_tokens": event.prompt_tokens,
        "completion_tokens": event.completion_tokens,
        "total_tokens": event.prompt_tokens + event.completion_tokens,
        "finish_reason": finish,
    }
