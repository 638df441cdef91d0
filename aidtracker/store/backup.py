"""Backup and restore of a whole store: a consistent copy out, and an all-or-nothing copy back in.

SQLite: SQLite's online backup API copies a consistent snapshot even while others write; the
copy is checked (`PRAGMA integrity_check`), switched out of WAL mode so that it is one
self-contained file, and only then renamed to the name asked for. A restore copies the backup
to a temporary file beside the database and renames it over the database, so that at every
instant the database is either the old one or the new one, never half of each; the old
database's write-ahead log is checkpointed and removed first, since SQLite would otherwise
replay it onto the restored file.

PostgreSQL: `pg_dump --format=custom` out (just the store's schema if the URL sets a
search_path), `pg_restore --clean --single-transaction` in, so that a failed restore rolls back.
Both must be on PATH; the password goes to them in the environment, never on a command line
that `ps` would show.

Restore is for an idle database: stop the server and other writers first.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from aidtracker.errors import BackupError
from aidtracker.store.engine import describe, resolve_url
from aidtracker.store.migrate import alembic_config

PG_TIMEOUT = 3600  # seconds: a dump of a large store takes a while, but not forever


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """What was copied: the file, its size, and the schema revision and counts it holds (SQLite)."""

    path: Path
    bytes: int
    revision: str | None = None
    documents: int | None = None
    reviews: int | None = None


def backup(url: str | None, out: str | Path) -> BackupInfo:
    """Write a consistent copy of the store at `url` to `out`, replacing any file there atomically."""
    resolved = resolve_url(url)
    target = Path(out).expanduser().resolve()
    if target.is_dir():
        raise BackupError(f"{target} is a folder; name the backup file to write")
    if not target.parent.is_dir():
        raise BackupError(f"cannot write {target}: no folder {target.parent}")
    if resolved.get_backend_name() == "sqlite":
        return _sqlite_backup(_sqlite_file(resolved), target)
    return _pg_backup(resolved, target)


def restore(url: str | None, source: str | Path) -> BackupInfo:
    """Replace the store at `url` with the backup in `source`, all at once or not at all."""
    resolved = resolve_url(url)
    src = Path(source).expanduser().resolve()
    if not src.is_file():
        raise BackupError(f"no backup file {src}")
    if resolved.get_backend_name() == "sqlite":
        return _sqlite_restore(src, _sqlite_file(resolved))
    return _pg_restore(src, resolved)


# ---------------------------------------------------------------------------------- SQLite


def _sqlite_file(url: URL) -> Path:
    name = url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"{describe(url)} is not a database file that can be backed up or restored")
    return Path(name).expanduser().resolve()


def _sqlite_backup(database: Path, target: Path) -> BackupInfo:
    if not database.is_file():
        raise BackupError(f"no database at {database}")
    if target == database:
        raise BackupError("the backup would overwrite the database itself; name another file")
    tmp = _temporary(target)
    try:
        source = sqlite3.connect(database)
        try:
            _copy(source, tmp)
        finally:
            source.close()
        info = _check_copy(tmp, what=f"the copy of {database}")
        _publish(tmp, target)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot back up {database}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return BackupInfo(target, target.stat().st_size, info.revision, info.documents, info.reviews)


def _sqlite_restore(src: Path, database: Path) -> BackupInfo:
    if src == database:
        raise BackupError("the backup file is the database itself")
    if not database.parent.is_dir():
        raise BackupError(f"cannot restore into {database}: no folder {database.parent}")
    tmp = _temporary(database)
    try:
        try:
            source = sqlite3.connect(f"{src.as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise BackupError(f"{src} is not an aidtracker backup: {exc}") from exc
        try:
            _copy(source, tmp)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{src} is not an aidtracker backup: {exc}") from exc
        finally:
            source.close()
        info = _check_copy(tmp, what=str(src))
        if database.exists():
            # Fold the old database's write-ahead log into it, so none is left to be replayed
            # onto the restored file; a connection still open elsewhere would keep it alive.
            old = sqlite3.connect(database)
            try:
                old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                old.close()
        _publish(tmp, database)
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        _fsync_dir(database.parent)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot restore {src} into {database}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return BackupInfo(database, database.stat().st_size, info.revision, info.documents, info.reviews)


def _copy(source: sqlite3.Connection, tmp: Path) -> None:
    """A snapshot of `source` into the file `tmp`, as one self-contained file (no WAL beside it)."""
    tmp.unlink(missing_ok=True)
    dest = sqlite3.connect(tmp)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
        dest.commit()
    finally:
        dest.close()


def _check_copy(path: Path, *, what: str) -> BackupInfo:
    """Refuse a copy that is damaged, is not an aidtracker store, or is from a newer aidtracker."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        try:
            (verdict,) = conn.execute("PRAGMA integrity_check").fetchone()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{what} is not an aidtracker backup: {exc}") from exc
        if verdict != "ok":
            raise BackupError(f"{what} is damaged: {verdict}")
        if "alembic_version" not in tables or "documents" not in tables:
            raise BackupError(f"{what} is not an aidtracker store (it has no documents table)")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
        known = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if revision not in known:
            raise BackupError(f"{what} is at schema revision {revision!r}, which this aidtracker does not know")
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0] if "reviews" in tables else 0
    finally:
        conn.close()
    return BackupInfo(path, path.stat().st_size, revision, documents, reviews)


def _temporary(beside: Path) -> Path:
    """A temporary name in the same folder, so that the final rename cannot cross file systems."""
    return beside.with_name(f".{beside.name}.{os.getpid()}.tmp")


def _publish(tmp: Path, target: Path) -> None:
    """Make `tmp` durable, then give it `target`'s name in one atomic step."""
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, target)
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ------------------------------------------------------------------------------ PostgreSQL


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not on PATH; install the PostgreSQL client tools to back up or restore")
    return found


def _pg_env(url: URL) -> tuple[dict[str, str], str | None]:
    """libpq's environment for `url`, and the schema its search_path names (None: the default)."""
    env = dict(os.environ)
    for var, value in (
        ("PGHOST", url.host),
        ("PGPORT", str(url.port) if url.port else None),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value:
            env[var] = str(value)
    options = url.query.get("options")
    option = options if isinstance(options, str) else " ".join(options or ())
    schema = None
    if option:
        env["PGOPTIONS"] = option
        found = re.search(r"search_path=([A-Za-z_][A-Za-z0-9_]*)", option)
        schema = found.group(1) if found else None
    return env, schema


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{what} took over {PG_TIMEOUT} s and was stopped") from exc
    if done.returncode != 0:
        message = " ".join(done.stderr.split())[-500:] or f"exit status {done.returncode}"
        raise BackupError(f"{what} failed: {message}")


def _pg_backup(url: URL, target: Path) -> BackupInfo:
    env, schema = _pg_env(url)
    tmp = _temporary(target)
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={tmp}"]
    if schema:
        command.append(f"--schema={schema}")
    try:
        _run(command, env, f"pg_dump of {describe(url)}")
        _publish(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupInfo(target, target.stat().st_size)


def _pg_restore(src: Path, url: URL) -> BackupInfo:
    env, _ = _pg_env(url)
    tool = _pg_tool("pg_restore")
    _run([tool, "--list", str(src)], env, f"reading {src} as a pg_dump archive")
    command = [
        tool,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={url.database}",
        str(src),
    ]
    _run(command, env, f"pg_restore into {describe(url)}")
    return BackupInfo(src, src.stat().st_size)
