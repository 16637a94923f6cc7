"""Alembic migrations make exactly the tables the models describe, on SQLite and Postgres,
and adopt a database that `metadata.create_all` made before migrations existed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, insert, inspect, select

from service.cli import main
from service.config import Settings
from service.storage.migrate import (
    VERSION_TABLE,
    alembic_config,
    current_revision,
    sync_url,
    upgrade,
)
from service.storage.tables import conversations, metadata
from tests.conftest import postgres_database

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of the test's own on each backend."""
    if request.param == "postgres":
        with postgres_database() as url:
            yield url
        return
    yield f"sqlite:///{tmp_path / 'guardchat.db'}"


@pytest.fixture
def connection(database_url: str) -> Iterator[Connection]:
    settings = Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]
    engine = create_engine(sync_url(settings))
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"version_table": VERSION_TABLE, "compare_type": True}
    )
    return list(compare_metadata(context, metadata))


def migrated(connection: Connection) -> None:
    with connection.begin():
        upgrade(connection)


def test_the_migrated_schema_is_the_models_schema(connection: Connection) -> None:
    migrated(connection)
    assert differences(connection) == []
    assert current_revision(connection) == HEAD


def test_upgrading_again_changes_nothing(connection: Connection) -> None:
    migrated(connection)
    migrated(connection)
    assert differences(connection) == [] and current_revision(connection) == HEAD


def test_a_database_made_before_migrations_is_adopted_with_its_rows(
    connection: Connection,
) -> None:
    with connection.begin():
        metadata.create_all(connection)
        connection.execute(insert(conversations).values(_conversation_row()))
    migrated(connection)
    assert current_revision(connection) == HEAD
    assert connection.execute(select(conversations.c.id)).scalars().all() == ["c_before"]


def test_downgrading_to_nothing_removes_every_table(connection: Connection) -> None:
    migrated(connection)
    config = alembic_config(connection)
    with connection.begin():
        command.downgrade(config, "base")
    assert set(inspect(connection).get_table_names()) <= {VERSION_TABLE}


def _conversation_row() -> dict[str, Any]:
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    return {
        "id": "c_before",
        "status": "bot",
        "turn_lease_until": 0.0,
        "audit_count": 0,
        "created_at": now,
        "updated_at": now,
    }


def test_guardchat_db_upgrade_migrates_the_configured_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "guardchat.db"
    monkeypatch.setenv("GUARDCHAT_DATABASE_URL", f"sqlite:///{database}")
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.strip() == f"schema at revision {HEAD}"
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        assert differences(conn) == []
    engine.dispose()
