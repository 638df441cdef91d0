"""Dedupe stage: mentions across documents → one cluster per real-world fact, with lineage and conflicts.

    mentions ─► block (donor / type) ─► compare (judgements with reasons) ─► cluster
             └► lineage (part_of, restates) ─► conflicts ─► actors (resolve.build_registry)

`resolve` is pure and deterministic: the same mentions give the same clusters, ids, links and
conflicts, so re-running it changes nothing. Human judgements, kept by the store, are applied
on top by the review layer.
"""

from __future__ import annotations

from collections.abc import Iterable

from aidtracker.dedupe.cluster import cluster_mentions
from aidtracker.dedupe.lineage import cumulative_links_and_conflicts, figure_conflicts, part_of_links
from aidtracker.dedupe.totals import GROUPINGS, Totals, totals
from aidtracker.records import Agreement, Commitment, Event, Mention, Resolution
from aidtracker.resolve import build_registry

__all__ = ["GROUPINGS", "Totals", "resolve", "totals"]

_KINDS = {Commitment: "commitment", Agreement: "agreement", Event: "event"}


def resolve(mentions: Iterable[Mention]) -> Resolution:
    """Clusters, judgements, links, conflicts and canonical actors for every stored mention."""
    all_mentions = list(mentions)
    by_id = {m.id: m for m in all_mentions}
    clusters = []
    judgements = []
    for fact_type, kind in _KINDS.items():
        of_kind = [m for m in all_mentions if isinstance(m.fact, fact_type)]
        found, judged = cluster_mentions(kind, of_kind)
        clusters.extend(found)
        judgements.extend(judged)
    part_links = part_of_links(clusters, by_id)
    cumulative_links, conflicts = cumulative_links_and_conflicts(clusters, by_id, part_links)
    conflicts.extend(figure_conflicts(clusters))
    registry = build_registry(all_mentions)
    return Resolution(
        clusters=tuple(sorted(clusters, key=lambda c: c.id)),
        judgements=tuple(judgements),
        links=tuple(part_links + cumulative_links),
        conflicts=tuple(sorted(conflicts, key=lambda c: c.id)),
        actors=tuple(registry.actors),
    )
