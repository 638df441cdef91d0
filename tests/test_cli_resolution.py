"""The resolution commands, end to end: `resolve`, `explain`, `totals`, `actors`, `conflicts`.

Each test drives the Typer app in-process (CliRunner) on every backend (`db_url`, see
tests/conftest.py). Most fill the database with two made-up reports of one Japanese package and
a resolution written by hand, so that what the commands print does not move when the resolver
does; `resolve` and the totals of ingested articles run the real resolver.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from aidtracker import cli
from aidtracker.ids import document_id
from aidtracker.records import (
    Article,
    CanonicalActor,
    Cluster,
    Commitment,
    Conflict,
    Conversion,
    Evidence,
    Extraction,
    Judgement,
    Link,
    Resolution,
    Role,
    Span,
)
from aidtracker.store import open_store
from aidtracker.types import ActorType, DateSource, Scope, Sector

ENV: dict[str, str | None] = {"COLUMNS": "200", "TTY_COMPATIBLE": "0", "FORCE_COLOR": None, "AIDTRACKER_DB": None}

KYODO_TEXT = (
    "Japan pledges $4.5 billion to Ukraine\n"
    "TOKYO, 19 February 2024 — Japan will provide $4.5 billion to Ukraine, including $1 billion for demining, "
    "Prime Minister Fumio Kishida said.\n"
    "Japan's support to Ukraine now totals $12.1 billion.\n"
)
NHK_TEXT = (
    "Japan to give Ukraine $4.52 billion\n"
    "20 February 2024 — Japan will give Ukraine about $4.52 billion in new aid, Prime Minister Denys Shmygal said.\n"
    "Japan has provided over $7.6 billion so far.\n"
)


def article(text: str, source: str, publisher: str, published: date) -> Article:
    return Article(
        id=document_id(text),
        text=text,
        source=source,
        title=text.split("\n", 1)[0],
        published=published,
        published_how=DateSource.DATELINE,
        publisher=publisher,
    )


KYODO = article(KYODO_TEXT, "jp_kyodo.txt", "Kyodo", date(2024, 2, 19))
NHK = article(NHK_TEXT, "jp_nhk.txt", "NHK", date(2024, 2, 20))


def commitment(doc: Article, phrase: str, amount: str, **fields: object) -> Commitment:
    start = doc.text.index(phrase)
    return Commitment(
        doc_id=doc.id,
        donor="Japan",
        recipient="Ukraine",
        evidence=Evidence(doc.id, Span(start, start + len(phrase)), phrase),
        amount=Decimal(amount),
        currency="USD",
        usd=Conversion(Decimal(amount), Decimal(1), date(2024, 2, 19), "identity"),
        **fields,  # type: ignore[arg-type]
    )


EXTRACTIONS = (
    Extraction(
        doc_id=KYODO.id,
        commitments=(
            commitment(KYODO, "Japan will provide $4.5 billion to Ukraine", "4500000000"),
            commitment(KYODO, "including $1 billion for demining", "1000000000", part_of=0),
            commitment(
                KYODO, "Japan's support to Ukraine now totals $12.1 billion", "12100000000", scope=Scope.CUMULATIVE
            ),
        ),
    ),
    Extraction(
        doc_id=NHK.id,
        commitments=(
            commitment(NHK, "Japan will give Ukraine about $4.52 billion in new aid", "4520000000"),
            commitment(NHK, "Japan has provided over $7.6 billion so far", "7600000000", scope=Scope.CUMULATIVE),
        ),
    ),
)

PKG, PART, TOTAL, TOTAL2 = "c_pkg0aa11bb22", "c_part0cc33dd44", "c_tot0ee55ff66", "c_tot0ee55ff77"


def fill(db_url: str) -> dict[str, str]:
    """Store the two reports and a hand-written resolution of them; return their mention ids by name."""
    with open_store(db_url) as store:
        for doc, extraction in zip((KYODO, NHK), EXTRACTIONS, strict=True):
            store.add_article(doc)
            store.replace_extraction(extraction, extractor="test.v1")
        ids = {(m.fact.doc_id, m.fact.evidence.text[:20]): m.id for m in store.mentions()}
        m = {
            "pledge": ids[KYODO.id, "Japan will provide $"],
            "demining": ids[KYODO.id, "including $1 billion"],
            "total": ids[KYODO.id, "Japan's support to U"],
            "pledge2": ids[NHK.id, "Japan will give Ukra"],
            "total2": ids[NHK.id, "Japan has provided o"],
        }
        fields = {"donor": "Japan", "recipient": "Ukraine", "currency": "USD"}
        store.replace_resolution(
            Resolution(
                clusters=(
                    Cluster(
                        id=PKG,
                        kind="commitment",
                        members=(m["pledge"], m["pledge2"]),
                        representative=m["pledge"],
                        fields={
                            **fields,
                            "amount": Decimal("4500000000"),
                            "usd": Decimal("4500000000"),
                            "scope": "new",
                            "sectors": [Sector.DEMINING.value],
                            "date": date(2024, 2, 19),
                        },
                        disagreements={"amount": ("USD 4,500,000,000", "USD 4,520,000,000")},
                        publishers=("Kyodo", "NHK"),
                        first_reported=date(2024, 2, 19),
                        last_reported=date(2024, 2, 20),
                    ),
                    Cluster(
                        id=PART,
                        kind="commitment",
                        members=(m["demining"],),
                        representative=m["demining"],
                        fields={**fields, "amount": Decimal("1E+9"), "usd": Decimal("1E+9"), "scope": "new"},
                        disagreements={},
                        publishers=("Kyodo",),
                        first_reported=date(2024, 2, 19),
                        last_reported=date(2024, 2, 19),
                    ),
                    Cluster(
                        id=TOTAL,
                        kind="commitment",
                        members=(m["total"],),
                        representative=m["total"],
                        fields={
                            **fields,
                            "amount": Decimal("12.1E+9"),
                            "usd": Decimal("12.1E+9"),
                            "scope": "cumulative",
                        },
                        disagreements={},
                        publishers=("Kyodo",),
                        first_reported=date(2024, 2, 19),
                        last_reported=date(2024, 2, 19),
                    ),
                    Cluster(
                        id=TOTAL2,
                        kind="commitment",
                        members=(m["total2"],),
                        representative=m["total2"],
                        fields={**fields, "amount": Decimal("7.6E+9"), "usd": Decimal("7.6E+9"), "scope": "cumulative"},
                        disagreements={},
                        publishers=("NHK",),
                        first_reported=date(2024, 2, 20),
                        last_reported=date(2024, 2, 20),
                    ),
                ),
                judgements=(
                    Judgement(m["pledge"], m["pledge2"], True, 0.93, ("same donor", "amounts within 1%")),
                    Judgement(m["pledge2"], m["total"], False, 0.31, ("scopes differ",)),
                ),
                links=(
                    Link("part_of", PART, PKG, "stated as part of it"),
                    Link("restates", TOTAL2, TOTAL, "a later running total"),
                ),
                conflicts=(
                    Conflict(
                        id="x_conflict00001",
                        kind="cumulative_totals",
                        clusters=(TOTAL, TOTAL2),
                        mentions=(m["total"], m["total2"]),
                        summary="Japan's running total is given as $12.1 billion and as $7.6 billion",
                    ),
                ),
                actors=(
                    CanonicalActor(id="o_japan", name="Japan", type=ActorType.COUNTRY, aliases=("Tokyo",)),
                    CanonicalActor(
                        id="p_shmyhal",
                        name="Denys Shmyhal",
                        type=ActorType.PERSON,
                        country="Ukraine",
                        aliases=("Denys Shmygal", "Shmyhal"),
                        roles=(Role("Prime Minister", "Ukraine", date(2024, 2, 20), NHK.id),),
                        mentions=("per_1", "per_2"),
                    ),
                ),
            )
        )
    return m


def run(*args: str | Path, **env: str | None) -> Result:
    return CliRunner().invoke(cli.app, [str(a) for a in args], env={**ENV, **env})


@pytest.fixture
def filled(db_url: str) -> dict[str, str]:
    return fill(db_url)


# --------------------------------------------------------------------------------- explain


def test_explain_shows_the_cluster_its_mentions_and_why_they_were_joined(db_url: str, filled: dict[str, str]) -> None:
    result = run("explain", PKG, "--db", db_url)
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"commitment {PKG}" in out
    assert "2 mentions from 2 publishers (Kyodo, NHK), reported 2024-02-19 to 2024-02-20" in out
    assert "amount: 4,500,000,000" in out and "date: 2024-02-19" in out and "sectors: demining" in out
    assert "amount: USD 4,500,000,000 | USD 4,520,000,000" in out  # the disagreement
    assert f"link {PART} part_of {PKG}: stated as part of it" in out
    assert f"mention {filled['pledge']} (representative)" in out
    assert "« Japan will give Ukraine about $4.52 billion in new aid »" in out
    assert "Japan to give Ukraine $4.52 billion — jp_nhk.txt — NHK — 2024-02-20" in out
    joined = out.index("judgements that joined them")
    apart = out.index("judgements that kept mentions apart")
    line = f"{filled['pledge']} = {filled['pledge2']}  score 0.93 by machine: same donor; amounts within 1%"
    assert joined < out.index(line) < apart
    assert out.index(f"{filled['pledge2']} ≠ {filled['total']}  score 0.31") > apart


def test_explain_accepts_a_mention_id_or_a_prefix(db_url: str, filled: dict[str, str]) -> None:
    by_cluster = run("explain", PKG, "--db", db_url).output
    assert run("explain", filled["pledge2"], "--db", db_url).output == by_cluster
    assert run("explain", PKG[:8], "--db", db_url).output == by_cluster


def test_explain_shows_a_clusters_conflicts(db_url: str, filled: dict[str, str]) -> None:
    out = run("explain", TOTAL2, "--db", db_url).output
    assert "conflict x_conflict00001: Japan's running total is given as $12.1 billion and as $7.6 billion" in out
    assert f"link {TOTAL2} restates {TOTAL}" in out


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("c_nothing_here", "error[AT302]: no cluster or mention c_nothing_here"),
        (
            "c_tot0ee55ff",
            f"error[AT300]: 'c_tot0ee55ff' is ambiguous: it starts {TOTAL}, {TOTAL2}; give more of the id",
        ),
    ],
)
def test_explain_says_in_one_line_what_it_cannot_find(
    db_url: str, filled: dict[str, str], ref: str, message: str
) -> None:
    result = run("explain", ref, "--db", db_url)
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert result.stdout == ""


# ---------------------------------------------------------------------------------- actors


def test_actors_lists_names_aliases_and_roles(db_url: str, filled: dict[str, str]) -> None:
    result = run("actors", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Japan (country)  o_japan",
        "  aliases: Tokyo",
        "  0 mentions",
        "Denys Shmyhal (person, Ukraine)  p_shmyhal",
        "  aliases: Denys Shmygal, Shmyhal",
        f"  role: Prime Minister, Ukraine (attested 2024-02-20 in {NHK.id})",
        "  2 mentions",
        "2 actors",
    ]


def test_actors_by_name_or_type(db_url: str, filled: dict[str, str]) -> None:
    assert run("actors", "shmygal", "--db", db_url).output.startswith("Denys Shmyhal (person")
    assert run("actors", "--type", "country", "--db", db_url).output.startswith("Japan (country)")
    assert run("actors", "Nobody", "--db", db_url).output == "0 actors\n"
    wrong = run("actors", "--type", "planet", "--db", db_url)
    assert wrong.exit_code == 2 and "'planet' is not one of" in wrong.output


# ------------------------------------------------------------------------------- conflicts


def test_conflicts_show_both_sides(db_url: str, filled: dict[str, str]) -> None:
    result = run("conflicts", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "cumulative_totals x_conflict00001: Japan's running total is given as $12.1 billion and as $7.6 billion",
        f"  clusters: {TOTAL}, {TOTAL2}",
        "  « Japan's support to Ukraine now totals $12.1 billion »",
        "    Japan pledges $4.5 billion to Ukraine — jp_kyodo.txt — Kyodo — 2024-02-19",
        "  « Japan has provided over $7.6 billion so far »",
        "    Japan to give Ukraine $4.52 billion — jp_nhk.txt — NHK — 2024-02-20",
        "1 conflict",
    ]


# ---------------------------------------------------------------------------------- totals


def test_totals_count_each_package_once_and_list_running_totals_apart(db_url: str, filled: dict[str, str]) -> None:
    result = run("totals", "--donor", "Japan", "--db", db_url)
    assert result.exit_code == 0, result.output
    out = result.output
    row = next(line for line in out.splitlines() if "Japan" in line and "4,500,000,000" in line)
    assert "USD 4,500,000,000" in row  # the package, not plus its $1 billion part
    assert "1 part of counted packages left out of the sums" in out
    claims = out.index("Running totals, as claimed (never added to the sums): 2")
    assert (
        claims
        < out.index("Japan: USD 12,100,000,000, reported 2024-02-19 by Kyodo")
        < out.index("Japan: USD 7,600,000,000, reported 2024-02-20 by NHK")
    )
    assert "« Japan has provided over $7.6 billion so far »" in out
    assert out.index("Conflicts: 1") < out.index("cumulative_totals Japan's running total is given as")


def test_totals_as_json(db_url: str, filled: dict[str, str]) -> None:
    result = run("totals", "--json", "--by", "month", "--from", "2024-02-01", "--to", "2024-02-29", "--db", db_url)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["by"] == "month"
    assert [(g["key"], g["usd"]) for g in data["groups"]] == [("2024-02", "4500000000")]
    assert [c["cluster"] for c in data["cumulative"]] == [TOTAL, TOTAL2]
    assert [c["id"] for c in data["conflicts"]] == ["x_conflict00001"]


def test_totals_refuse_an_unknown_grouping(db_url: str) -> None:
    result = run("totals", "--by", "planet", "--db", db_url)
    assert result.exit_code == 2
    assert "'planet' is not one of donor, recipient, sector, instrument, month" in result.output


# --------------------------------------------------------------------------------- resolve


ARTICLES = {
    "de_grid.txt": (
        "Germany pledges €50 million for Ukraine's power grid\n"
        "BERLIN, 4 March 2024 — Germany pledged €50 million to Ukraine on Monday to repair power stations "
        "damaged by Russian strikes, the economy ministry said.\n"
    ),
    "de_grid_wire.txt": (
        "Berlin to fund Ukraine grid repairs\n"
        "BERLIN, 5 March 2024 (Reuters) — Germany will give Ukraine €50 million to repair power stations "
        "hit by Russian strikes, the economy ministry said on Tuesday.\n"
    ),
}


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def test_resolve_reports_what_it_found_and_stores_it(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert run("ingest", folder, "--db", db_url).exit_code == 0
    with open_store(db_url) as store:
        stored = store.resolution()
    kinds = [c.kind for c in stored.clusters]
    result = run("resolve", "--db", db_url)
    assert result.exit_code == 0, result.output
    counts = [
        *(plural(kinds.count(kind), f"{kind} cluster") for kind in ("commitment", "agreement", "event")),
        plural(len(stored.links), "link"),
        plural(len(stored.conflicts), "conflict"),
        plural(len(stored.actors), "actor"),
    ]
    assert result.output == ", ".join(counts) + "\n"
    with open_store(db_url) as store:
        assert store.resolution() == stored  # the same mentions resolve to the same records
    totals = json.loads(run("totals", "--json", "--donor", "Germany", "--db", db_url).output)
    assert [g["by_currency"] for g in totals["groups"]] == [{"EUR": "50000000"}]  # two reports, one package
