"""Resolution keeps the judgements that explain its clusters, in number linear in the mentions.

A fact repeated in many articles is compared pair by pair; keeping every one of those
judgements grew with the square of the cluster (a fact in 487 generated articles gave 118,000
rows). `dedupe.cluster` keeps the joins that built each cluster and a few others per mention;
checked here against a run that keeps them all, on the project's own articles' mentions plus
one commitment copied into many documents.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import pytest

from aidtracker.dedupe import cluster as clustering
from aidtracker.records import Agreement, Cluster, Commitment, Event, Judgement, Mention

KINDS = {"commitment": Commitment, "event": Event, "agreement": Agreement}
COPIES = 40


class Run(NamedTuple):
    """One kind's mentions clustered as resolution does, and again keeping every judgement."""

    mentions: list[Mention]
    clusters: list[Cluster]
    kept: list[Judgement]
    every_cluster: list[Cluster]
    every: list[Judgement]


@pytest.fixture(scope="module")
def mentions(article_mentions: list[Mention]) -> list[Mention]:
    one = next(m for m in article_mentions if isinstance(m.fact, Commitment) and m.fact.amount is not None)
    copies = [
        dataclasses.replace(one, id=f"{one.id}c{n:02d}", fact=dataclasses.replace(one.fact, doc_id=f"doc_c{n:02d}"))
        for n in range(COPIES)
    ]
    return article_mentions + copies


def _run(kind: str, mentions: list[Mention]) -> Run:
    of_kind = [m for m in mentions if isinstance(m.fact, KINDS[kind])]
    clusters, kept = clustering.cluster_mentions(kind, of_kind)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clustering, "_OTHERS_KEPT", 10**9)
        every_cluster, every = clustering.cluster_mentions(kind, of_kind)
    return Run(of_kind, clusters, kept, every_cluster, every)


@pytest.fixture(scope="module")
def commitments(mentions: list[Mention]) -> Run:
    return _run("commitment", mentions)


@pytest.mark.parametrize("kind", list(KINDS))
def test_clusters_are_those_of_keeping_every_judgement(mentions: list[Mention], kind: str) -> None:
    run = _run(kind, mentions)
    assert run.clusters == run.every_cluster
    assert set(run.kept) <= set(run.every)
    assert run.kept == sorted(run.kept, key=lambda j: (j.left, j.right))


def test_a_fact_in_many_documents_keeps_a_linear_number_of_judgements(commitments: Run) -> None:
    big = max(commitments.clusters, key=lambda c: len(c.members))
    assert len(big.members) > COPIES  # the copies and the original are one cluster
    inside = [j for j in commitments.kept if j.left in big.members and j.right in big.members]
    every_inside = [j for j in commitments.every if j.left in big.members and j.right in big.members]
    assert len(every_inside) >= len(big.members) ** 2 / 3
    assert len(commitments.kept) < len(commitments.every)
    assert len(inside) <= (len(big.members) - 1) + clustering._OTHERS_KEPT * len(big.members)
    # The joins alone connect the cluster: every member is reached from the representative.
    joined = {big.representative}
    edges = [(j.left, j.right) for j in inside if j.same]
    grew = True
    while grew:
        grew = False
        for a, b in edges:
            if (a in joined) != (b in joined):
                joined |= {a, b}
                grew = True
    assert joined == set(big.members)


def test_near_misses_are_kept_for_each_mention_strongest_first(commitments: Run) -> None:
    kept_set = set(commitments.kept)
    for m in commitments.mentions:
        apart = sorted(
            (j for j in commitments.every if not j.same and m.id in (j.left, j.right)), key=lambda j: -j.score
        )
        if not apart:
            continue
        # A mention's strongest refusal is always explained (unless a stronger one filled its quota).
        strongest = apart[0]
        assert strongest in kept_set or sum(1 for j in commitments.kept if m.id in (j.left, j.right)) >= (
            clustering._OTHERS_KEPT
        )
