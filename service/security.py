"""Conversation tokens and bearer-token checks.

A conversation token is the conversation id plus an HMAC-SHA256 of it under the service's
secret key: it proves the bearer was handed that conversation, and no other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def _mac(conversation_id: str, secret_key: str) -> str:
    digest = hmac.new(
        secret_key.encode(), f"conversation:{conversation_id}".encode(), hashlib.sha256
    )
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def conversation_token(conversation_id: str, secret_key: str) -> str:
    return f"{conversation_id}.{_mac(conversation_id, secret_key)}"


def conversation_of(token: str, secret_key: str) -> str | None:
    """The conversation a token grants, or None when the token is forged or malformed."""
    conversation_id, _, mac = token.rpartition(".")
    if not conversation_id or not hmac.compare_digest(mac, _mac(conversation_id, secret_key)):
        return None
    return conversation_id


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison for static bearer tokens."""
    return hmac.compare_digest(given.encode(), expected.encode())
