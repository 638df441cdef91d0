"""IATI 2.03 activity XML: each commitment cluster as one activity, published as a secondary reporter.

Input: commitment clusters, their mentions, and what is known of the actors and documents.
Output: an `iati-activities` document that validates against the IATI 2.03 schema. Codes come
from `vocab/iati_codes.yml` and `vocab/iati_sectors.yml`, so changing how a status or a sector
maps onto IATI's codelists is a data change:

- the transaction is typed by status (12 outgoing pledge for expected, announced and pledged;
  2 outgoing commitment for allocated; 3 disbursement for provided), and 10 credit guarantee
  for a guarantee whatever its status; its value keeps the stated currency, and its
  value-date is the cluster's date. A cluster with no amount (counted equipment) has none;
- participating organisations: the donor funds (role 1), and extends too (role 3) when it is
  an agency, bank or fund; the channel implements (role 4);
- the recipient country is an ISO 3166 code, from pycountry or the actor registry;
- each source document is a document-link, to its URL where known, else to its source path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any
from urllib.parse import quote, urlsplit

import pycountry
from lxml import etree

from aidtracker.errors import VocabularyError
from aidtracker.query import effective_date, text_of, texts_of
from aidtracker.records import Article, CanonicalActor, Cluster, Mention
from aidtracker.store.rows import fold
from aidtracker.store.tables import plain
from aidtracker.types import ActorType, Instrument, Sector, Status
from aidtracker.vocab import load_yaml

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry at all; article text may hold them (form feeds, NULs).
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CODE = re.compile(r"[0-9A-Z]{1,5}\Z")


@dataclass(frozen=True, slots=True)
class IatiVocab:
    """The codes the export writes, loaded from the two vocabulary files and checked."""

    reporting_ref: str
    reporting_type: str
    reporting_name: str
    transaction_by_status: dict[str, str]
    transaction_by_instrument: dict[str, str]
    activity_status: dict[str, str]
    activity_date_type: dict[str, str]
    finance_types: dict[str, str]
    organisation_types: dict[str, str]
    extending: frozenset[str]
    document_category: str
    sector_vocabulary: str
    sectors: dict[str, tuple[str, str]]  # our sector -> (DAC code, DAC name)


def _codes(data: Any, where: str, keys: Iterable[str] | None = None) -> dict[str, str]:
    if not isinstance(data, dict) or not all(isinstance(v, str) and _CODE.match(v) for v in data.values()):
        raise VocabularyError(f"{where}: expected a mapping of names to IATI codes")
    missing = set(keys or ()) - set(data)
    if missing:
        raise VocabularyError(f"{where}: no code for {', '.join(sorted(missing))}")
    return {str(k): v for k, v in data.items()}


@cache
def iati_vocab() -> IatiVocab:
    """The IATI codes, validated: every status, actor type and sector has one."""
    codes = load_yaml("iati_codes")
    sectors = load_yaml("iati_sectors")
    try:
        org, tx = codes["reporting_org"], codes["transaction_types"]
        statuses = [s.value for s in Status]
        sector_codes: dict[str, tuple[str, str]] = {}
        for name, entry in sectors["sectors"].items():
            if not re.fullmatch(r"\d{5}", str(entry["code"])):
                raise VocabularyError(f"vocab/iati_sectors.yml: {name}: {entry['code']!r} is not a 5-digit DAC code")
            sector_codes[str(name)] = (str(entry["code"]), str(entry["name"]))
        missing = {s.value for s in Sector} - set(sector_codes)
        if missing:
            raise VocabularyError(f"vocab/iati_sectors.yml: no code for {', '.join(sorted(missing))}")
        extending = frozenset(str(x) for x in codes["extending_actor_types"])
        if extending - {t.value for t in ActorType}:
            raise VocabularyError("vocab/iati_codes.yml: extending_actor_types names an unknown actor type")
        return IatiVocab(
            reporting_ref=str(org["ref"]),
            reporting_type=str(org["type"]),
            reporting_name=str(org["name"]),
            transaction_by_status=_codes(tx["by_status"], "vocab/iati_codes.yml transaction_types", statuses),
            transaction_by_instrument=_codes(tx["by_instrument"], "vocab/iati_codes.yml transaction_types"),
            activity_status=_codes(codes["activity_status"], "vocab/iati_codes.yml activity_status", statuses),
            activity_date_type=_codes(codes["activity_date_type"], "vocab/iati_codes.yml activity_date_type", statuses),
            finance_types=_codes(codes["finance_types"], "vocab/iati_codes.yml finance_types"),
            organisation_types=_codes(
                codes["organisation_types"], "vocab/iati_codes.yml organisation_types", [t.value for t in ActorType]
            ),
            extending=extending,
            document_category=str(codes["document_category"]),
            sector_vocabulary=str(sectors["vocabulary"]),
            sectors=sector_codes,
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise VocabularyError(f"vocab/iati_codes.yml or iati_sectors.yml: missing or malformed entry: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Sources:
    """What the export knows beyond the clusters: mentions, actors by folded name, documents."""

    mentions: dict[str, Mention]
    actors: dict[str, CanonicalActor]
    documents: dict[str, Article]

    @staticmethod
    def build(mentions: dict[str, Mention], actors: Iterable[CanonicalActor], documents: dict[str, Article]) -> Sources:
        by_name: dict[str, CanonicalActor] = {}
        for a in actors:
            for name in (a.name, *a.aliases):
                by_name.setdefault(fold(name), a)
        return Sources(mentions, by_name, documents)

    def actor(self, name: str | None) -> CanonicalActor | None:
        return self.actors.get(fold(name)) if name else None


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})


def _narrative(parent: etree._Element, text: str) -> None:
    _sub(parent, "narrative").text = _clean(text)


def country_code(name: str | None, sources: Sources) -> str | None:
    """The ISO 3166-1 alpha-2 code of a recipient that is a country, else None."""
    if not name:
        return None
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        pass
    actor = sources.actor(name)
    if actor is not None and actor.type == ActorType.COUNTRY and actor.country:
        return actor.country
    return None


def _title(c: Cluster) -> str:
    donor = text_of(c, "donor") or "Unknown donor"
    amount, currency = c.fields.get("amount"), text_of(c, "currency")
    quantity, item = c.fields.get("quantity"), text_of(c, "item")
    if isinstance(amount, Decimal):
        what = f"{currency or ''} {amount:,}".strip()
    elif isinstance(quantity, Decimal):
        what = f"{quantity:,} {item or 'items'}"
    else:
        what = item or "support"
    instrument = text_of(c, "instrument")
    if instrument and instrument != Instrument.UNSPECIFIED:
        what += f" {instrument.replace('_', ' ')}"
    status = text_of(c, "status") or "announced"
    recipient = text_of(c, "recipient")
    return f"{donor}: {what} {status}" + (f" for {recipient}" if recipient else "")


def _link_of(article: Article | None, m: Mention) -> tuple[str, str]:
    """(url, MIME format) of a source: its URL, else its source path as a relative URI reference."""
    url = article.url if article and article.url else None
    if url and urlsplit(url).scheme in ("http", "https"):
        return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._"), "text/html"
    fmt = {"html": "text/html", "markdown": "text/markdown"}.get(article.format if article else "", "text/plain")
    return quote(m.source, safe="/:~-._"), fmt


def activity(c: Cluster, sources: Sources, *, reporter_ref: str, generated: datetime) -> etree._Element:
    """One `iati-activity` for one commitment cluster."""
    v = iati_vocab()
    status = text_of(c, "status") or Status.ANNOUNCED.value
    instrument = text_of(c, "instrument") or Instrument.UNSPECIFIED.value
    when = effective_date(c) or generated.date()
    rep = sources.mentions.get(c.representative)
    el = etree.Element("iati-activity", {"last-updated-datetime": generated.isoformat(timespec="seconds")})
    el.set(XML_LANG, "en")
    currency = text_of(c, "currency")
    if currency:
        el.set("default-currency", currency)
    if text_of(c, "kind") == "humanitarian":
        el.set("humanitarian", "1")

    _sub(el, "iati-identifier").text = f"{reporter_ref}-{c.id}"
    org = _sub(el, "reporting-org", ref=reporter_ref, type=v.reporting_type, secondary_reporter="1")
    _narrative(org, v.reporting_name)
    _narrative(_sub(el, "title"), _title(c))
    description = _sub(el, "description", type="1")
    _narrative(description, rep.fact.evidence.text if rep else _title(c))

    donor, channel = text_of(c, "donor"), text_of(c, "channel")
    donor_actor = sources.actor(donor)
    roles = [("1", donor)]
    if donor_actor is not None and donor_actor.type.value in v.extending:
        roles.append(("3", donor))
    if channel:
        roles.append(("4", channel))
    for role, name in roles:
        actor = sources.actor(name)
        attrs = {"role": role}
        if actor is not None:
            attrs["type"] = v.organisation_types[actor.type.value]
        _narrative(_sub(el, "participating-org", **attrs), name or "Unknown donor")

    _sub(el, "activity-status", code=v.activity_status[status])
    date_el = _sub(el, "activity-date", type=v.activity_date_type[status], iso_date=when.isoformat())
    if effective_date(c) is None:
        _narrative(date_el, "No date in the sources; this is the date of the export.")

    recipient = text_of(c, "recipient")
    code = country_code(recipient, sources)
    if code:
        _sub(el, "recipient-country", code=code, percentage="100")
    sectors = [s for s in texts_of(c, "sectors") if s in v.sectors]
    for i, s in enumerate(sectors):
        share = 100 // len(sectors) + (100 % len(sectors) if i == 0 else 0)
        dac_code, dac_name = v.sectors[s]
        sector = _sub(el, "sector", vocabulary=v.sector_vocabulary, code=dac_code, percentage=str(share))
        _narrative(sector, dac_name)

    amount = c.fields.get("amount")
    if isinstance(amount, Decimal):
        tx = _sub(el, "transaction")
        tx_type = v.transaction_by_instrument.get(instrument) or v.transaction_by_status[status]
        _sub(tx, "transaction-type", code=tx_type)
        _sub(tx, "transaction-date", iso_date=when.isoformat())
        value = _sub(tx, "value", value_date=when.isoformat())
        if currency:
            value.set("currency", currency)
        value.text = plain(amount)
        if rep:
            _narrative(_sub(tx, "description"), rep.fact.evidence.text)
        _narrative(_sub(tx, "provider-org"), donor or "Unknown donor")
        if recipient:
            _narrative(_sub(tx, "receiver-org"), recipient)
        if instrument in v.finance_types:
            _sub(tx, "finance-type", code=v.finance_types[instrument])

    seen: set[str] = set()
    for mention_id in c.members:
        m = sources.mentions.get(mention_id)
        if m is None or m.fact.doc_id in seen:
            continue
        seen.add(m.fact.doc_id)
        article = sources.documents.get(m.fact.doc_id)
        url, fmt = _link_of(article, m)
        link = _sub(el, "document-link", url=url, format=fmt)
        _narrative(_sub(link, "title"), m.title or m.source)
        _sub(link, "category", code=v.document_category)
        _sub(link, "language", code=(article.language if article else "en") or "en")
        if m.published:
            _sub(link, "document-date", iso_date=m.published.isoformat())
    return el


def activities(
    clusters: Iterable[Cluster], sources: Sources, *, generated: datetime, reporter_ref: str | None = None
) -> etree._Element:
    """The `iati-activities` root holding one activity per commitment cluster, by cluster id."""
    ref = reporter_ref or iati_vocab().reporting_ref
    root = etree.Element("iati-activities", {"version": VERSION, "generated-datetime": generated.isoformat()})
    for c in sorted(clusters, key=lambda c: c.id):
        if c.kind == "commitment":
            root.append(activity(c, sources, reporter_ref=ref, generated=generated))
    return root


def to_bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
