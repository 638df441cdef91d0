"""Opening a store: which database, and bringing its schema to the version the code expects."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from aidtracker.errors import StorageError
from aidtracker.ids import document_id
from aidtracker.records import Article
from aidtracker.store import Store, open_store, resolve_url
from aidtracker.store.migrate import current_revision, head_revision
from aidtracker.store.tables import clusters, in_metadata, metadata
from aidtracker.store.view import effective_date_column


def test_an_empty_database_is_migrated_to_head(store: Store, engine: sa.Engine) -> None:
    assert current_revision(engine) == head_revision()
    assert set(sa.inspect(engine).get_table_names()) >= {
        "documents",
        "commitments",
        "agreements",
        "events",
        "people",
        "extractions",
    }


def test_migrations_build_exactly_the_tables_module(store: Store, engine: sa.Engine) -> None:
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLite's reflection skips indexes on expressions; the next test checks the one we have.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index", sa.exc.SAWarning)
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based", UserWarning)
        context = MigrationContext.configure(conn, opts={"include_name": in_metadata})
        assert compare_metadata(context, metadata) == []


def test_the_commitment_page_is_read_in_order_from_its_index(store: Store, engine: sa.Engine) -> None:
    """The newest page of a donor is the first entries of an index range, not a sort of all its clusters."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            defined = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'ix_clusters_commitment_page'"
            ).scalar_one()
            page = sa.select(clusters.c.id).where(
                clusters.c.kind == "commitment", clusters.c.donor == "Japan", clusters.c.scope == "new"
            )
            when = effective_date_column()
            page = page.order_by(when.is_(None), when.desc(), clusters.c.id).limit(51)
            sql = str(page.compile(engine, compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
            assert "ix_clusters_commitment_page" in plan
            assert "TEMP B-TREE" not in plan
        else:
            defined = conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_clusters_commitment_page'"
            ).scalar_one()
    assert "coalesce" in defined.lower()


def test_reopening_a_migrated_store_changes_nothing(db_url: str, store: Store) -> None:
    text = "Estonia sends 10 ambulances."
    doc = Article(id=document_id(text), text=text, source="ee.txt")
    store.add_article(doc)
    with open_store(db_url) as again:
        assert again.article(doc.id) == doc


def test_a_database_from_a_newer_aidtracker_is_refused(db_url: str, engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(StorageError, match=r"9999_from_the_future.*does not know"):
        open_store(db_url)


def test_the_database_url_comes_from_argument_then_env_then_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AIDTRACKER_DB", raising=False)
    assert resolve_url(None).render_as_string() == "sqlite:///./aidtracker.db"
    monkeypatch.setenv("AIDTRACKER_DB", "/var/aid.db")
    assert resolve_url(None).render_as_string() == "sqlite:////var/aid.db"
    assert resolve_url("data/aid.db").render_as_string() == "sqlite:///data/aid.db"
    assert resolve_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    assert resolve_url("postgres://u:p@h/db").drivername == "postgresql+psycopg"


def test_unsupported_databases_are_refused() -> None:
    with pytest.raises(StorageError, match="unsupported database 'mysql'"):
        open_store("mysql://u:p@localhost/db")


def test_an_unopenable_sqlite_file_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="unable to open"):
        open_store(str(tmp_path / "no" / "such" / "dir" / "aid.db"))
