"""Resolution keeps the judgements that explain its clusters, in number linear in the mentions.

A fact repeated in many articles is compared pair by pair; keeping every one of those
judgements grew with the square of the cluster (a fact in 487 generated articles gave 118,000
rows). `dedupe.cluster` keeps the joins that built each cluster and a few others per mention;
checked here against a run that keeps them all, on the project's own articles' mentions plus
one commitment copied into many documents.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from aidtracker.dedupe import cluster as clustering
from aidtracker.pipeline import ingest
from aidtracker.records import Agreement, Cluster, Commitment, Event, Judgement, Mention
from aidtracker.store import open_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
KINDS = {"commitment": Commitment, "event": Event, "agreement": Agreement}
COPIES = 40


@pytest.fixture(scope="module")
def mentions(tmp_path_factory: pytest.TempPathFactory) -> list[Mention]:
    db = tmp_path_factory.mktemp("judgements") / "aid.db"
    with open_store(str(db)) as store:
        ingest([str(FIXTURES / "articles"), str(FIXTURES / "articles2")], store)
        found = list(store.mentions())
    one = next(m for m in found if isinstance(m.fact, Commitment) and m.fact.amount is not None)
    copies = [
        dataclasses.replace(one, id=f"{one.id}c{n:02d}", fact=dataclasses.replace(one.fact, doc_id=f"doc_c{n:02d}"))
        for n in range(COPIES)
    ]
    return found + copies


def _all_kept(
    monkeypatch: pytest.MonkeyPatch, kind: str, of_kind: list[Mention]
) -> tuple[list[Cluster], list[Judgement]]:
    with monkeypatch.context() as m:
        m.setattr(clustering, "_OTHERS_KEPT", 10**9)
        return clustering.cluster_mentions(kind, of_kind)


@pytest.mark.parametrize("kind", list(KINDS))
def test_clusters_are_those_of_keeping_every_judgement(
    mentions: list[Mention], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    of_kind = [m for m in mentions if isinstance(m.fact, KINDS[kind])]
    clusters, kept = clustering.cluster_mentions(kind, of_kind)
    every_cluster, every = _all_kept(monkeypatch, kind, of_kind)
    assert clusters == every_cluster
    assert set(kept) <= set(every)
    assert kept == sorted(kept, key=lambda j: (j.left, j.right))


def test_a_fact_in_many_documents_keeps_a_linear_number_of_judgements(
    mentions: list[Mention], monkeypatch: pytest.MonkeyPatch
) -> None:
    of_kind = [m for m in mentions if isinstance(m.fact, Commitment)]
    clusters, kept = clustering.cluster_mentions("commitment", of_kind)
    _, every = _all_kept(monkeypatch, "commitment", of_kind)
    big = max(clusters, key=lambda c: len(c.members))
    assert len(big.members) > COPIES  # the copies and the original are one cluster
    inside = [j for j in kept if j.left in big.members and j.right in big.members]
    assert len([j for j in every if j.left in big.members and j.right in big.members]) >= len(big.members) ** 2 / 3
    assert len(kept) < len(every)
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


def test_near_misses_are_kept_for_each_mention_strongest_first(
    mentions: list[Mention], monkeypatch: pytest.MonkeyPatch
) -> None:
    of_kind = [m for m in mentions if isinstance(m.fact, Commitment)]
    _, kept = clustering.cluster_mentions("commitment", of_kind)
    _, every = _all_kept(monkeypatch, "commitment", of_kind)
    kept_set = set(kept)
    for m in of_kind:
        apart = sorted((j for j in every if not j.same and m.id in (j.left, j.right)), key=lambda j: -j.score)
        if not apart:
            continue
        # A mention's strongest refusal is always explained (unless a stronger one filled its quota).
        strongest = apart[0]
        assert strongest in kept_set or sum(1 for j in kept if m.id in (j.left, j.right)) >= clustering._OTHERS_KEPT
