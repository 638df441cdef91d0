"""Finding documents: filters, key-set pages and word search, the same on every backend and path.

SQLite answers word searches from its FTS5 index, PostgreSQL (and a SQLite without FTS5)
with LIKE; both are checked against one definition of a match, so they must agree.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command

from aidtracker.ids import document_id
from aidtracker.records import Article
from aidtracker.store import Store, resolve_url, search
from aidtracker.store.migrate import alembic_config
from aidtracker.store.search import matcher, query_words

TEXTS = [
    ("Japan grants 15 billion yen for substations", date(2024, 2, 19), "Asia Wire"),
    ("Lending to Ukraine: the EU's 5 billion euro loan", date(2024, 6, 12), "Brussels Times"),
    ("Kyiv's Zelenskyy thanks Japan; 100% of the grant is for energy_grid repairs", None, "Kyiv Post"),
    ("Canada's aid (50% humanitarian) arrives in Lviv", date(2024, 3, 5), "Maple Blog"),
]


@pytest.fixture
def stocked(store: Store) -> Store:
    for text, published, publisher in TEXTS:
        title = text.split(":")[0]
        store.add_article(
            Article(
                id=document_id(text),
                text=text,
                source=f"{publisher}.txt",
                title=title,
                published=published,
                publisher=publisher,
            )
        )
    return store


def publishers(store: Store, **kwargs: object) -> list[str | None]:
    return [h.document.publisher for h in store.documents(**kwargs)]  # type: ignore[arg-type]


def test_documents_are_newest_first_undated_last(stocked: Store) -> None:
    assert publishers(stocked) == ["Brussels Times", "Maple Blog", "Asia Wire", "Kyiv Post"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("japan", ["Asia Wire", "Kyiv Post"]),
        ("JAPAN grant", ["Asia Wire", "Kyiv Post"]),  # "grants" starts with "grant"
        ("substation", ["Asia Wire"]),
        ("station", []),  # the middle of a word is not a match
        ("lend", ["Brussels Times"]),  # in the title and the text
        ("energy", ["Kyiv Post"]),  # "energy_grid": the underscore separates words
        ("grid", ["Kyiv Post"]),
        ("zelenskyy", ["Kyiv Post"]),
        ("50", ["Maple Blog"]),
        ("'; DROP TABLE documents; --", []),
        ('"yen" OR NEAR(x)', []),
    ],
)
def test_word_search_on_the_index_and_without_it(
    stocked: Store, monkeypatch: pytest.MonkeyPatch, q: str, expected: list[str]
) -> None:
    assert sorted(p or "" for p in publishers(stocked, q=q)) == expected
    monkeypatch.setattr(search, "has_index", lambda conn: False)
    assert sorted(p or "" for p in publishers(stocked, q=q)) == expected


def test_filters_and_keyset_pages(stocked: Store) -> None:
    assert publishers(stocked, publisher="maple blog") == ["Maple Blog"]
    assert publishers(stocked, start=date(2024, 3, 1)) == ["Brussels Times", "Maple Blog"]
    assert publishers(stocked, end=date(2024, 3, 5)) == ["Maple Blog", "Asia Wire"]
    seen = []
    after = None
    while True:
        page = stocked.documents(limit=1, after=after)
        if not page:
            break
        seen += [h.document.publisher for h in page]
        after = (page[-1].document.published, page[-1].document.id)
    assert seen == publishers(stocked)


def test_snippets_show_the_first_match(stocked: Store) -> None:
    (hit,) = stocked.search("substations").documents
    assert "substations" in hit.snippet


def test_query_words_and_the_one_definition_of_a_match() -> None:
    assert query_words("  Yen, yen; GRANT! ") == ["yen", "grant"]
    assert query_words("?!") == []
    assert matcher(["gran"])("Grants given") and not matcher(["rant"])("Grants given")


def test_the_index_follows_every_write_and_is_rebuilt_by_its_migration(stocked: Store, db_url: str) -> None:
    engine = sa.create_engine(resolve_url(db_url))
    try:
        with engine.connect() as conn:
            if conn.dialect.name != "sqlite":
                pytest.skip("only SQLite has the FTS5 index")
            count = conn.exec_driver_sql("SELECT count(*) FROM documents_fts").scalar_one()
            assert count == len(TEXTS)
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
        with engine.begin() as conn:
            assert not search.has_index(conn)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM documents_fts").scalar_one() == len(TEXTS)
    finally:
        engine.dispose()
    assert publishers(stocked, q="substation") == ["Asia Wire"]
