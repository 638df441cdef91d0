"""Alembic's entry point: run the migrations on the connection the store hands over.

`aidtracker.store.migrate` puts an open connection, already inside the transaction that holds
the migration lock, into `config.attributes["connection"]`. Developer commands run through
`python -m aidtracker.store.migrate` have none, so an engine is made from the configured URL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from aidtracker.store.engine import create_engine, resolve_url
from aidtracker.store.tables import in_metadata, metadata


def _run(connection: sa.Connection) -> None:
    # Batch mode lets later migrations alter columns on SQLite, which has almost no ALTER.
    # `in_metadata` keeps autogenerate from proposing to drop SQLite's full-text index.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, include_name=in_metadata)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(resolve_url(context.config.get_main_option("sqlalchemy.url")))
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run them against a database")
run_migrations_online()
