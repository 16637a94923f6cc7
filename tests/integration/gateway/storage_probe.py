"""Looking inside the database the way an auditor would: every table, text and binary."""

from __future__ import annotations

import sqlite3

from service.config import Settings


def database_contains(settings: Settings, *needles: str) -> bool:
    """Whether any needle is stored anywhere in the database, text or binary."""
    if settings.is_postgres:
        return postgres_contains(settings.database_url, *needles)
    return sqlite_contains(settings, *needles)


def postgres_contains(url: str, *needles: str) -> bool:
    import psycopg

    with psycopg.connect(url) as db:
        tables = [
            row[0]
            for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        values = [
            v for table in tables for row in db.execute(f'SELECT * FROM "{table}"') for v in row
        ]
    blob = b"".join(v if isinstance(v, bytes) else str(v).encode() for v in values)
    return any(n.encode() in blob for n in needles)


def sqlite_contains(settings: Settings, *needles: str) -> bool:
    """Search the SQL dump and the raw bytes of the database and its WAL/SHM files."""
    with sqlite3.connect(settings.sqlite_path) as db:
        dump = "\n".join(db.iterdump())
    files = settings.sqlite_path.parent.glob(settings.sqlite_path.name + "*")
    raw = b"".join(path.read_bytes() for path in files)
    return any(n in dump or n.encode() in raw for n in needles)
