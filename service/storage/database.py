"""Opening the database: the SQLAlchemy engine for our tables and the LangGraph checkpointer,
both on the one `GUARDCHAT_DATABASE_URL`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from service.config import Settings
from service.storage.migrate import current_revision, sync_url, upgrade


def engine_url(settings: Settings) -> str:
    """The SQLAlchemy async URL for the configured database (psycopg is sync and async)."""
    return sync_url(settings).replace("sqlite://", "sqlite+aiosqlite://", 1)


async def open_engine(settings: Settings) -> AsyncEngine:
    """An engine on a schema migrated to the newest revision; SQLite gets WAL so readers
    never block the writer."""
    if not settings.is_postgres:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(engine_url(settings), pool_pre_ping=True)
    if not settings.is_postgres:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    async with engine.begin() as conn:
        await conn.run_sync(upgrade)
    return engine


async def migrate(settings: Settings) -> str | None:
    """Migrate the configured database to the newest revision; the revision it is at."""
    engine = await open_engine(settings)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(current_revision)
    finally:
        await engine.dispose()


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
