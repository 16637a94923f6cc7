"""Text accepted from clients: NUL characters are refused (PostgreSQL cannot store them, and
no customer types them), so SQLite and PostgreSQL accept exactly the same input."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


CleanText = Annotated[str, AfterValidator(_no_nul)]
"""A string field of a request body."""

ResourceId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
"""A conversation or ticket id in a URL path."""
