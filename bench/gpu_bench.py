"""GPU benchmark and smoke test for the production model path (issue 3).

Builds a randomly initialised model with Gemma 3 4B's exact shape in bf16 (the same cost per
token as the real checkpoint, which cannot be downloaded here), saves it, loads it through
the server's own loading code, checks it generates, then measures output tokens/s and time
to first token at several concurrencies through `ContinuousEngine` (transformers' continuous
batching), and the single-stream
decode rate against the GPU's memory bandwidth.

    python bench/gpu_bench.py --levels 1,2,4,8,16,32 --max-tokens 256 --engines transformers,vllm

Each engine (transformers' continuous batching, and vLLM when the `vllm` extra is installed)
runs the same model and prompts, one after the other, so the tables compare side by side.

Goals (issue 3): single-stream decode >= 60% of what the memory bandwidth allows for ~8 GB
of weights; >= 2,500 output tokens/s aggregate at 32 concurrent streams.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import torch

from service.model_server.engine import ContinuousEngine, EngineLimits, Finished, Sampling
from service.model_server.loading import load_model
from service.model_server.prompting import prompt_ids, stop_token_ids

# Gemma 3 4B (google/gemma-3-4b-it) text tower, as published in its config.json.
GEMMA3_4B_TEXT = {
    "vocab_size": 262208, "hidden_size": 2560, "intermediate_size": 10240,
    "num_hidden_layers": 34, "num_attention_heads": 8, "num_key_value_heads": 4,
    "head_dim": 256, "sliding_window": 1024, "max_position_embeddings": 131072,
    "rope_theta": 1000000.0, "query_pre_attn_scalar": 256,
}  # fmt: skip
PROMPT = "My order arrived damaged. What are my options for a replacement or a refund?"


def build_model_dir(target: Path) -> Path:
    """A random Gemma 3 4B-shaped text model in bf16 plus a tokenizer, saved to `target`."""
    from transformers import AutoTokenizer, Gemma3ForCausalLM, Gemma3TextConfig

    from service.config import EMBEDDED_MODEL
    from service.model_server.loading import resolve_model_dir

    config = Gemma3TextConfig(**GEMMA3_4B_TEXT, torch_dtype="bfloat16")
    with torch.device("cuda"):
        model = Gemma3ForCausalLM(config).to(torch.bfloat16)
    model.save_pretrained(target)
    tokenizer = AutoTokenizer.from_pretrained(resolve_model_dir(EMBEDDED_MODEL, Path("var/models")))
    tokenizer.add_special_tokens(
        {"additional_special_tokens": ["<start_of_turn>", "<end_of_turn>"]}
    )
    tokenizer.chat_template = None
    tokenizer.save_pretrained(target)
    (target / "chat_template.jinja").unlink(missing_ok=True)
    return target


async def one_stream(
    engine: ContinuousEngine, prompt: list[int], max_tokens: int
) -> tuple[float, float, int]:
    started, first = time.perf_counter(), 0.0
    async for event in engine.generate(
        prompt, max_tokens, Sampling(temperature=0.7), timeout_s=600
    ):
        if isinstance(event, Finished):
            return first, time.perf_counter() - started, event.completion_tokens
        if not first:
            first = time.perf_counter() - started
    raise RuntimeError("no Finished event")


async def level(
    engine: ContinuousEngine, prompt: list[int], concurrency: int, max_tokens: int
) -> str:
    started = time.perf_counter()
    results = await asyncio.gather(
        *(one_stream(engine, prompt, max_tokens) for _ in range(concurrency))
    )
    wall = time.perf_counter() - started
    ttfts = sorted(r[0] for r in results)
    tokens = sum(r[2] for r in results)
    cells = [
        concurrency,
        f"{tokens / wall:.0f}",
        f"{statistics.median(ttfts):.3f}",
        f"{ttfts[-1]:.3f}",
    ]
    return "| " + " | ".join(str(c) for c in [*cells, tokens]) + " |"


def bandwidth_bound(model_dir: Path) -> float:
    """Tokens/s a single stream could reach if every step only read the weights once."""
    weight_bytes = sum(f.stat().st_size for f in model_dir.glob("*.safetensors"))
    props = torch.cuda.get_device_properties(0)
    bandwidth = 2 * props.memory_clock_rate * 1e3 * props.memory_bus_width / 8  # bytes/s, DDR
    print(
        f"weights: {weight_bytes / 1e9:.2f} GB; peak memory bandwidth ~{bandwidth / 1e12:.2f} TB/s"
    )
    return bandwidth / weight_bytes


def start_engine(name: str, model_dir: Path, max_batch: int) -> tuple[Any, Any]:
    """(engine, tokenizer) for `name`: transformers' continuous batching, or vLLM."""
    if name == "vllm":
        from transformers import AutoTokenizer

        from service.model_server.vllm_engine import start_vllm

        return start_vllm(model_dir, None, max_batch), AutoTokenizer.from_pretrained(model_dir)
    loaded = load_model(str(model_dir), None, "cuda", Path("var/models"))
    limits = EngineLimits(max_batch_size=max_batch, max_batch_tokens=2048, cache_pages=4096)
    stops = stop_token_ids(loaded.tokenizer)
    engine = ContinuousEngine(loaded.model, loaded.tokenizer, loaded.vocabulary, stops, limits)
    return engine, loaded.tokenizer


def bench_engine(name: str, model_dir: Path, args: argparse.Namespace) -> None:
    engine, tokenizer = start_engine(name, model_dir, args.max_batch)
    prompt = prompt_ids(tokenizer, [{"role": "user", "content": PROMPT}])
    print(f"## {name}\nsmoke:", asyncio.run(one_stream(engine, prompt, 8)))
    print(
        "| concurrency | output tokens/s | TTFT p50 (s) | TTFT max (s) | tokens |\n"
        "|---:|---:|---:|---:|---:|"
    )
    for concurrency in [int(x) for x in args.levels.split(",")]:
        row = asyncio.run(level(engine, prompt, concurrency, args.max_tokens))
        print(row)
        if concurrency == 1:
            rate = float(row.split("|")[2])
            bound = bandwidth_bound(model_dir)
            print(f"single stream: {rate:.0f} tok/s = {100 * rate / bound:.0f}% of {bound:.0f}")
    engine.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--levels", default="1,2,4,8,16,32")
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--max-batch", type=int, default=32)
    parser.add_argument("--engines", default="transformers,vllm")
    args = parser.parse_args()
    assert torch.cuda.is_available(), "this benchmark needs a CUDA GPU"
    print(torch.cuda.get_device_name(0), "torch", torch.__version__)
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = build_model_dir(Path(tmp))
        for name in args.engines.split(","):
            bench_engine(name, model_dir, args)


if __name__ == "__main__":
    main()
