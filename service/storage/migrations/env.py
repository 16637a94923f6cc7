"""Alembic's entry point: migrates on the connection `service.storage.migrate` hands in, or,
for `alembic revision --autogenerate` on a developer's machine, on `GUARDCHAT_DATABASE_URL`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from service.config import Settings
from service.storage.migrate import VERSION_TABLE, sync_url
from service.storage.tables import metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = create_engine(sync_url(Settings()))
    with engine.begin() as own_connection:
        run_migrations(own_connection)
    engine.dispose()


main()
