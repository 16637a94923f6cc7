"""Derived models cached on disk beside the encoder export, keyed by what they were built from."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_key(*parts: bytes | str) -> str:
    """A short hash of everything a derived model depends on."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def cached(path: Path, build: Callable[[], T]) -> T:
    """The object pickled at `path`, or `build()`'s result, written there for next time."""
    if path.exists():
        with path.open("rb") as handle:
            loaded: T = pickle.load(handle)
        return loaded
    built = build()
    with contextlib.suppress(OSError):  # a read-only cache only costs a rebuild next time
        write_atomically(path, pickle.dumps(built))
    return built


def write_atomically(path: Path, payload: bytes) -> None:
    """Write via a temporary file and rename, so a concurrent reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        handle.write(payload)
    os.replace(handle.name, path)
