"""Every foreign key's columns lead an index, so that deleting a row it points at stays cheap.

Deleting a row makes the database look for the rows that point at it (to cascade or refuse);
without an index on the pointing columns that is a scan of the child table per row deleted,
which made replacing a resolution quadratic in its clusters until migration 0009.
"""

from __future__ import annotations

import sqlalchemy as sa

from aidtracker.store.tables import metadata


def _led_by(table: sa.Table, columns: list[str]) -> bool:
    prefixes = [[c.name for c in table.primary_key.columns]]
    prefixes += [[getattr(c, "name", "") for c in index.expressions] for index in table.indexes]
    return any(p[: len(columns)] == columns for p in prefixes)


def test_every_foreign_key_leads_an_index() -> None:
    unindexed = [
        f"{table.name}({', '.join(fk.column_keys)})"
        for table in metadata.sorted_tables
        for fk in table.foreign_key_constraints
        if not _led_by(table, list(fk.column_keys))
    ]
    assert unindexed == []


def test_the_check_sees_a_missing_index() -> None:
    scratch = sa.MetaData()
    parent = sa.Table("parent", scratch, sa.Column("id", sa.Integer, primary_key=True))
    child = sa.Table(
        "child",
        scratch,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey(parent.c.id)),
    )
    assert not _led_by(child, ["parent_id"])
    sa.Index("ix_child_parent", child.c.parent_id)
    assert _led_by(child, ["parent_id"])
