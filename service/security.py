"""Conversation tokens (PyJWT) and bearer-token checks.

A conversation token is a JWT (HS256) for the audience `guardchat:conversation` that names
its conversation (`sub`) and expires (`exp`): it proves the bearer was handed that
conversation, and no other, until then. Keys rotate: tokens are signed under the first of
the service's secret keys and accepted under any of them, the header's `kid` naming which.
The signing keys are derived from the secrets for tokens only; the secrets themselves also
seal vaults and make the prompt canary.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import jwt

from service.config import Settings

AUDIENCE = "guardchat:conversation"
ALGORITHM = "HS256"


class TokenRefused(Exception):
    """The token grants nothing."""


class TokenExpired(TokenRefused):
    """The token was genuine, but its time is up."""


class TokenInvalid(TokenRefused):
    """Forged, malformed, for something else, or signed under a key no longer accepted."""


class ConversationTokens:
    """Issues conversation tokens under the first key; accepts them under any."""

    @classmethod
    def from_settings(cls, settings: Settings) -> ConversationTokens:
        return cls(settings.secret_keys, timedelta(hours=settings.conversation_token_ttl_hours))

    def __init__(self, secret_keys: list[str], ttl: timedelta):
        keys = [_derived(secret) for secret in secret_keys]
        if not keys:
            raise ValueError("at least one secret key is needed")
        self.signing_key = keys[0]
        self.keys = {_key_id(key): key for key in keys}
        self.ttl = ttl

    def issue(self, conversation_id: str) -> str:
        now = datetime.now(UTC)
        claims = {"sub": conversation_id, "aud": AUDIENCE, "iat": now, "exp": now + self.ttl}
        headers = {"kid": _key_id(self.signing_key)}
        return jwt.encode(claims, self.signing_key, algorithm=ALGORITHM, headers=headers)

    def conversation_of(self, token: str) -> str:
        """The conversation the token grants; `TokenExpired` or `TokenInvalid` otherwise."""
        try:
            claims = jwt.decode(
                token,
                self._key_for(token),
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                options={"require": ["sub", "aud", "exp"]},
            )
        except jwt.ExpiredSignatureError:
            raise TokenExpired() from None
        except jwt.PyJWTError:  # forged, malformed, another audience or key
            raise TokenInvalid() from None
        return str(claims["sub"])

    def _key_for(self, token: str) -> bytes:
        key_id = jwt.get_unverified_header(token).get("kid")
        key = self.keys.get(key_id) if isinstance(key_id, str) else None
        if key is None:
            raise jwt.InvalidKeyError("signed under a key that is not accepted")
        return key


def _derived(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), b"guardchat conversation token", hashlib.sha256).digest()


def _key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:12]


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison for static bearer tokens."""
    return hmac.compare_digest(given.encode(), expected.encode())
