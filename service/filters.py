"""JSON Lines filters: one JSON object in per line, exactly one JSON line out per line.

A bad line gets ``{"error": "..."}`` on its own output line; the rest still run and the
exit status is then 1 (see the contract's "Filters").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

Record = dict[str, Any]
Handler = Callable[[Record], Record]


class BadRecord(ValueError):
    """An input record that is well-formed JSON but not what the filter takes."""


def require_text(record: Record, field: str = "text") -> str:
    """The named string field of a record, or a clear `BadRecord`."""
    value = record.get(field)
    if not isinstance(value, str):
        raise BadRecord(f"field {field!r} must be a string")
    return value


def run_filter(handler: Handler, stdin: IO[str], stdout: IO[str]) -> int:
    """Apply `handler` to every line of `stdin`; return the process exit status."""
    status = 0
    for line in stdin:
        if not line.strip():
            continue
        out, ok = _handle_line(handler, line)
        status = status if ok else 1
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return status


def _handle_line(handler: Handler, line: str) -> tuple[Record, bool]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"error": f"invalid JSON: {exc.msg}"}, False
    if not isinstance(record, dict):
        return {"error": "each line must be a JSON object"}, False
    try:
        return handler(record), True
    except BadRecord as exc:
        return {"error": str(exc)}, False
    except Exception as exc:  # one broken line must not stop the others
        return {"error": f"could not process this line ({type(exc).__name__})"}, False
