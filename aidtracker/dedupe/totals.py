"""Totals that never double count: new packages summed once, running totals shown beside them.

Input: a `Resolution` and its mentions. Output: `Totals` — per group (donor, recipient,
sector, instrument or month) the sum in USD of new-package clusters that are not themselves
part of a counted package, the same per stated currency, and, separately, every cumulative
claim with its sources, date and what it says it covers, plus the conflicts among them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from aidtracker.dedupe.compare import canonical_donor
from aidtracker.records import Cluster, Conflict, Mention, Resolution

GROUPINGS = ("donor", "recipient", "sector", "instrument", "month")


@dataclass
class Group:
    key: str
    usd: Decimal = Decimal(0)
    by_currency: dict[str, Decimal] = field(default_factory=dict)
    packages: list[str] = field(default_factory=list)
    unpriced: int = 0  # in-kind or figure-less packages, counted but not summed


@dataclass
class Claim:
    """A running total as one or more sources state it."""

    cluster: str
    donor: str
    amount: Decimal | None
    currency: str | None
    usd: Decimal | None
    reported: date | None
    publishers: tuple[str, ...]
    covers: str
    evidence: str


@dataclass
class Totals:
    by: str
    groups: list[Group]
    cumulative: list[Claim]
    conflicts: list[Conflict]
    excluded_parts: list[str]

    def as_dict(self, *, conflict_mentions: bool = False, shared: bool = True) -> dict[str, Any]:
        """Plain JSON values; `conflict_mentions` keeps each conflict's mentions (for `from_dict`).

        `shared=False` leaves out the cumulative claims, conflicts and left-out parts, which
        unfiltered totals share across groupings (the store keeps them once).
        """
        groups = {
            "by": self.by,
            "groups": [
                {
                    "key": g.key,
                    "usd": str(g.usd),
                    "by_currency": {k: str(v) for k, v in sorted(g.by_currency.items())},
                    "packages": g.packages,
                    "unpriced": g.unpriced,
                }
                for g in self.groups
            ],
        }
        if not shared:
            return groups
        return groups | {
            "cumulative": [
                {
                    "cluster": c.cluster,
                    "donor": c.donor,
                    "amount": str(c.amount) if c.amount is not None else None,
                    "currency": c.currency,
                    "usd": str(c.usd) if c.usd is not None else None,
                    "reported": c.reported.isoformat() if c.reported else None,
                    "publishers": list(c.publishers),
                    "covers": c.covers,
                    "evidence": c.evidence,
                }
                for c in self.cumulative
            ],
            "conflicts": [
                {"id": c.id, "kind": c.kind, "clusters": list(c.clusters), "summary": c.summary}
                | ({"mentions": list(c.mentions)} if conflict_mentions else {})
                for c in self.conflicts
            ],
            "excluded_parts": self.excluded_parts,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Totals:
        """The totals `as_dict(conflict_mentions=True)` wrote, equal to those it was given."""

        def number(v: str | None) -> Decimal | None:
            return None if v is None else Decimal(v)

        return cls(
            by=d["by"],
            groups=[
                Group(
                    key=g["key"],
                    usd=Decimal(g["usd"]),
                    by_currency={k: Decimal(v) for k, v in g["by_currency"].items()},
                    packages=list(g["packages"]),
                    unpriced=g["unpriced"],
                )
                for g in d["groups"]
            ],
            cumulative=[
                Claim(
                    cluster=c["cluster"],
                    donor=c["donor"],
                    amount=number(c["amount"]),
                    currency=c["currency"],
                    usd=number(c["usd"]),
                    reported=date.fromisoformat(c["reported"]) if c["reported"] else None,
                    publishers=tuple(c["publishers"]),
                    covers=c["covers"],
                    evidence=c["evidence"],
                )
                for c in d["cumulative"]
            ],
            conflicts=[
                Conflict(c["id"], c["kind"], tuple(c["clusters"]), tuple(c.get("mentions", ())), c["summary"])
                for c in d["conflicts"]
            ],
            excluded_parts=list(d["excluded_parts"]),
        )


def _matches(
    c: Cluster, donor: str | None, recipient: str | None, sector: str | None, start: date | None, end: date | None
) -> bool:
    fields = c.fields
    if donor and canonical_donor(str(fields.get("donor", ""))) != canonical_donor(donor):
        return False
    if recipient and canonical_donor(str(fields.get("recipient") or "")) != canonical_donor(recipient):
        return False
    sectors = fields.get("sectors") or []
    if sector and sector not in sectors:  # type: ignore[operator]
        return False
    when = fields.get("date") or c.first_reported
    if (start or end) and not isinstance(when, date):
        return False
    if start and isinstance(when, date) and when < start:
        return False
    return not (end and isinstance(when, date) and when > end)


def _keys(c: Cluster, by: str) -> list[str]:
    fields = c.fields
    if by == "donor":
        return [str(fields.get("donor"))]
    if by == "recipient":
        return [str(fields.get("recipient") or "unknown")]
    if by == "instrument":
        return [str(fields.get("instrument"))]
    if by == "month":
        when = fields.get("date") or c.first_reported
        return [when.strftime("%Y-%m") if isinstance(when, date) else "undated"]
    sectors = fields.get("sectors")
    return [str(s) for s in sectors] if isinstance(sectors, list) and sectors else ["unspecified"]


def totals(
    resolution: Resolution,
    mentions: dict[str, Mention],
    *,
    donor: str | None = None,
    recipient: str | None = None,
    sector: str | None = None,
    start: date | None = None,
    end: date | None = None,
    by: str = "donor",
) -> Totals:
    """New packages summed once per group; cumulative claims and their conflicts beside them.

    A cluster that a document states is part of another counted cluster is left out of the
    sums (its package is counted); a package split over several sectors counts in each of
    them, so sector groups may add up to more than the donor's total — that is said, not hidden.
    """
    if by not in GROUPINGS:
        raise ValueError(f"cannot group totals by {by!r}; choose one of {', '.join(GROUPINGS)}")
    commitments = [c for c in resolution.clusters if c.kind == "commitment"]
    chosen = [c for c in commitments if _matches(c, donor, recipient, sector, start, end)]
    packages = [c for c in chosen if c.fields.get("scope") == "new"]
    counted = {c.id for c in packages}
    parts = {link.source for link in resolution.links if link.kind == "part_of" and link.target in counted}
    groups: dict[str, Group] = {}
    for c in sorted(packages, key=lambda c: c.id):
        if c.id in parts:
            continue
        for key in _keys(c, by):
            g = groups.setdefault(key, Group(key))
            g.packages.append(c.id)
            usd = c.fields.get("usd")
            amount, currency = c.fields.get("amount"), c.fields.get("currency")
            if isinstance(usd, Decimal):
                g.usd += usd
            if isinstance(amount, Decimal) and isinstance(currency, str):
                g.by_currency[currency] = g.by_currency.get(currency, Decimal(0)) + amount
            else:
                g.unpriced += 1
    claims = []
    for c in sorted(
        (c for c in chosen if c.fields.get("scope") == "cumulative"), key=lambda c: (c.first_reported or date.min, c.id)
    ):
        rep = mentions.get(c.representative)
        amount = c.fields.get("amount")
        usd = c.fields.get("usd")
        claims.append(
            Claim(
                cluster=c.id,
                donor=str(c.fields.get("donor")),
                amount=amount if isinstance(amount, Decimal) else None,
                currency=c.fields.get("currency") if isinstance(c.fields.get("currency"), str) else None,  # type: ignore[arg-type]
                usd=usd if isinstance(usd, Decimal) else None,
                reported=c.first_reported,
                publishers=c.publishers,
                covers=str(c.fields.get("purpose") or ", ".join(c.fields.get("sectors") or []) or "all support"),  # type: ignore[arg-type]
                evidence=rep.fact.evidence.text if rep else "",
            )
        )
    chosen_ids = {c.id for c in chosen}
    conflicts = [x for x in resolution.conflicts if set(x.clusters) & chosen_ids]
    ordered = sorted(groups.values(), key=lambda g: (-g.usd, g.key))
    return Totals(by, ordered, claims, conflicts, sorted(parts & counted))
