"""The resolution layer of the store, run on every backend (see conftest.py).

Mentions, clusters, judgements, links, conflicts and actors in and out; reviewers' judgements
outliving every run; and an upgrade from the first schema keeping what was stored. Two
made-up outlets report one Japanese package; the facts are written by hand (so these tests do
not move when the extractor does), except where `pipeline.ingest` itself is under test.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

import aidtracker.store
from aidtracker import pipeline
from aidtracker.dedupe import resolve
from aidtracker.errors import StorageError
from aidtracker.ids import document_id
from aidtracker.records import (
    Agreement,
    Article,
    CanonicalActor,
    Cluster,
    Commitment,
    Conflict,
    Conversion,
    Event,
    Evidence,
    Extraction,
    Judgement,
    Link,
    Mention,
    Money,
    Person,
    Resolution,
    Role,
    Span,
)
from aidtracker.store import MACHINE, Store, open_store, resolve_url
from aidtracker.store import rows as store_rows
from aidtracker.store.engine import create_engine
from aidtracker.store.migrate import alembic_config, current_revision, head_revision
from aidtracker.store.tables import RESOLUTION_TABLES, judgements
from aidtracker.types import (
    ActorType,
    AgreementStatus,
    AgreementType,
    DateSource,
    EventType,
    Scope,
    Sector,
    Status,
)

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)  # the store fixture's clock (tests/store/conftest.py)

# ------------------------------------------------------------------------------- articles

KYODO_TEXT = (
    "Japan pledges $4.5 billion to Ukraine\n"
    "TOKYO, 19 February 2024 — Japan will provide $4.5 billion to Ukraine, including $1 billion for "
    "demining, Prime Minister Fumio Kishida said at the Japan-Ukraine Conference.\n"
    "Japan's support to Ukraine now totals $12.1 billion.\n"
    "The two governments signed 56 memorandums.\n"
)
NHK_TEXT = (
    "Japan to give Ukraine $4.52 billion\n"
    "20 February 2024 — Japan will give Ukraine about $4.52 billion in new aid, Ukrainian Prime Minister "
    "Denys Shmygal said.\n"
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


def evidence(doc: Article, phrase: str) -> Evidence:
    start = doc.text.index(phrase)
    return Evidence(doc.id, Span(start, start + len(phrase)), phrase)


def usd(amount: str) -> Conversion:
    return Conversion(Decimal(amount), Decimal(1), date(2024, 2, 19), "identity")


def commitment(doc: Article, phrase: str, amount: str, **fields: object) -> Commitment:
    return Commitment(
        doc_id=doc.id,
        donor="Japan",
        recipient="Ukraine",
        evidence=evidence(doc, phrase),
        amount=Decimal(amount),
        currency="USD",
        usd=usd(amount),
        **fields,  # type: ignore[arg-type]
    )


def kyodo_extraction() -> Extraction:
    d = KYODO
    return Extraction(
        doc_id=d.id,
        commitments=(
            commitment(d, "Japan will provide $4.5 billion to Ukraine", "4500000000", status=Status.PLEDGED),
            commitment(d, "including $1 billion for demining", "1000000000", sectors=(Sector.DEMINING,), part_of=0),
            commitment(d, "Japan's support to Ukraine now totals $12.1 billion", "12100000000", scope=Scope.CUMULATIVE),
        ),
        agreements=(
            Agreement(
                doc_id=d.id,
                parties=("Japan", "Ukraine"),
                agreement_type=AgreementType.MEMORANDUM,
                evidence=evidence(d, "The two governments signed 56 memorandums"),
                count=56,
                status=AgreementStatus.SIGNED,
            ),
        ),
        events=(
            Event(
                doc_id=d.id,
                name="Japan-Ukraine Conference",
                event_type=EventType.CONFERENCE,
                evidence=evidence(d, "at the Japan-Ukraine Conference"),
                date=date(2024, 2, 19),
            ),
        ),
        people=(
            Person(
                doc_id=d.id,
                name="Fumio Kishida",
                evidence=evidence(d, "Prime Minister Fumio Kishida"),
                role="Prime Minister",
                affiliation="Japan",
            ),
        ),
        extractor="test.v1",
    )


def nhk_extraction() -> Extraction:
    d = NHK
    return Extraction(
        doc_id=d.id,
        commitments=(
            commitment(d, "Japan will give Ukraine about $4.52 billion in new aid", "4520000000"),
            commitment(d, "Japan has provided over $7.6 billion so far", "7600000000", scope=Scope.CUMULATIVE),
        ),
        people=(
            Person(
                doc_id=d.id,
                name="Denys Shmygal",
                evidence=evidence(d, "Ukrainian Prime Minister Denys Shmygal"),
                role="Prime Minister",
                affiliation="Ukraine",
            ),
        ),
        extractor="test.v1",
    )


@dataclass(frozen=True)
class Stored:
    """The mention ids of the two stored articles, named for what they say."""

    pledge: str  # Kyodo's $4.5 billion
    demining: str  # ... of which $1 billion for demining
    total: str  # Kyodo's running total, $12.1 billion
    memorandums: str
    conference: str
    kishida: str
    pledge2: str  # NHK's $4.52 billion
    total2: str  # NHK's running total, $7.6 billion
    shmygal: str


def store_articles(store: Store) -> Stored:
    for doc, extraction in ((KYODO, kyodo_extraction()), (NHK, nhk_extraction())):
        store.add_article(doc)
        store.replace_extraction(extraction, extractor="test.v1")
    by_text = {(m.fact.doc_id, m.fact.evidence.text): m.id for m in store.mentions()}

    def at(doc: Article, phrase: str) -> str:
        return by_text[doc.id, evidence(doc, phrase).text]

    return Stored(
        pledge=at(KYODO, "Japan will provide $4.5 billion to Ukraine"),
        demining=at(KYODO, "including $1 billion for demining"),
        total=at(KYODO, "Japan's support to Ukraine now totals $12.1 billion"),
        memorandums=at(KYODO, "The two governments signed 56 memorandums"),
        conference=at(KYODO, "at the Japan-Ukraine Conference"),
        kishida=at(KYODO, "Prime Minister Fumio Kishida"),
        pledge2=at(NHK, "Japan will give Ukraine about $4.52 billion in new aid"),
        total2=at(NHK, "Japan has provided over $7.6 billion so far"),
        shmygal=at(NHK, "Ukrainian Prime Minister Denys Shmygal"),
    )


# ----------------------------------------------------------------------------- resolution

PKG = "c_pkg0aa11bb22"
PART = "c_part0cc33dd44"
TOTAL = "c_tot0ee55ff66"
TOTAL2 = "c_tot0ee55ff77"  # shares a 10-character prefix with TOTAL
AGR = "a_agr0123456789"
EVT = "e_evt0123456789"


def full_resolution(m: Stored) -> Resolution:
    """One of everything, every optional field set somewhere, and `fields` of every JSON-less type."""
    pkg_money = Money("$4.5 billion", Span(10, 22), Decimal("4500000000"), "USD", qualifier="about")
    package = Cluster(
        id=PKG,
        kind="commitment",
        members=(m.pledge, m.pledge2),
        representative=m.pledge,
        fields={
            "donor": "Japan",
            "recipient": "Ukraine",
            "amount": Decimal("4500000000"),
            "currency": "USD",
            "usd": Decimal("4500000000.0001"),
            "quantity": None,
            "scope": "new",
            "status": Status.PLEDGED,  # an enum comes back as its value, which equals it
            "instrument": "grant",
            "channel": "JICA",
            "sectors": ["demining", "energy"],
            "date": date(2024, 2, 19),
            "money": pkg_money,
            "conversion": usd("4500000000"),
            "equivalents": (pkg_money, replace(pkg_money, currency="EUR", amount_max=Decimal("4.2E+9"))),
            "seen": datetime(2024, 2, 20, 9, 30, tzinfo=UTC),
            "notes": {"score": 0.93, "flags": [True, False, None], "count": 3, "pair": ("a", 1)},
        },
        disagreements={"amount": ("USD 4,500,000,000", "USD 4,520,000,000"), "status": ("announced", "pledged")},
        publishers=("Kyodo", "NHK"),
        first_reported=date(2024, 2, 19),
        last_reported=date(2024, 2, 20),
    )
    part = Cluster(
        id=PART,
        kind="commitment",
        members=(m.demining,),
        representative=m.demining,
        fields={
            "donor": "Japan",
            "amount": Decimal("1E+9"),
            "currency": "USD",
            "scope": "new",
            "sectors": ("demining",),
        },
        disagreements={},
        publishers=("Kyodo",),
    )
    total = Cluster(
        id=TOTAL,
        kind="commitment",
        members=(m.total,),
        representative=m.total,
        fields={"donor": "Japan", "amount": Decimal("12100000000"), "currency": "USD", "scope": "cumulative"},
        disagreements={},
        publishers=("Kyodo",),
        first_reported=date(2024, 2, 19),
        last_reported=date(2024, 2, 19),
    )
    total2 = replace(
        total,
        id=TOTAL2,
        members=(m.total2,),
        representative=m.total2,
        fields={**total.fields, "amount": Decimal("7600000000")},
        publishers=("NHK",),
        first_reported=date(2024, 2, 20),
        last_reported=date(2024, 2, 20),
    )
    agreement = Cluster(
        id=AGR,
        kind="agreement",
        members=(m.memorandums,),
        representative=m.memorandums,
        fields={"agreement_type": "memorandum", "parties": ["Japan", "Ukraine"], "count": 56},
        disagreements={},
        publishers=("Kyodo",),
    )
    event = Cluster(
        id=EVT,
        kind="event",
        members=(m.conference,),
        representative=m.conference,
        fields={"name": "Japan-Ukraine Conference", "date": date(2024, 2, 19)},
        disagreements={},
        publishers=("Kyodo",),
    )
    return Resolution(
        clusters=(package, part, total, total2, agreement, event),
        judgements=(
            Judgement(m.pledge, m.pledge2, True, 0.93, ("same donor", "amounts within 1%", "dates 1 day apart")),
            Judgement(m.pledge2, m.total, False, 0.31, ("scopes differ: new vs cumulative",)),
            Judgement(m.total, m.total2, False, 0.0, (), by="analyst"),
        ),
        links=(
            Link("part_of", PART, PKG, f"stated as part of it in {KYODO.id}"),
            Link("restates", TOTAL2, TOTAL, "a later running total for Japan"),
        ),
        conflicts=(
            Conflict(
                id="x_conflict00001",
                kind="cumulative_totals",
                clusters=(TOTAL, TOTAL2),
                mentions=(m.total, m.total2),
                summary="Japan's running total is given as USD 12,100,000,000 and as USD 7,600,000,000",
            ),
        ),
        actors=(
            CanonicalActor(
                id="o_japan",
                name="Japan",
                type=ActorType.COUNTRY,
                aliases=("Tokyo", "Japanese"),
                mentions=(m.pledge, m.pledge2),
            ),
            CanonicalActor(
                id="o_jica",
                name="Japan International Cooperation Agency",
                type=ActorType.GOVERNMENT_BODY,
                country="Japan",
                aliases=("JICA",),
            ),
            CanonicalActor(
                id="p_shmyhal",
                name="Denys Shmyhal",
                type=ActorType.PERSON,
                country="Ukraine",
                aliases=("Denys Shmyhal", "Denys Shmygal", "Denys Šmyhal", "Shmyhal"),
                roles=(
                    Role("Prime Minister", "Ukraine", date(2024, 2, 20), NHK.id),
                    Role("Prime Minister", None, None, KYODO.id),
                ),
                mentions=(m.shmygal,),
            ),
            CanonicalActor(
                id="p_kishida",
                name="Fumio Kishida",
                type=ActorType.PERSON,
                country="Japan",
                aliases=("Kishida Fumio",),
                roles=(Role("Prime Minister", "Japan", date(2024, 2, 19), KYODO.id),),
                mentions=(m.kishida,),
            ),
        ),
    )


@pytest.fixture
def mentioned(store: Store) -> Stored:
    return store_articles(store)


@pytest.fixture
def full(mentioned: Stored) -> Resolution:
    return full_resolution(mentioned)


def dump(engine: sa.Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the resolution tables, sorted, as the database holds them."""
    with engine.connect() as conn:
        return {
            t.name: sorted((tuple(r) for r in conn.execute(sa.select(t))), key=repr)
            for t in (*RESOLUTION_TABLES, judgements)
        }


def test_the_test_resolution_fills_every_field_of_every_record(full: Resolution) -> None:
    """A field added to a resolution record fails here until `full_resolution` sets it."""
    examples: dict[type, list[object]] = {
        Resolution: [full],
        Cluster: list(full.clusters),
        Judgement: list(full.judgements),
        Link: list(full.links),
        Conflict: list(full.conflicts),
        CanonicalActor: list(full.actors),
        Role: [r for a in full.actors for r in a.roles],
    }
    for cls, instances in examples.items():
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.default is dataclasses.MISSING:
                continue
            assert any(getattr(i, f.name) != f.default for i in instances), f"{cls.__name__}.{f.name}"


# ------------------------------------------------------------------------------ round trip


def test_a_resolution_round_trips_exactly(store: Store, full: Resolution) -> None:
    store.replace_resolution(full)
    back = store.resolution()
    assert back == full
    package = back.clusters[0]
    # Not just equal: the same types, so a list stays a list and a tuple a tuple.
    assert type(package.fields["sectors"]) is list
    assert type(package.fields["equivalents"]) is tuple
    assert isinstance(package.fields["money"], Money)
    assert package.fields["usd"] == Decimal("4500000000.0001")
    assert package.fields["seen"] == datetime(2024, 2, 20, 9, 30, tzinfo=UTC)


def test_an_empty_resolution_clears_the_layer(store: Store, full: Resolution, engine: sa.Engine) -> None:
    store.replace_resolution(full)
    store.replace_resolution(Resolution())
    assert store.resolution() == Resolution(judgements=(full.judgements[2],))  # only the reviewer's stays
    assert all(not rows for name, rows in dump(engine).items() if name != "judgements")


def test_replacing_is_idempotent(store: Store, full: Resolution, engine: sa.Engine) -> None:
    store.replace_resolution(full)
    first = dump(engine)
    store.replace_resolution(full)
    assert dump(engine) == first
    assert store.resolution() == full


def test_a_new_resolution_replaces_the_old_one_whole(store: Store, full: Resolution) -> None:
    store.replace_resolution(full)
    smaller = Resolution(clusters=full.clusters[:1], judgements=full.judgements[:1], actors=full.actors[:1])
    store.replace_resolution(smaller)
    back = store.resolution()
    assert back.clusters == smaller.clusters
    assert back.links == back.conflicts == ()
    assert back.actors == smaller.actors
    assert back.judgements == (full.judgements[0], full.judgements[2])  # the analyst's is kept


def test_cluster_columns_copy_the_fields_queries_need(store: Store, full: Resolution, engine: sa.Engine) -> None:
    store.replace_resolution(full)
    c = aidtracker.store.tables.clusters.c
    with engine.connect() as conn:
        row = conn.execute(sa.select(aidtracker.store.tables.clusters).where(c.id == PKG)).mappings().one()
        part_of = dict(conn.execute(sa.select(c.id, c.part_of)).all())
    assert (row["donor"], row["recipient"], row["currency"], row["scope"]) == ("Japan", "Ukraine", "USD", "new")
    assert (row["status"], row["instrument"], row["channel"]) == ("pledged", "grant", "JICA")
    assert Decimal(row["amount"]) == Decimal("4500000000")
    assert Decimal(row["usd"]) == Decimal("4500000000.0001")
    assert row["date"] == date(2024, 2, 19)
    assert row["n_publishers"] == 2
    assert row["sectors"] == ["demining", "energy"]
    assert part_of == {PKG: None, PART: PKG, TOTAL: None, TOTAL2: None, AGR: None, EVT: None}


def test_concurrent_replacements_queue_rather_than_collide(db_url: str, store: Store, full: Resolution) -> None:
    """Two ingests finishing together both resolve; on PostgreSQL their writes would interleave."""
    errors: list[BaseException] = []

    def replace_often() -> None:
        try:
            with open_store(db_url) as own:
                for _ in range(5):
                    own.replace_resolution(full)
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=replace_often) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.resolution() == full


# ------------------------------------------------------------------------------ judgements


def test_a_reviewers_judgement_survives_every_run(
    db_url: str, store: Store, mentioned: Stored, engine: sa.Engine
) -> None:
    full = full_resolution(mentioned)
    store.replace_resolution(full)
    mine = Judgement(mentioned.pledge, mentioned.pledge2, False, 1.0, ("different tranches",), by="reviewer:ana")
    store.add_judgement(mine)
    later = datetime(2025, 1, 1, tzinfo=UTC)
    with open_store(db_url, clock=lambda: later) as again:
        # The machine still judges the pair the same; and repeats the analyst's judgement, changed.
        changed = replace(full.judgements[2], same=True, reasons=("machine's copy",))
        again.replace_resolution(replace(full, judgements=(full.judgements[0], full.judgements[1], changed)))
        again.replace_resolution(replace(full, judgements=(full.judgements[0], full.judgements[1], changed)))
        back = again.resolution().judgements
    assert back == (*full.judgements, mine)  # the analyst's unchanged, then the reviewer's added later
    j = judgements.c
    with engine.connect() as conn:
        stamps = dict(conn.execute(sa.select(j.by, j.created_at).where(j.by != MACHINE)).all())
    assert {by: stamp.replace(tzinfo=None) for by, stamp in stamps.items()} == {
        "analyst": NOW.replace(tzinfo=None),
        "reviewer:ana": NOW.replace(tzinfo=None),
    }


def test_a_reviewer_may_change_their_mind(store: Store, mentioned: Stored) -> None:
    first = Judgement(mentioned.pledge, mentioned.pledge2, False, 1.0, ("different tranches",), by="ana")
    store.add_judgement(first)
    store.add_judgement(replace(first, same=True, reasons=("same tranche after all",)))
    assert store.resolution().judgements == (replace(first, same=True, reasons=("same tranche after all",)),)


def test_a_machine_judgement_cannot_be_added_by_hand(store: Store) -> None:
    with pytest.raises(StorageError, match="reviewer's name"):
        store.add_judgement(Judgement("cmt_a", "cmt_b", True, 1.0, ()))


# ------------------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: replace(r, links=(*r.links, Link("part_of", PART, "c_nowhere", "?"))), "c_nowhere is not a cluster"),
        (lambda r: replace(r, clusters=(*r.clusters, r.clusters[0])), f"cluster {PKG} appears twice"),
        (lambda r: replace(r, links=(*r.links, r.links[0])), "link .* appears twice"),
        (lambda r: replace(r, judgements=(*r.judgements, r.judgements[0])), "judgement .* appears twice"),
        (lambda r: replace(r, conflicts=(*r.conflicts, r.conflicts[0])), "conflict x_conflict00001 appears twice"),
        (lambda r: replace(r, actors=(*r.actors, r.actors[0])), "actor o_japan appears twice"),
        (
            lambda r: replace(r, actors=(replace(r.actors[0], aliases=("Tokyo", "Tokyo")),)),
            "alias of actor o_japan Tokyo appears twice",
        ),
        (
            lambda r: replace(r, clusters=(replace(r.clusters[0], representative="cmt_other"), *r.clusters[1:])),
            "represented by cmt_other, which is not one of its members",
        ),
        (lambda r: replace(r, clusters=(replace(r.clusters[0], members=()), *r.clusters[1:])), "has no members"),
        (
            lambda r: replace(r, clusters=(replace(r.clusters[0], fields={"when": {1, 2}}), *r.clusters[1:])),
            "cannot store a set",
        ),
        (
            lambda r: replace(r, clusters=(replace(r.clusters[0], fields={"score": float("nan")}), *r.clusters[1:])),
            "JSON has no such number",
        ),
        (
            lambda r: replace(r, clusters=(replace(r.clusters[0], fields={"$date": "2024-01-01"}), *r.clusters[1:])),
            "keys are names not starting with",
        ),
        # Too many digits for the column: the database refuses it halfway through the writing.
        (
            lambda r: replace(
                r, clusters=(replace(r.clusters[0], fields={"amount": Decimal("1E+40")}), *r.clusters[1:])
            ),
            "more than 38 digits",
        ),
    ],
)
def test_a_bad_resolution_is_refused_and_the_stored_one_kept(
    store: Store, full: Resolution, change: object, message: str
) -> None:
    store.replace_resolution(full)
    with pytest.raises(StorageError, match=message):
        store.replace_resolution(change(full))  # type: ignore[operator]
    assert store.resolution() == full


# ------------------------------------------------------------------------------- lookups


def test_a_cluster_is_found_by_id_member_or_prefix(store: Store, full: Resolution, mentioned: Stored) -> None:
    store.replace_resolution(full)
    package = full.clusters[0]
    assert store.cluster(PKG) == package
    assert store.cluster(mentioned.pledge2) == package  # by a member mention
    assert store.cluster("c_pkg0aa") == package  # a prefix of six characters after the tag
    assert store.cluster(mentioned.pledge2[:12]) == package  # a prefix of a member's id
    assert store.cluster("c_pkg0a") is None  # too short to look up
    assert store.cluster("c_nothing_like_it") is None
    with pytest.raises(StorageError, match=f"ambiguous: it starts {TOTAL}, {TOTAL2}"):
        store.cluster("c_tot0ee55ff")


def test_a_prefix_is_matched_literally(store: Store, full: Resolution) -> None:
    store.replace_resolution(full)
    assert store.cluster("c_pkg0%") is None
    assert store.cluster("c_pkg0aa11bb2_") is None


def test_clusters_are_filtered_on_their_columns(store: Store, full: Resolution) -> None:
    store.replace_resolution(full)

    def ids(**filters: object) -> list[str]:
        return [c.id for c in store.clusters(**filters)]  # type: ignore[arg-type]

    assert ids() == [PKG, PART, TOTAL, TOTAL2]
    assert ids(kind=None) == [PKG, PART, TOTAL, TOTAL2, AGR, EVT]
    assert ids(kind="event") == [EVT]
    assert ids(scope="cumulative") == [TOTAL, TOTAL2]
    assert ids(donor="Japan", recipient="Ukraine", currency="USD") == [PKG]
    assert ids(status="pledged", instrument="grant") == [PKG]
    assert ids(sector="demining") == [PKG, PART]
    assert ids(start=date(2024, 2, 19), end=date(2024, 2, 19)) == [PKG]
    assert ids(start=date(2024, 2, 20)) == []
    assert ids(donor="Germany") == []


def test_actors_are_found_by_any_name_case_and_accents_aside(store: Store, full: Resolution) -> None:
    store.replace_resolution(full)

    def names(name: str | None = None, **filters: str) -> list[str]:
        return [a.name for a in store.actors(name, **filters)]

    assert store.actors() == list(full.actors)
    assert names(type="person") == ["Denys Shmyhal", "Fumio Kishida"]
    assert names("denys shmygal") == ["Denys Shmyhal"]
    assert names("DENYS SMYHAL") == ["Denys Shmyhal"]  # Šmyhal, folded
    assert names("Kishida fumio") == ["Fumio Kishida"]
    assert names("japan") == ["Japan"]  # the canonical name is found though not an alias; exact wins
    assert names("jica") == ["Japan International Cooperation Agency"]
    assert names("kishida") == ["Fumio Kishida"]  # nothing equals it, so what contains it
    assert names("japan intern") == ["Japan International Cooperation Agency"]
    assert names("shmyhal", type="country") == []
    assert names("%") == []


def test_conflicts_are_listed(store: Store, full: Resolution) -> None:
    store.replace_resolution(full)
    assert store.conflicts() == list(full.conflicts)


def test_explain_gathers_a_clusters_mentions_judgements_and_relations(
    store: Store, full: Resolution, mentioned: Stored
) -> None:
    store.replace_resolution(full)
    mine = Judgement(mentioned.pledge, mentioned.pledge2, True, 1.0, ("checked",), by="ana")
    store.add_judgement(mine)
    found = store.explain(mentioned.pledge)
    assert found is not None
    assert found.cluster == full.clusters[0]
    assert [m.id for m in found.mentions] == [mentioned.pledge, mentioned.pledge2]
    assert [(m.publisher, m.title, m.source, m.published) for m in found.mentions] == [
        ("Kyodo", KYODO.title, "jp_kyodo.txt", date(2024, 2, 19)),
        ("NHK", NHK.title, "jp_nhk.txt", date(2024, 2, 20)),
    ]
    assert found.mentions[1].fact.evidence.text == "Japan will give Ukraine about $4.52 billion in new aid"
    assert found.judgements == (full.judgements[0], full.judgements[1], mine)
    assert found.links == (full.links[0],)
    assert found.missing == ()
    assert found.conflicts == ()
    totals = store.explain(TOTAL2)
    assert totals is not None and totals.conflicts == full.conflicts and totals.links == (full.links[1],)
    assert store.explain("c_none_such_cluster") is None


def test_explain_says_which_members_are_no_longer_stored(store: Store, full: Resolution, mentioned: Stored) -> None:
    store.replace_resolution(full)
    store.replace_extraction(Extraction(doc_id=NHK.id), extractor="test.v2")  # NHK's facts are gone
    found = store.explain(PKG)
    assert found is not None
    assert [m.id for m in found.mentions] == [mentioned.pledge]
    assert found.missing == (mentioned.pledge2,)


# -------------------------------------------------------------------------------- mentions


def test_mentions_are_the_stored_facts_with_their_sources(store: Store, mentioned: Stored) -> None:
    found = list(store.mentions())
    docs = sorted([KYODO, NHK], key=lambda d: d.id)
    assert [m.fact for m in found] == [f for d in docs for f in store.facts(d.id)]
    for m in found:
        doc = KYODO if m.fact.doc_id == KYODO.id else NHK
        assert (m.published, m.publisher, m.source, m.title) == (doc.published, doc.publisher, doc.source, doc.title)
    assert [m.id for m in found if m.fact.doc_id == KYODO.id] == [
        mentioned.pledge,
        mentioned.demining,
        mentioned.total,
        mentioned.memorandums,
        mentioned.conference,
        mentioned.kishida,
    ]
    assert [m.id for m in store.mentions("commitment")] == [m.id for m in found if isinstance(m.fact, Commitment)]
    assert [m.id for m in store.mentions("person")] == [m.id for m in found if isinstance(m.fact, Person)]
    assert store.mention(mentioned.demining) == next(m for m in found if m.id == mentioned.demining)
    assert store.mention(mentioned.demining).fact.part_of == 0  # type: ignore[union-attr]
    assert store.mention("cmt_0000000000000000") is None
    with pytest.raises(ValueError, match="no mentions of kind 'commitments'"):
        next(store.mentions("commitments"))


def test_mentions_stream_in_batches(store: Store, mentioned: Stored, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = list(store.mentions())
    monkeypatch.setattr(aidtracker.store, "BATCH", 1)
    assert list(store.mentions()) == whole


def test_mentions_come_from_the_latest_version_only(store: Store, mentioned: Stored) -> None:
    changed = NHK_TEXT.replace("$7.6 billion", "$7.7 billion")
    newer = replace(NHK, id=document_id(changed), text=changed)
    store.add_article(newer)
    assert {m.fact.doc_id for m in store.mentions()} == {KYODO.id}  # the new version is not extracted yet
    old = store.mention(mentioned.total2)  # but an older version's fact can still be looked up
    assert old is not None and old.fact.doc_id == NHK.id


# ------------------------------------------------------------------------------ pipeline

PIPELINE_ARTICLES = [
    {
        "title": "Germany pledges €50 million for Ukraine's power grid",
        "publisher": "Deutsche Welle",
        "published": "2024-03-04",
        "text": "Germany pledges €50 million for Ukraine's power grid\nBERLIN, 4 March 2024 — Germany pledged "
        "€50 million to Ukraine on Monday to repair power stations damaged by Russian strikes.\n",
    },
    {
        "title": "Berlin to fund Ukraine grid repairs",
        "publisher": "Reuters",
        "published": "2024-03-05",
        "text": "Berlin to fund Ukraine grid repairs\nBERLIN, 5 March 2024 — Germany will give Ukraine €50 million "
        "to repair power stations, Development Minister Svenja Schulze said.\n",
    },
]


def write_jsonl(folder: Path, articles: list[dict[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "news.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


def test_ingested_articles_become_mentions_in_order(store: Store, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path, PIPELINE_ARTICLES)
    pipeline.ingest([str(path)], store)
    found = list(store.mentions())
    assert found, "the made-up articles state commitments"
    keys = [(m.fact.doc_id, type(m.fact).__name__) for m in found]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    by_doc = {a.id: a for a in store.latest_articles()}
    for m in found:
        doc = by_doc[m.fact.doc_id]
        assert (m.published, m.publisher, m.source, m.title) == (doc.published, doc.publisher, doc.source, doc.title)
    assert {m.publisher for m in found} == {"Deutsche Welle", "Reuters"}
    assert [m.fact for m in found] == [f for d in sorted(by_doc) for f in store.facts(d)]


def test_ingest_resolves_what_it_stored(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_jsonl(tmp_path, PIPELINE_ARTICLES)
    pipeline.ingest([str(path)], store)
    resolution = store.resolution()
    assert resolution == resolve(store.mentions())
    assert resolution.clusters, "resolution ran and was stored"

    runs: list[Store] = []
    monkeypatch.setattr(pipeline, "resolve_store", runs.append)
    pipeline.ingest([str(path)], store)  # nothing new: nothing to resolve
    assert runs == []
    pipeline.extract_stored(store)
    assert runs == [store]


def test_resolving_twice_changes_nothing(store: Store, tmp_path: Path, engine: sa.Engine) -> None:
    pipeline.ingest([str(write_jsonl(tmp_path, PIPELINE_ARTICLES))], store)
    first = dump(engine)
    assert pipeline.resolve_store(store) == store.resolution()
    assert dump(engine) == first


# ------------------------------------------------------------------------------- upgrade


def test_upgrading_a_first_schema_database_keeps_its_documents_and_facts(db_url: str) -> None:
    engine = create_engine(resolve_url(db_url))
    try:
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
        with engine.begin() as conn:
            for doc, extraction in ((KYODO, kyodo_extraction()), (NHK, nhk_extraction())):
                row = aidtracker.store.rows.article_row(doc, version=1, supersedes=None, now=NOW)
                del row["known_from"]  # a column from 0005 on; a first-schema table has none
                conn.execute(sa.insert(aidtracker.store.tables.documents), [row])
                aidtracker.store.writer.replace_extraction(conn, extraction, extractor="test.v1", now=NOW)
        assert current_revision(engine) == "0001"
        assert "clusters" not in sa.inspect(engine).get_table_names()

        with open_store(db_url) as store:
            assert current_revision(engine) == head_revision()
            assert store.article(KYODO.id) == KYODO
            assert store.article(NHK.id) == NHK
            assert store.extraction(KYODO.id) == kyodo_extraction()
            assert store.extraction(NHK.id) == nhk_extraction()
            assert [v.known_from for v in store.versions(KYODO.source)] == [NOW]  # filled in by 0005
            assert len(list(store.mentions())) == 9
            assert store.resolution() == Resolution()
            store.replace_resolution(full_resolution(store_articles(store)))  # the new tables work
    finally:
        engine.dispose()


# ----------------------------------------------------------------------------- JSON codec


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        0.25,
        "text",
        Decimal("0.000061234567"),
        Decimal("-1E+12"),
        date(2024, 2, 29),
        datetime(2024, 2, 29, 23, 59, tzinfo=UTC),
        [1, [2, (3,)]],
        (),
        {"a": {"b": [Decimal(1)]}},
        Money("€4.2 billion", Span(3, 15), Decimal("4.2E+9"), "EUR", amount_max=Decimal(5), currency_implicit=True),
        Evidence("doc_1", Span(0, 4), "text"),
        Mention("cmt_1", commitment(KYODO, "including $1 billion for demining", "1000000000", part_of=0)),
    ],
)
def test_json_gives_back_what_it_was_given(value: object) -> None:
    encoded = store_rows.to_json(value)
    back = store_rows.from_json(json.loads(json.dumps(encoded)))
    assert back == value
    assert type(back) is type(value)
