"""The IATI 2.03 export validates against the IATI schema and says what the record says.

The schema files in tests/data/iati/ are the IATI Standard's own (IATI/IATI-Schemas, version
2.03, copied from ../shared/iati/), so the test runs without ../shared. The schema checks
structure; the codes are checked here: transaction types by status and instrument, roles,
sectors, countries and one document link per source.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from aidtracker.export import export
from aidtracker.export.iati import Sources, activities, iati_vocab
from aidtracker.records import CanonicalActor, Cluster, Commitment, Evidence, Mention, Span
from aidtracker.store import Store, open_store
from aidtracker.types import ActorType, Sector, Status

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "iati" / "iati-activities-schema.xsd"
NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


@pytest.fixture(scope="module")
def store(written_db: str) -> Iterator[Store]:
    with open_store(written_db) as opened:
        yield opened


def by_donor(root: etree._Element, donor: str) -> list[etree._Element]:
    return [a for a in root if a.findtext("participating-org[@role='1']/narrative") == donor]


def test_the_export_validates_and_has_one_activity_per_commitment(
    store: Store, schema: etree.XMLSchema, tmp_path: Path
) -> None:
    (path,) = export(store, "iati", tmp_path / "aid.xml", clock=lambda: NOW)
    doc = etree.parse(str(path))
    schema.assertValid(doc)
    root = doc.getroot()
    assert root.get("version") == "2.03" and root.get("generated-datetime") == NOW.isoformat()
    assert len(root) == len(store.clusters("commitment")) == 5
    assert {a.findtext("iati-identifier") for a in root} == {f"XX-AIDTRACKER-{c.id}" for c in store.clusters()}
    for a in root:
        assert a.find("reporting-org").get("secondary-reporter") == "1"


def test_japans_grant_is_one_pledge_with_two_sources(store: Store, tmp_path: Path) -> None:
    (path,) = export(store, "iati", tmp_path, reporter_ref="XM-DAC-0000", clock=lambda: NOW)
    assert path.name == "aidtracker-iati.xml"
    (jp,) = by_donor(etree.parse(str(path)).getroot(), "Japan")
    assert jp.findtext("iati-identifier").startswith("XM-DAC-0000-c_")
    assert jp.find("participating-org[@role='1']").get("type") == "10"  # a government
    assert jp.find("recipient-country").get("code") == "UA"
    assert [(s.get("vocabulary"), s.get("code")) for s in jp.findall("sector")] == [("1", "23110")]
    (tx,) = jp.findall("transaction")
    assert tx.find("transaction-type").get("code") == "12"  # outgoing pledge
    value = tx.find("value")
    assert (value.text, value.get("currency"), value.get("value-date")) == ("15000000000", "JPY", "2024-02-19")
    assert tx.find("finance-type").get("code") == "110"  # standard grant
    links = {d.get("url") for d in jp.findall("document-link")}
    assert links == {
        "https://asiawire.example.com/2024/02/19/japan-grant",
        "https://tokyodaily.example.com/energy-grant",
    }


def test_statuses_and_instruments_type_the_transactions(store: Store, tmp_path: Path) -> None:
    (path,) = export(store, "iati", tmp_path / "aid.xml", clock=lambda: NOW)
    root = etree.parse(str(path)).getroot()
    eu = {a.findtext("transaction/value"): a for a in by_donor(root, "European Union")}
    loan = eu["5000000000"]
    assert loan.find("transaction/transaction-type").get("code") == "2"  # allocated: outgoing commitment
    assert loan.find("transaction/finance-type").get("code") == "421"  # standard loan
    assert loan.find("activity-status").get("code") == "2"
    assert {r.get("role") for r in loan.findall("participating-org")} == {"1", "3"}  # the EU extends too
    (blog,) = by_donor(root, "Canada")
    assert blog.find("document-link").get("format") == "text/plain"  # no URL: its source path


def mention(i: int, **fields: object) -> Mention:
    text = "\x0cJapan will provide the money."
    fact = Commitment(
        doc_id="doc_0000000000000001",
        donor=str(fields.get("donor", "Japan")),
        recipient="Ukraine",
        evidence=Evidence("doc_0000000000000001", Span(0, len(text)), text),
    )
    return Mention(id=f"cmt_{i:016x}", fact=fact, published=date(2024, 1, 2), publisher="Wire", source="a b/c.txt")


def cluster(i: int, **fields: object) -> Cluster:
    return Cluster(
        id=f"c_{i:016x}",
        kind="commitment",
        members=(f"cmt_{i:016x}",),
        representative=f"cmt_{i:016x}",
        fields={"donor": "Japan", "recipient": "Ukraine", **fields},
        disagreements={},
        publishers=("Wire",),
        first_reported=date(2024, 1, 2) if fields.get("dated", True) else None,
    )


def render(clusters: list[Cluster], actors: list[CanonicalActor] = ()) -> etree._Element:  # type: ignore[assignment]
    sources = Sources.build({c.representative: mention(int(c.id[2:], 16)) for c in clusters}, actors, {})
    return activities(clusters, sources, generated=NOW)


@pytest.mark.parametrize(
    ("status", "instrument", "code"),
    [
        (Status.EXPECTED, "grant", "12"),
        (Status.ANNOUNCED, "grant", "12"),
        (Status.PLEDGED, "loan", "12"),
        (Status.ALLOCATED, "loan", "2"),
        (Status.PROVIDED, "grant", "3"),
        (Status.PROVIDED, "guarantee", "10"),
        (Status.PLEDGED, "guarantee", "10"),
    ],
)
def test_transaction_type_by_status(schema: etree.XMLSchema, status: Status, instrument: str, code: str) -> None:
    c = cluster(1, amount=Decimal("1.5"), currency="EUR", status=status.value, instrument=instrument)
    root = render([c])
    schema.assertValid(root)
    assert root.find("iati-activity/transaction/transaction-type").get("code") == code
    assert root.find("iati-activity/transaction/value").text == "1.5"


def test_roles_undated_unpriced_and_unclean(schema: etree.XMLSchema) -> None:
    agency = CanonicalActor(id="o_1", name="Japan International Cooperation Agency", type=ActorType.GOVERNMENT_BODY)
    bank = CanonicalActor(id="o_2", name="European Investment Bank", type=ActorType.INTERGOVERNMENTAL)
    clusters = [
        cluster(1, donor="Japan International Cooperation Agency", channel="UNDP", amount=Decimal(5), currency="USD"),
        cluster(2, quantity=Decimal(40), item="generators", dated=False, sectors=["energy", "health", "education"]),
        cluster(3, donor="European Investment Bank", status="provided", recipient="Naftogaz"),
    ]
    root = render(clusters, [agency, bank])
    schema.assertValid(root)
    jica, generators, eib = list(root)
    assert [o.get("role") for o in jica.findall("participating-org")] == ["1", "3", "4"]
    assert jica.find("participating-org[@role='1']").get("type") == "10"
    assert generators.find("transaction") is None  # no amount, no transaction
    assert generators.findtext("title/narrative") == "Japan: 40 generators announced for Ukraine"
    assert generators.find("activity-date").get("iso-date") == NOW.date().isoformat()
    assert [s.get("percentage") for s in generators.findall("sector")] == ["34", "33", "33"]
    assert "\x0c" not in generators.findtext("description/narrative")
    assert eib.find("recipient-country") is None  # a company, not a country
    assert eib.find("activity-status").get("code") == "2"
    assert generators.find("document-link").get("url") == "a%20b/c.txt"


def test_every_sector_and_status_has_a_code() -> None:
    vocab = iati_vocab()
    assert set(vocab.sectors) == {s.value for s in Sector}
    assert all(len(code) == 5 and code.isdigit() for code, _ in vocab.sectors.values())
    assert set(vocab.transaction_by_status) == {s.value for s in Status}


def test_the_copied_schema_is_the_shared_one() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "iati"
    if not shared.is_dir():
        pytest.skip("../shared is absent")
    for name in ("iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd"):
        assert (SCHEMA.parent / name).read_bytes() == (shared / name).read_bytes()
