"""Opening the database: the SQLAlchemy engine for our tables and the LangGraph checkpointer,
both on the one `GUARDCHAT_DATABASE_URL`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from service.config import Settings
from service.storage.tables import metadata


def engine_url(settings: Settings) -> str:
    """The SQLAlchemy async URL for the configured database."""
    if settings.is_postgres:
        rest = settings.database_url.split("://", 1)[1]
        return f"postgresql+psycopg://{rest}"
    return f"sqlite+aiosqlite:///{settings.sqlite_path}"


async def open_engine(settings: Settings) -> AsyncEngine:
    """An engine with our tables created; SQLite gets WAL so readers never block the writer."""
    if not settings.is_postgres:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(engine_url(settings), pool_pre_ping=True)
    if not settings.is_postgres:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@asynccontextmanager
async def open_checkpointer(settings: Settings) -> AsyncIterator[Any]:
    """LangGraph's own checkpointer for the configured database, set up and ready."""
    if settings.is_postgres:
        async with _postgres_checkpointer(settings.database_url) as saver:
            yield saver
        return
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    async with AsyncSqliteSaver.from_conn_string(str(settings.sqlite_path)) as saver:
        await saver.setup()
        yield saver


@asynccontextmanager
async def _postgres_checkpointer(url: str) -> AsyncIterator[Any]:
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import AsyncConnectionPool

    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    async with AsyncConnectionPool(
        url, kwargs=kwargs, max_size=10, open=False, check=AsyncConnectionPool.check_connection
    ) as pool:
        saver = AsyncPostgresSaver(pool)  # type: ignore[arg-type]
        await saver.setup()
        yield saver
