"""Bring a database's schema to the version this code expects, with no alembic.ini anywhere.

Opening a store calls `upgrade_to_head`, so users never run migrations by hand. Developers
adding a migration use Alembic's own commands through this module:

    python -m aidtracker.store.migrate revision --autogenerate -m "add x"

(the database is the one `AIDTRACKER_DB` names, as everywhere else).
"""

from __future__ import annotations

import sys
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import CommandLine, Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from aidtracker.errors import StorageError
from aidtracker.store.engine import WRITE, describe, resolve_url

MIGRATIONS = Path(__file__).parent / "migrations"

# Arbitrary but fixed: every aidtracker process upgrading the same PostgreSQL database
# queues on this advisory lock instead of racing to create the same tables.
_PG_LOCK_KEY = 0x41_49_44_54  # "AIDT"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration built in code, pointing at the packaged migrations."""
    config = Config()
    # ConfigParser interpolates '%', which may occur in paths and URL-encoded passwords.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the packaged migrations have no head"
    return head


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at; `None` for a database never migrated (e.g. empty)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: sa.Engine) -> None:
    """Migrate the database to head, unless it is there already or ahead of this code.

    A database written by a newer aidtracker is refused rather than used, since this code
    would misread (or damage) tables it does not know.
    """
    script = ScriptDirectory.from_config(alembic_config())
    current = current_revision(engine)
    if current is not None and current not in {r.revision for r in script.walk_revisions()}:
        raise StorageError(
            f"database {describe(engine.url)} is at schema revision {current!r}, which this "
            f"version of aidtracker does not know (it knows up to {head_revision()!r}); "
            "upgrade aidtracker or use another database"
        )
    if current == script.get_current_head():
        return
    config = alembic_config()
    with engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")


def main(argv: list[str] | None = None) -> None:
    """Run an Alembic command (`revision`, `history`, `current`, ...) on the packaged scripts."""
    cli = CommandLine(prog="python -m aidtracker.store.migrate")
    options = cli.parser.parse_args(argv)
    if not hasattr(options, "cmd"):
        cli.parser.error("too few arguments")
    config = alembic_config(resolve_url().render_as_string(hide_password=False))
    config.cmd_opts = options
    cli.run_cmd(config, options)


if __name__ == "__main__":
    main(sys.argv[1:])
