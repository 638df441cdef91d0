"""Backup and restore on every backend, and upgrading a database made before the review tables."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from trust_corpus import write_corpus
from typer.testing import CliRunner

from aidtracker import cli
from aidtracker.dedupe import resolve
from aidtracker.errors import BackupError
from aidtracker.extract import extract
from aidtracker.ingest import iter_articles
from aidtracker.pipeline import ingest, resolve_store
from aidtracker.records import Judgement
from aidtracker.review import record_review
from aidtracker.store import Store, open_store, resolve_url, rows, tables, view, writer
from aidtracker.store.backup import backup, restore
from aidtracker.store.migrate import alembic_config, current_revision, head_revision

REVIEWS_REVISION = "0004"


def snapshot(store: Store) -> tuple[object, ...]:
    return (store.stats(), store.reviews(), store.resolution(), [u.name for u in store.users()])


def test_a_backup_restores_exactly_what_was_there(reviewed_store: Store, db_url: str, tmp_path: Path) -> None:
    if db_url.startswith("postgresql") and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    store = reviewed_store
    canada = next(c for c in store.clusters("commitment") if c.fields.get("donor") == "Canada")
    record_review(store, "correct", canada.id, by="alice", fields=["amount=16000000"])
    resolve_store(store)
    saved = snapshot(store)
    out = tmp_path / "aid.backup"
    info = backup(db_url, out)
    assert out.is_file() and info.bytes == out.stat().st_size > 0

    record_review(store, "reject", canada.id, by="mallory")  # what the restore must undo
    ingest([str(write_corpus(tmp_path / "more", {"x.txt": "Japan gives $1 million to Ukraine.\n"}))], store)
    assert snapshot(store) != saved
    store.close()

    restore(db_url, out)
    with open_store(db_url) as again:
        assert snapshot(again) == saved
        record_review(again, "confirm", canada.id, by="alice")  # and it works on: ids carry on
        assert [r.id for r in again.reviews()] == [1, 2]


def test_a_sqlite_backup_is_one_checked_file_even_while_the_log_holds_commits(tmp_path: Path) -> None:
    db = tmp_path / "aid.db"
    with open_store(str(db)) as store:
        ingest([str(write_corpus(tmp_path / "c"))], store)
        out = tmp_path / "copy.db"
        out.write_bytes(b"an older backup")  # replaced whole
        info = backup(str(db), out)
        assert (info.revision, info.documents, info.reviews) == (head_revision(), 4, 0)
    assert not Path(f"{out}-wal").exists()
    conn = sqlite3.connect(out)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()


def test_restore_ignores_the_old_databases_write_ahead_log(tmp_path: Path) -> None:
    db = tmp_path / "aid.db"
    with open_store(str(db)) as store:
        ingest([str(write_corpus(tmp_path / "c"))], store)
    backup(str(db), tmp_path / "b.db")
    with open_store(str(db)) as store:
        ingest([str(write_corpus(tmp_path / "d", {"x.txt": "Japan gives $1 million to Ukraine.\n"}))], store)
        assert store.stats()["documents"] == 5
        restore(str(db), tmp_path / "b.db")  # while this store's pool may still hold a connection
    with open_store(str(db)) as store:
        assert store.stats()["documents"] == 4
        assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not an aidtracker"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "not an aidtracker"),
        (b"PGDMP garbage", "not an aidtracker"),
        ("empty-sqlite", "not an aidtracker store"),
        ("future", "revision '9999'"),
    ],
)
def test_a_bad_backup_is_refused_and_the_database_kept(tmp_path: Path, content: bytes | str, message: str) -> None:
    db = tmp_path / "aid.db"
    with open_store(str(db)) as store:
        ingest([str(write_corpus(tmp_path / "c"))], store)
    bad = tmp_path / "bad.db"
    if content == "empty-sqlite":
        sqlite3.connect(bad).execute("CREATE TABLE t (x)").connection.close()
    elif content == "future":
        backup(str(db), bad)
        conn = sqlite3.connect(bad)
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
        conn.close()
    else:
        assert isinstance(content, bytes)
        bad.write_bytes(content)
    with pytest.raises(BackupError, match=message):
        restore(str(db), bad)
    with open_store(str(db)) as store:
        assert store.stats()["documents"] == 4
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def test_backup_and_restore_refuse_what_they_cannot_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BackupError, match="no database at"):
        backup(str(tmp_path / "missing.db"), tmp_path / "out.db")
    with pytest.raises(BackupError, match="no backup file"):
        restore(str(tmp_path / "aid.db"), tmp_path / "missing.db")
    with pytest.raises(BackupError, match="is a folder"):
        backup(str(tmp_path / "aid.db"), tmp_path)
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(BackupError, match="pg_dump is not on PATH"):
        backup("postgresql://u:p@127.0.0.1:1/db", tmp_path / "out.dump")


def test_the_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "aid.db")
    env = {"AIDTRACKER_DB": db, "COLUMNS": "200"}
    runner = CliRunner()
    assert runner.invoke(cli.app, ["ingest", str(write_corpus(tmp_path / "c"))], env=env).exit_code == 0
    done = runner.invoke(cli.app, ["backup", str(tmp_path / "b.db")], env=env)
    assert done.exit_code == 0, done.output
    assert f"backed up to {tmp_path / 'b.db'}" in done.stdout and "4 documents, 0 reviews" in done.stdout
    declined = runner.invoke(cli.app, ["restore", str(tmp_path / "b.db")], env=env, input="n\n")
    assert declined.exit_code == 1
    restored = runner.invoke(cli.app, ["restore", str(tmp_path / "b.db"), "--yes"], env=env)
    assert restored.exit_code == 0, restored.output
    bad = runner.invoke(cli.app, ["restore", str(tmp_path / "nope.db"), "--yes"], env=env)
    assert bad.exit_code == 2 and bad.stderr.startswith("error[AT310]: no backup file")


# --------------------------------------------------------------------------------- migration


def test_upgrading_a_database_from_before_the_review_tables_keeps_its_data(db_url: str, tmp_path: Path) -> None:
    previous = ScriptDirectory.from_config(alembic_config()).get_revision(REVIEWS_REVISION).down_revision
    assert isinstance(previous, str)
    engine = sa.create_engine(resolve_url(db_url))
    try:
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, previous)
        assert current_revision(engine) == previous
        assert "reviews" not in sa.inspect(engine).get_table_names()
        # Fill it through the store's writer, not a Store (which would migrate first): documents,
        # facts, a resolution and a reviewer's judgement.
        articles = [a for a in iter_articles([str(write_corpus(tmp_path / "c"))]) if not isinstance(a, Exception)]
        with engine.begin() as conn:
            for article in articles:
                row = rows.article_row(article, version=1, supersedes=None, now=_now())
                del row["known_from"]  # a column from migration 0005 on; this schema is older
                conn.execute(sa.insert(tables.documents), [row])
                writer.replace_extraction(conn, extract(article), extractor="rules.v1", now=_now())
        with engine.begin() as conn:
            mentions = view.mentions_of_documents(conn, [a.id for a in articles], view.mention_tables(None))
            resolution = resolve(mentions)
            writer.replace_resolution(conn, resolution, now=_now())
            a, b = sorted(m.id for m in mentions)[:2]
            writer.add_judgement(conn, Judgement(a, b, False, 0.0, ("not the same",), by="olga"), now=_now())
            before = (view.stats(conn), view.resolution(conn))

        with open_store(db_url) as store:
            assert current_revision(engine) == head_revision()
            assert (store.stats(), store.resolution()) == before
            assert [j.by for j in store.resolution().judgements if j.by != "machine"] == ["olga"]
            assert store.reviews() == [] and store.users() == []
            canada = next(c for c in store.clusters("commitment") if c.fields.get("donor") == "Canada")
            record_review(store, "confirm", canada.id, by="alice")  # the new tables work
            resolve_store(store)
            assert [r.by for r in store.reviews()] == ["alice"]
    finally:
        engine.dispose()


def test_the_review_migration_goes_down_and_up_again(db_url: str) -> None:
    engine = sa.create_engine(resolve_url(db_url))
    try:
        with open_store(db_url) as store:  # at head, with the review tables
            assert store.review_count() == 0
        config = alembic_config()
        previous = ScriptDirectory.from_config(config).get_revision(REVIEWS_REVISION).down_revision
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, str(previous))
        assert not {"reviews", "users"} & set(sa.inspect(engine).get_table_names())
        with open_store(db_url) as store:
            assert store.review_count() == 0 and current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def _now() -> datetime:
    return datetime(2024, 1, 1, tzinfo=UTC)
