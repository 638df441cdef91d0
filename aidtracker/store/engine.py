"""Which database to open, and a SQLAlchemy engine configured for how the store uses it.

The URL comes from, in order: the caller, `AIDTRACKER_DB`, `sqlite:///./aidtracker.db`. A bare
path means an SQLite file, so `--db data/aid.db` works without knowing URL syntax.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from aidtracker.errors import StorageError

DEFAULT_URL = "sqlite:///./aidtracker.db"
ENV_VAR = "AIDTRACKER_DB"
SQLITE_BUSY_MS = 10_000

# Execution option that marks a connection's transaction as a writer (see `_sqlite_begin`).
WRITE = "aidtracker_write"


def resolve_url(url: str | None = None) -> URL:
    """The database URL to use: `url`, else `$AIDTRACKER_DB`, else `./aidtracker.db`."""
    raw = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    if "://" not in raw:
        return URL.create("sqlite", database=str(Path(raw).expanduser()))
    # A plain postgresql:// would pick psycopg2, which is not installed; psycopg 3 is.
    for alias in ("postgresql://", "postgres://"):
        if raw.startswith(alias):
            raw = "postgresql+psycopg://" + raw[len(alias) :]
    try:
        return make_url(raw)
    except sa.exc.ArgumentError as exc:
        raise StorageError(f"not a database URL: {raw!r}") from exc


def create_engine(url: URL) -> sa.Engine:
    """An engine with the per-backend settings the store relies on."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    if url.get_backend_name() == "postgresql":
        return sa.create_engine(url, pool_pre_ping=True)
    raise StorageError(f"unsupported database {url.get_backend_name()!r}: use SQLite or PostgreSQL")


def _sqlite_engine(url: URL) -> sa.Engine:
    """SQLite with WAL (readers never block the writer), foreign keys and a busy timeout.

    pysqlite's own transaction handling is switched off so that the store can open writing
    transactions with `BEGIN IMMEDIATE`: taking the write lock up front means two concurrent
    writers wait on the busy timeout instead of one failing when it upgrades a read lock.
    """
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _sqlite_begin(conn: sa.Connection) -> None:
        writing = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def describe(url: URL) -> str:
    """The URL as it may appear in messages: never with its password."""
    return url.render_as_string(hide_password=True)
