"""Alembic migrations of the service's own tables (`service/storage/tables.py`)."""
