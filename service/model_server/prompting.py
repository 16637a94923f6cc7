"""Turning chat messages into prompt tokens, and knowing which tokens end a reply.

The tokenizer's own chat template is used when it has one; otherwise the Gemma 3 template
(the production model's) is applied. Gemma has no system role: a system message is
folded into the first user turn, as Gemma 3's own template does.
"""

from __future__ import annotations

from typing import Any

GEMMA3_TEMPLATE = (
    "{{ bos_token }}"
    "{%- if messages[0]['role'] == 'system' -%}"
    "{%- set first_user_prefix = messages[0]['content'] + '\\n\\n' -%}"
    "{%- set loop_messages = messages[1:] -%}"
    "{%- else -%}{%- set first_user_prefix = '' -%}"
    "{%- set loop_messages = messages -%}{%- endif -%}"
    "{%- for message in loop_messages -%}"
    "{%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}"
    "{{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else '') }}"
    "{{ message['content'] | trim }}{{ '<end_of_turn>\\n' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<start_of_turn>model\\n' }}{%- endif -%}"
)

STOP_TOKENS = ("<end_of_turn>", "<|im_end|>", "<|eot_id|>", "<|endoftext|>")
ROLES = ("system", "user", "assistant")


def prompt_ids(
    tokenizer: Any, messages: list[dict[str, str]], continue_final: bool = False
) -> list[int]:
    """Token ids of the whole conversation, ending where the model's reply starts: a new
    reply, or (`continue_final`) the rest of the last message, an assistant's reply begun."""
    if not tokenizer.chat_template:
        tokenizer.chat_template = GEMMA3_TEMPLATE
    text = tokenizer.apply_chat_template(
        messages,
        tokenize=False,
        add_generation_prompt=not continue_final,
        continue_final_message=continue_final,
    )
    ids: list[int] = tokenizer(text, add_special_tokens=False)["input_ids"]
    return ids


def fitted_prompt_ids(
    tokenizer: Any, messages: list[dict[str, str]], limit: int | None, continue_final: bool = False
) -> list[int]:
    """`prompt_ids`, dropping the oldest turns after the system prompt while the prompt is
    longer than `limit` tokens. The system prompt and the latest message (with the reply
    begun after it, when continued) always stay."""
    kept = 2 if continue_final else 1
    ids = prompt_ids(tokenizer, messages, continue_final)
    while limit is not None and len(ids) > limit and len(_history(messages)) > kept:
        messages = _without_oldest_turn(messages)
        ids = prompt_ids(tokenizer, messages, continue_final)
    return ids


def _history(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    return messages[1:] if messages and messages[0]["role"] == "system" else messages


def _without_oldest_turn(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """Without the oldest message after the system prompt; the rest starts with the customer."""
    system = messages[: len(messages) - len(_history(messages))]
    rest = _history(messages)[1:]
    while len(rest) > 1 and rest[0]["role"] != "user":
        rest = rest[1:]
    return [*system, *rest]


def reply_end_ids(tokenizer: Any) -> list[int]:
    """The token that closes a reply in this model's chat format (end of turn, else EOS)."""
    for token in STOP_TOKENS:
        token_id = tokenizer.convert_tokens_to_ids(token)
        if token_id is not None and token_id != tokenizer.unk_token_id:
            return [token_id]
    return [tokenizer.eos_token_id] if tokenizer.eos_token_id is not None else []


def stop_token_ids(tokenizer: Any) -> list[int]:
    """EOS plus any chat end-of-turn markers the vocabulary knows."""
    stops = {tokenizer.eos_token_id} if tokenizer.eos_token_id is not None else set()
    vocab = tokenizer.get_vocab()
    stops.update(vocab[token] for token in STOP_TOKENS if token in vocab)
    return sorted(stops)
