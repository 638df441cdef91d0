"""The writer inserts a resolution's rows a slice at a time, and every row arrives."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from aidtracker.store import writer


def test_rows_beyond_one_slice_are_all_inserted() -> None:
    scratch = sa.MetaData()
    table = sa.Table("t", scratch, sa.Column("n", sa.Integer, primary_key=True), sa.Column("square", sa.Integer))
    engine = sa.create_engine("sqlite://")
    scratch.create_all(engine)
    total = 2 * writer._INSERT_CHUNK + 7
    made = 0

    def rows() -> Iterator[dict[str, int]]:
        nonlocal made
        for n in range(total):
            made += 1
            yield {"n": n, "square": n * n}

    with engine.begin() as conn:
        statements: list[int] = []
        sa.event.listen(conn, "before_execute", lambda *a: statements.append(1))
        writer._insert(conn, table, rows())
        assert conn.execute(sa.select(sa.func.count(), sa.func.sum(table.c.square))).one() == (
            total,
            sum(n * n for n in range(total)),
        )
    assert made == total and len(statements) == 3 + 1  # three slices, then the check
    with engine.begin() as conn:
        writer._insert(conn, table, iter([]))  # nothing to insert: no statement, no error
