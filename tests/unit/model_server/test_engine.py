import asyncio
import time
from contextlib import aclosing
from pathlib import Path

import pytest
import torch

from service.model_server.engine import ContinuousEngine, EngineLimits, Finished, Sampling
from service.model_server.loading import LoadedModel, load_model
from service.model_server.prefix_sharing import share_prefixes
from service.model_server.prompting import fitted_prompt_ids, prompt_ids
from service.model_server.shortlist import apply_shortlist, reorder_vocabulary
from tests.conftest import MODEL_CACHE

GREEDY = Sampling(temperature=0.0)
NO_STOP = [-1]  # nothing ends a reply early: it runs to its token budget


@pytest.fixture(scope="module")
def tiny(tiny_gemma_dir: Path) -> LoadedModel:
    return load_model(str(tiny_gemma_dir), None, "cpu", MODEL_CACHE)


def engine_for(loaded: LoadedModel, stop_ids: list[int]) -> ContinuousEngine:
    limits = EngineLimits(max_batch_size=4, max_batch_tokens=128, cache_pages=64)
    return ContinuousEngine(loaded.model, loaded.tokenizer, loaded.vocabulary, stop_ids, limits)


def prompt(loaded: LoadedModel, text: str) -> list[int]:
    return prompt_ids(loaded.tokenizer, [{"role": "user", "content": text}])


async def collect(
    engine: ContinuousEngine, ids: list[int], max_new: int, timeout_s: float = 60
) -> tuple[str, Finished]:
    pieces: list[str] = []
    async for event in engine.generate(ids, max_new, GREEDY, timeout_s=timeout_s):
        if isinstance(event, Finished):
            return "".join(pieces), event
        pieces.append(event)
    raise AssertionError("generation ended without Finished")


def test_requests_in_one_batch_keep_their_own_token_budgets(tiny: LoadedModel) -> None:
    engine = engine_for(tiny, NO_STOP)

    async def both() -> list[tuple[str, Finished]]:
        ids = prompt(tiny, "Hello there")
        return await asyncio.gather(collect(engine, ids, 3), collect(engine, ids[:-1], 7))

    (_, short), (_, long) = asyncio.run(both())
    engine.stop()
    assert (short.reason, short.completion_tokens) == ("length", 3)
    assert (long.reason, long.completion_tokens) == ("length", 7)


def test_a_request_arriving_mid_reply_finishes_before_the_long_reply(tiny: LoadedModel) -> None:
    engine = engine_for(tiny, NO_STOP)
    order: list[str] = []

    async def run(name: str, ids: list[int], max_new: int) -> None:
        await collect(engine, ids, max_new)
        order.append(name)

    async def staggered() -> None:
        long = asyncio.create_task(run("long", prompt(tiny, "Tell me everything"), 300))
        await asyncio.sleep(0.5)  # the long reply is under way
        await run("short", prompt(tiny, "Hi"), 3)
        await long

    asyncio.run(staggered())
    engine.stop()
    assert order == ["short", "long"]


def test_a_caller_that_goes_away_frees_its_place(tiny: LoadedModel) -> None:
    engine = engine_for(tiny, NO_STOP)

    async def leave_then_ask() -> Finished:
        async with aclosing(engine.generate(prompt(tiny, "Tell me"), 400, GREEDY, 60)) as events:
            async for _ in events:
                break
        return (await collect(engine, prompt(tiny, "Hi"), 2))[1]

    after = asyncio.run(leave_then_ask())
    engine.stop()
    assert engine.finished["cancelled"] == 1
    assert after.reason == "length"


def test_a_reply_past_its_deadline_ends_as_timeout(tiny: LoadedModel) -> None:
    engine = engine_for(tiny, NO_STOP)
    started = time.monotonic()
    _, finished = asyncio.run(collect(engine, prompt(tiny, "Tell me"), 10_000, timeout_s=0.5))
    engine.stop()
    assert finished.reason == "timeout"
    assert time.monotonic() - started < 10


def test_reordered_vocabulary_generates_what_the_shortlist_head_does(tiny_gemma_dir: Path) -> None:
    masked = load_model(str(tiny_gemma_dir), None, "cpu", MODEL_CACHE)
    reordered = load_model(str(tiny_gemma_dir), None, "cpu", MODEL_CACHE)
    shortlist = sorted({*range(0, 400, 3), *prompt(masked, "Hello there")})
    apply_shortlist(masked.model, shortlist)
    reordered.vocabulary = reorder_vocabulary(reordered.model, shortlist)
    ids = prompt(masked, "Hello there")
    with torch.no_grad():
        expected = masked.model.generate(torch.tensor([ids]), max_new_tokens=6, do_sample=False)
    engine = engine_for(reordered, NO_STOP)
    text, _ = asyncio.run(collect(engine, ids, 6))
    engine.stop()
    assert text == masked.tokenizer.decode(expected[0, len(ids) :], skip_special_tokens=True)


def test_sharing_prefixes_keeps_what_the_model_generates_inside_its_window(
    tiny_gemma_dir: Path,
) -> None:
    original = load_model(str(tiny_gemma_dir), None, "cpu", MODEL_CACHE)
    shared = load_model(str(tiny_gemma_dir), None, "cpu", MODEL_CACHE)
    window = share_prefixes(shared.model)
    ids = torch.tensor([[2, 40, 41, 42, 43]])  # 5 + 8 new tokens: inside the window of 16
    with torch.no_grad():
        expected = original.model.generate(ids, max_new_tokens=8, do_sample=False)
        got = shared.model.generate(ids, max_new_tokens=8, do_sample=False)
    assert window == 16
    assert set(shared.model.config.get_text_config().layer_types) == {"full_attention"}
    assert torch.equal(got, expected)
    assert share_prefixes(shared.model) is None  # nothing left to change


def test_a_conversation_longer_than_the_window_loses_its_oldest_turns(tiny: LoadedModel) -> None:
    turns = [
        {"role": r, "content": f"message number {i}"}
        for i, r in enumerate(["user", "assistant"] * 4)
    ]
    messages = [
        {"role": "system", "content": "Be brief."},
        *turns,
        {"role": "user", "content": "last"},
    ]
    full = prompt_ids(tiny.tokenizer, messages)
    fitted = fitted_prompt_ids(tiny.tokenizer, messages, limit=len(full) - 5)
    text = tiny.tokenizer.decode(fitted)
    assert len(fitted) <= len(full) - 5
    assert "Be brief." in text and "last" in text and "message number 0" not in text
    assert text.index("<start_of_turn>user") < text.index("<start_of_turn>model")


def test_a_long_conversation_keeps_the_reply_it_continues(tiny: LoadedModel) -> None:
    turns = [
        {"role": r, "content": f"message number {i}"}
        for i, r in enumerate(["user", "assistant"] * 4)
    ]
    begun = [{"role": "user", "content": "last"}, {"role": "assistant", "content": "Begun"}]
    messages = [{"role": "system", "content": "Be brief."}, *turns, *begun]
    full = prompt_ids(tiny.tokenizer, messages, continue_final=True)
    fitted = fitted_prompt_ids(tiny.tokenizer, messages, len(full) - 5, continue_final=True)
    text = tiny.tokenizer.decode(fitted)
    assert "message number 0" not in text
    assert text.endswith("last<end_of_turn>\n<start_of_turn>model\nBegun")
