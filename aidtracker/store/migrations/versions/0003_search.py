"""Full-text search: an FTS5 index of document titles and texts, on SQLite builds that have FTS5.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

The index is a virtual table holding its own copy of each title and text (keyed by the document
id, not by SQLite's rowid, which VACUUM may renumber on a table without an INTEGER primary key)
kept current by triggers, so every writer, present or future, keeps it right. It is filled from
the documents already stored. PostgreSQL gets nothing: search there is ILIKE, which needs no
index to be correct, and an expression tsvector index would make very large documents fail to
store. A SQLite without FTS5 gets nothing either, and the store falls back to LIKE.

A later migration that rebuilds `documents` in batch mode drops these triggers with the old
table, and must create them again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# unicode61 splits on anything not a letter or digit and folds case and accents.
CREATE = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5("
    "doc_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')"
)
TRIGGERS = (
    """CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts (doc_id, title, text) VALUES (new.id, coalesce(new.title, ''), new.text);
    END""",
    """CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
        DELETE FROM documents_fts WHERE doc_id = old.id;
    END""",
    """CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
        DELETE FROM documents_fts WHERE doc_id = old.id;
        INSERT INTO documents_fts (doc_id, title, text) VALUES (new.id, coalesce(new.title, ''), new.text);
    END""",
)


def _has_fts5(conn: sa.Connection) -> bool:
    options = {row[0] for row in conn.exec_driver_sql("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite" or not _has_fts5(conn):
        return
    conn.exec_driver_sql(CREATE)
    for trigger in TRIGGERS:
        conn.exec_driver_sql(trigger)
    conn.exec_driver_sql(
        "INSERT INTO documents_fts (doc_id, title, text) SELECT id, coalesce(title, ''), text FROM documents"
    )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for name in ("documents_fts_update", "documents_fts_delete", "documents_fts_insert"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql("DROP TABLE IF EXISTS documents_fts")
