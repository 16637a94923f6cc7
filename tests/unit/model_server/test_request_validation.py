import pytest

from service.model_server.spec import ChatRequest, RequestProblem, validate_request

BEGUN_REPLY = [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]


def request(**fields: object) -> ChatRequest:
    base: dict[str, object] = {"messages": [{"role": "user", "content": "hi"}]}
    return ChatRequest(**{**base, **fields})


def test_ordinary_request_is_accepted() -> None:
    validate_request(request(max_tokens=64, temperature=0.7, top_p=0.9, top_k=20))


def test_a_reply_begun_by_the_assistant_may_be_continued() -> None:
    validate_request(request(messages=BEGUN_REPLY, continue_final_message=True))


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"messages": []}, "must not be empty"),
        ({"messages": [{"role": "wizard", "content": "x"}]}, "unknown role"),
        ({"messages": BEGUN_REPLY}, "last message must be from the user"),
        (
            {"messages": [{"role": "user", "content": "x"}], "continue_final_message": True},
            "last message must be from the assistant",
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
