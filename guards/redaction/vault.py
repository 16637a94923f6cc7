"""Per-conversation placeholders: ``<PERSON_1>`` stands for the same value on every turn.

The vault is the only place raw values live. It is sealed (encrypted and authenticated)
before it is stored, and only placeholders it issued itself are ever restored.
"""

from __future__ import annotations

import base64
import json
import os
import re
import threading
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PLACEHOLDER_PATTERN = re.compile(r"<([A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*)_(\d+)>")
"""Anything shaped like a placeholder, issued by a vault or typed by someone."""

_COMPACT_TYPES = frozenset(
    {"PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "ACCOUNT_NUMBER", "IP_ADDRESS"}
)
_SEAL_VERSION = b"\x01"
_SALT_BYTES = 16


class VaultError(Exception):
    """A sealed vault could not be opened: wrong key, tampered with, or not a vault."""


def _normalise(entity_type: str, value: str) -> str:
    """The key under which two spellings of one value share a placeholder."""
    folded = " ".join(value.casefold().split())
    if entity_type in _COMPACT_TYPES:
        return re.sub(r"[^0-9a-z]", "", folded)
    return folded


class PlaceholderVault:
    """One conversation's mapping between raw values and stable placeholders."""

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._values: dict[str, list[str]] = {}
        self._counters: dict[str, int] = {}
        self._reserved: set[str] = set()
        self._lock = threading.Lock()

    def placeholder_for(self, entity_type: str, value: str) -> str:
        """The placeholder for ``value``; the same value always gets the same one."""
        key = f"{entity_type}\x00{_normalise(entity_type, value)}"
        with self._lock:
            placeholder = self._by_key.get(key)
            if placeholder is None:
                placeholder = self._next_placeholder(entity_type)
                self._by_key[key] = placeholder
                self._values[placeholder] = []
            if value not in self._values[placeholder]:
                self._values[placeholder].append(value)
            return placeholder

    def reserve(self, text: str) -> None:
        """Never issue placeholders that already appear, typed, in ``text``."""
        with self._lock:
            self._reserved.update(match.group(0) for match in PLACEHOLDER_PATTERN.finditer(text))

    def restore(self, text: str) -> str:
        """``text`` with every placeholder this vault issued put back; others stay as they are."""
        with self._lock:
            issued = {placeholder: values[0] for placeholder, values in self._values.items()}
        if not issued:
            return text
        alternatives = "|".join(re.escape(p) for p in sorted(issued, key=len, reverse=True))
        return re.sub(alternatives, lambda match: issued[match.group(0)], text)

    def values(self) -> list[str]:
        """Every raw value (all spellings) this conversation owns."""
        with self._lock:
            return [value for spellings in self._values.values() for value in spellings]

    def placeholders(self) -> list[str]:
        """The placeholders issued so far, oldest first."""
        with self._lock:
            return list(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready form (it holds raw values: seal it before storing)."""
        with self._lock:
            return {
                "version": 1,
                "keys": dict(self._by_key),
                "values": {p: list(v) for p, v in self._values.items()},
                "counters": dict(self._counters),
                "reserved": sorted(self._reserved),
            }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlaceholderVault:
        """The vault that `to_dict` described."""
        vault = cls()
        vault._by_key = {str(k): str(v) for k, v in data.get("keys", {}).items()}
        vault._values = {str(p): [str(x) for x in v] for p, v in data.get("values", {}).items()}
        vault._counters = {str(t): int(n) for t, n in data.get("counters", {}).items()}
        vault._reserved = {str(p) for p in data.get("reserved", [])}
        return vault

    def _next_placeholder(self, entity_type: str) -> str:
        while True:
            self._counters[entity_type] = self._counters.get(entity_type, 0) + 1
            placeholder = f"<{entity_type}_{self._counters[entity_type]}>"
            if placeholder not in self._reserved:
                return placeholder


def _fernet(secret_key: str, salt: bytes) -> Fernet:
    """A Fernet cipher whose key is derived from ``secret_key`` and ``salt`` with HKDF."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"guardchat vault v1")
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8"))))


def seal_vault(vault: PlaceholderVault, secret_key: str) -> bytes:
    """The vault encrypted and authenticated with a key derived from ``secret_key``."""
    if not secret_key:
        raise VaultError("a secret key is needed to seal a vault")
    salt = os.urandom(_SALT_BYTES)
    payload = json.dumps(vault.to_dict(), ensure_ascii=False).encode("utf-8")
    return _SEAL_VERSION + salt + _fernet(secret_key, salt).encrypt(payload)


def open_vault(sealed: bytes, secret_key: str) -> PlaceholderVault:
    """The vault `seal_vault` sealed; `VaultError` on a wrong key or any tampering."""
    header_length = len(_SEAL_VERSION) + _SALT_BYTES
    if len(sealed) <= header_length or not sealed.startswith(_SEAL_VERSION):
        raise VaultError("not a sealed vault")
    salt, token = sealed[len(_SEAL_VERSION) : header_length], sealed[header_length:]
    try:
        payload = _fernet(secret_key, salt).decrypt(token)
    except InvalidToken as exc:
        raise VaultError("the vault cannot be opened: wrong key or tampered data") from exc
    return PlaceholderVault.from_dict(json.loads(payload))
