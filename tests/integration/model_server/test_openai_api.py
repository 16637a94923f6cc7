"""The real model server (LitServe + the embedded Gemma 3 270M with the shipped Bitext
adapter, as `guardchat serve` starts it) through the `openai` client."""

from __future__ import annotations

import openai
import pytest

from graphs import persona_prompt
from service.finetune.data import load_pairs, split_pairs
from tests.conftest import Served

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model_server(served: Served) -> str:
    """The model server that the run's shared `guardchat serve` started as its child
    (tests/conftest.py): a model server starts in 15-20 s on two cores, so not twice."""
    return served.model_url


def client(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0)


def held_out_request(intent: str) -> str:
    """A Bitext request of `intent` that the shipped adapter was never trained on."""
    _, held_out = split_pairs(load_pairs())
    return next(pair.instruction for pair in held_out if pair.intent == intent)


@pytest.mark.parametrize(
    ("intent", "words"),
    [("cancel_order", ("cancel",)), ("change_shipping_address", ("address",)),
     ("recover_password", ("password", "recover", "reset"))],
)  # fmt: skip
def test_the_shipped_fine_tune_answers_held_out_requests_on_intent(
    model_server: str, intent: str, words: tuple[str, ...]
) -> None:
    messages = [
        {"role": "system", "content": persona_prompt("Acme Outfitters")},
        {"role": "user", "content": held_out_request(intent)},
    ]
    reply = client(model_server).chat.completions.create(
        model="gemma",
        messages=messages,
        max_tokens=40,
        temperature=0.0,  # type: ignore[arg-type]
    )
    text = (reply.choices[0].message.content or "").lower()
    assert any(word in text for word in words), text


def test_completion_names_its_model_and_reports_usage_and_length_finish(
    model_server: str,
) -> None:
    reply = client(model_server).chat.completions.create(
        model="gemma",
        messages=[{"role": "user", "content": "How do I cancel my order?"}],
        max_tokens=8,
    )
    assert reply.model == "gemma-3-270m"  # the model that served, not what the client typed
    assert reply.choices[0].message.content
    assert reply.choices[0].finish_reason == "length"
    assert reply.usage is not None and reply.usage.completion_tokens == 8
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + 8


def test_streamed_completion_arrives_in_pieces_and_ends_with_usage(model_server: str) -> None:
    stream = client(model_server).chat.completions.create(
        model="gemma",
        messages=[{"role": "user", "content": "Say hello"}],
        max_tokens=12,
        stream=True,
        temperature=0.0,
    )
    chunks = list(stream)
    texts = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(texts) > 1
    assert chunks[-1].choices[0].finish_reason in ("stop", "length")
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens <= 12
    assert {c.model for c in chunks} == {"gemma-3-270m"}


def test_bad_requests_get_4xx(model_server: str) -> None:
    with pytest.raises(openai.BadRequestError):
        client(model_server).chat.completions.create(model="m", messages=[], max_tokens=5)
    with pytest.raises(openai.BadRequestError):
        client(model_server).chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}], max_tokens=10**9
        )


def test_a_reply_begun_by_the_assistant_is_continued_from_where_it_stops(
    model_server: str,
) -> None:
    begun = [
        {"role": "user", "content": "Can I return a jacket?"},
        {"role": "assistant", "content": "Items can be returned within 30 days of delivery."},
    ]
    reply = client(model_server).chat.completions.create(
        model="gemma",
        messages=begun,  # type: ignore[arg-type]
        max_tokens=8,
        extra_body={"continue_final_message": True, "top_k": 1},
    )
    assert reply.choices[0].message.content  # the rest of the reply, not a refusal
    assert reply.usage is not None and reply.usage.prompt_tokens > 20
