import pytest
from litserve.specs.openai import ChatCompletionRequest

from service.model_server.spec import RequestProblem, validate_request


def request(**fields: object) -> ChatCompletionRequest:
    base: dict[str, object] = {"messages": [{"role": "user", "content": "hi"}]}
    return ChatCompletionRequest(**{**base, **fields})


def test_ordinary_request_is_accepted() -> None:
    validate_request(request(max_tokens=64, temperature=0.7, top_p=0.9))


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"messages": []}, "must not be empty"),
        ({"messages": [{"role": "wizard", "content": "x"}]}, "unknown role"),
        (
            {"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]},
            "last message",
        ),
        ({"max_tokens": 10**9}, "max_tokens"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"temperature": 9.0}, "temperature"),
        ({"top_p": 0}, "top_p"),
        ({"n": 3}, "n=1"),
    ],
)
def test_nonsense_requests_are_refused_with_a_reason(
    fields: dict[str, object], complaint: str
) -> None:
    with pytest.raises(RequestProblem, match=complaint) as caught:
        validate_request(request(**fields))
    assert caught.value.status_code == 400
