"""Helpers for the end-to-end tests. The service that the tests which only talk to it share,
`served`, is in tests/conftest.py (the model server's own tests use its model server too);
tests that stop or kill the service start their own with `start_service`."""

from __future__ import annotations

import contextlib
from pathlib import Path


def group_members(pgid: int) -> list[int]:
    """The live processes (zombies aside) of process group ``pgid``."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            state, _parent, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
            if int(group) == pgid and state != "Z":
                members.append(int(stat.parent.name))
    return members
