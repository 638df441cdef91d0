"""Dedupe stage, lineage and conflicts: how clusters relate, and where sources disagree.

Input: commitment clusters and their mentions. Output: `Link`s — a tranche `part_of` its
package (from what each document says contains what), a running total that `restates` an
earlier one — and `Conflict`s: cumulative totals for the same donor that differ, and figures
reported two ways inside one cluster. Totals use the links so that a package and its parts
are never both counted.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from aidtracker.ids import make_id
from aidtracker.records import Cluster, Commitment, Conflict, Link, Mention


def part_of_links(clusters: Sequence[Cluster], mentions: dict[str, Mention]) -> list[Link]:
    """`part_of` links between clusters, lifted from each document's "including"/"of which" structure."""
    cluster_of = {m: c.id for c in clusters for m in c.members}
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions.values():
        if isinstance(m.fact, Commitment):
            by_doc[m.fact.doc_id].append(m)
    links: dict[tuple[str, str], Link] = {}
    for doc_mentions in by_doc.values():
        for m in doc_mentions:
            c = m.fact
            assert isinstance(c, Commitment)
            if c.part_of is None or not 0 <= c.part_of < len(doc_mentions):
                continue
            whole = doc_mentions[c.part_of]
            source, target = cluster_of.get(m.id), cluster_of.get(whole.id)
            if source and target and source != target:
                links[(source, target)] = Link("part_of", source, target, f"stated as part of it in {c.doc_id}")
    return [links[k] for k in sorted(links)]


def _usd(c: Cluster) -> Decimal | None:
    value = c.fields.get("usd")
    return value if isinstance(value, Decimal) else None


def _when(c: Cluster) -> date:
    return c.first_reported or date.min


def cumulative_links_and_conflicts(
    clusters: Sequence[Cluster], mentions: dict[str, Mention], part_links: Sequence[Link]
) -> tuple[list[Link], list[Conflict]]:
    """Running totals of one donor: each later claim restates the earlier; differing claims conflict."""
    linked = {(link.source, link.target) for link in part_links} | {(link.target, link.source) for link in part_links}
    by_donor: dict[str, list[Cluster]] = defaultdict(list)
    for c in clusters:
        if c.kind == "commitment" and c.fields.get("scope") == "cumulative":
            by_donor[str(c.fields.get("donor"))].append(c)
    links: list[Link] = []
    conflicts: list[Conflict] = []
    for donor in sorted(by_donor):
        claims = sorted(by_donor[donor], key=lambda c: (_when(c), c.id))
        for earlier, later in itertools.pairwise(claims):
            links.append(Link("restates", later.id, earlier.id, f"a later running total for {donor}"))
        for i, a in enumerate(claims):
            for b in claims[i + 1 :]:
                if (a.id, b.id) in linked or _same_document(a, b, mentions):
                    continue  # a total and its own breakdown, stated together, do not conflict
                ua, ub = _usd(a), _usd(b)
                if ua is None or ub is None or abs(ua - ub) <= Decimal("0.05") * max(ua, ub):
                    continue
                if a.fields.get("recipient") != b.fields.get("recipient"):
                    continue
                conflicts.append(
                    Conflict(
                        id=make_id("conflict", "cumulative", a.id, b.id, prefix="x_"),
                        kind="cumulative_totals",
                        clusters=(a.id, b.id),
                        mentions=(a.representative, b.representative),
                        summary=(
                            f"{donor}'s running total is given as {_money(a)} ({', '.join(a.publishers)}, "
                            f"{a.first_reported or 'undated'}) and as {_money(b)} ({', '.join(b.publishers)}, "
                            f"{b.first_reported or 'undated'})"
                        ),
                    )
                )
    return links, conflicts


def _same_document(a: Cluster, b: Cluster, mentions: dict[str, Mention]) -> bool:
    docs_a = {mentions[m].fact.doc_id for m in a.members if m in mentions}
    docs_b = {mentions[m].fact.doc_id for m in b.members if m in mentions}
    return bool(docs_a & docs_b)


def _money(c: Cluster) -> str:
    amount = c.fields.get("amount")
    if isinstance(amount, Decimal):
        return f"{c.fields.get('currency')} {amount:,.0f}"
    return str(c.fields.get("item") or "?")


def figure_conflicts(clusters: Sequence[Cluster]) -> list[Conflict]:
    """Clusters whose mentions give the figure two ways ("€2.26 billion" and "€2.3 billion")."""
    out = []
    for c in clusters:
        amounts = c.disagreements.get("amount")
        if c.kind != "commitment" or not amounts:
            continue
        currencies = {str(a).split(" ", 1)[0] for a in amounts}
        if len(currencies) != len(amounts):  # two figures in one currency, not a conversion
            out.append(
                Conflict(
                    id=make_id("conflict", "figure", c.id, prefix="x_"),
                    kind="figure",
                    clusters=(c.id,),
                    mentions=c.members,
                    summary=f"{c.fields.get('donor')}'s commitment is reported as "
                    + " and as ".join(map(str, amounts)),
                )
            )
    return out
