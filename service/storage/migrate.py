"""Schema migrations with Alembic (`service/storage/migrations/`), on SQLite and Postgres.

`upgrade` brings the database to the newest revision; the gateway runs it at start-up (and
`guardchat db upgrade` on its own). A database made before migrations existed (by
`metadata.create_all`) holds the initial revision's tables but no version: it is stamped as
the initial revision, then upgraded. On Postgres an advisory lock lets one replica migrate at
a time; the others wait for it, then find nothing left to do.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from service.config import Settings

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "gc_schema_version"
INITIAL_REVISION = "0001"
LOCK_KEY = 0x67636D67
"""The Postgres advisory lock held while migrating ('gcmg')."""


def upgrade(connection: Connection) -> None:
    """Migrate to the newest revision, inside the connection's transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    config = alembic_config(connection)
    if _made_before_migrations(connection):
        command.stamp(config, INITIAL_REVISION)
    command.upgrade(config, "head")


def current_revision(connection: Connection) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, with no .ini file: the migrations ship inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def sync_url(settings: Settings) -> str:
    """The SQLAlchemy URL of the configured database, with a synchronous driver."""
    if settings.is_postgres:
        return "postgresql+psycopg://" + settings.database_url.split("://", 1)[1]
    return f"sqlite:///{settings.sqlite_path}"


def _made_before_migrations(connection: Connection) -> bool:
    tables = set(inspect(connection).get_table_names())
    return "gc_conversations" in tables and VERSION_TABLE not in tables
