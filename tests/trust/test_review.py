"""Review with an audit trail, on every backend: verdicts, corrections, merges and splits, what
they do to clusters and totals, and that they outlive extraction and resolution run again."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from trust_corpus import ARTICLES, renaming_recipients

import aidtracker.pipeline as pipeline
from aidtracker.dedupe import totals
from aidtracker.errors import NotFound, ReviewError, StorageError
from aidtracker.pipeline import extract_stored, ingest, resolve_store
from aidtracker.records import Cluster, Commitment, Evidence, Mention, Span
from aidtracker.review import (
    Review,
    ReviewAction,
    ReviewState,
    apply_reviews,
    evidence_key,
    orphans,
    record_review,
    review_log,
    review_states,
)
from aidtracker.store import Store, resolve_url


def cluster_of(store: Store, donor: str) -> Cluster:
    (found,) = [c for c in store.clusters("commitment") if c.fields.get("donor") == donor]
    return found


def total_of(store: Store, donor: str, *, reviewed_only: bool = False) -> dict[str, str]:
    resolution = store.resolution(reviewed_only=reviewed_only)
    result = totals(resolution, {m.id: m for m in store.mentions()}).as_dict()
    return {g["key"]: g["by_currency"] for g in result["groups"]}.get(donor, {})


def test_the_corpus_has_a_cluster_reported_twice(reviewed_store: Store) -> None:
    germany = cluster_of(reviewed_store, "Germany")
    assert len(germany.members) == 2
    assert total_of(reviewed_store, "Germany") == {"EUR": "50000000"}


def test_a_confirmation_is_an_audit_entry_keyed_to_evidence(reviewed_store: Store) -> None:
    store = reviewed_store
    germany = cluster_of(store, "Germany")
    review = record_review(store, "confirm", germany.id, by="alice", comment="checked with the ministry")
    assert review.id >= 1 and review.at is not None
    assert review.targets == (germany.id,)
    members = store.mentions_by_id(germany.members)
    assert set(review.keys) == {evidence_key(m.fact) for m in members.values()}
    assert review.before == {"state": "unreviewed"} and review.after == {"state": "confirmed"}
    assert store.reviews() == [review]
    states = review_states(store, [germany.id, *germany.members])
    assert {s.state for s in states.values()} == {ReviewState.CONFIRMED}


def test_rejecting_a_fact_takes_it_out_of_its_cluster_not_out_of_the_store(reviewed_store: Store) -> None:
    store = reviewed_store
    germany = cluster_of(store, "Germany")
    dropped, kept = germany.members
    record_review(store, "reject", dropped, by="alice", comment="the daily misread the wire")
    resolve_store(store)
    after = cluster_of(store, "Germany")
    assert after.members == (kept,)
    assert store.mention(dropped) is not None  # the fact stays, as what the text said
    assert review_states(store, [dropped])[dropped].state is ReviewState.REJECTED
    assert total_of(store, "Germany") == {"EUR": "50000000"}  # the other report still counts


def test_rejecting_a_cluster_takes_it_out_of_the_totals(reviewed_store: Store) -> None:
    store = reviewed_store
    record_review(store, "reject", cluster_of(store, "Germany").id, by="alice")
    resolve_store(store)
    assert not [c for c in store.clusters("commitment") if c.fields.get("donor") == "Germany"]
    assert total_of(store, "Germany") == {}
    assert total_of(store, "Canada") == {"CAD": "15000000"}


def test_a_correction_overrides_the_cluster_and_reprices_it(reviewed_store: Store) -> None:
    store = reviewed_store
    germany = cluster_of(store, "Germany")
    usd, amount = germany.fields["usd"], germany.fields["amount"]
    assert isinstance(usd, Decimal) and isinstance(amount, Decimal)
    review = record_review(store, "correct", germany.id, by="bob", fields=["amount=60,000,000", "sectors=energy"])
    assert review.before["fields"] == {"amount": Decimal(50_000_000), "sectors": germany.fields["sectors"]}
    assert review.after["fields"] == {"amount": Decimal(60_000_000), "sectors": ["energy"]}
    resolve_store(store)
    corrected = cluster_of(store, "Germany")
    assert corrected.id == germany.id  # a correction changes values, not membership
    assert corrected.fields["amount"] == Decimal(60_000_000)
    assert corrected.fields["usd"] == (Decimal(60_000_000) * usd / amount).quantize(Decimal("0.01"))
    assert total_of(store, "Germany") == {"EUR": "60000000"}
    status = review_states(store, [germany.id])[germany.id]
    assert status.fields == {"amount": Decimal(60_000_000), "sectors": ["energy"]}


def test_the_later_review_wins(reviewed_store: Store) -> None:
    store = reviewed_store
    canada = cluster_of(store, "Canada").id
    record_review(store, "correct", canada, by="alice", fields=["amount=1"])
    record_review(store, "correct", canada, by="bob", fields=["amount=2"])
    record_review(store, "reject", canada, by="carol")
    resolve_store(store)
    assert total_of(store, "Canada") == {}
    record_review(store, "confirm", canada, by="dave", comment="it is real after all")
    resolve_store(store)
    status = review_states(store, [cluster_of(store, "Canada").id])
    # A reject clears the corrections made before it; the confirmation restores the text's values.
    assert [s.state for s in status.values()] == [ReviewState.CONFIRMED]
    assert total_of(store, "Canada") == {"CAD": "15000000"}


def test_merge_and_split_become_reviewers_judgements(reviewed_store: Store) -> None:
    store = reviewed_store
    canada, sweden = cluster_of(store, "Canada"), cluster_of(store, "Sweden")
    record_review(store, "merge", canada.id, by="alice", other=sweden.id, comment="one package")
    resolve_store(store)
    merged = store.cluster(canada.members[0])
    assert merged is not None and set(merged.members) == {*canada.members, *sweden.members}
    judged = [j for j in store.resolution().judgements if j.by == "alice"]
    assert [(j.same, {j.left, j.right}) for j in judged] == [(True, {*canada.members, *sweden.members})]

    record_review(store, "split", merged.id, by="alice", other=sweden.members[0])
    resolve_store(store)
    assert cluster_of(store, "Canada").members == canada.members
    assert cluster_of(store, "Sweden").members == sweden.members
    judged = [j for j in store.resolution().judgements if j.by == "alice"]
    assert [j.same for j in judged] == [False]  # the reviewer changed their mind: the later judgement
    assert [r.action for r in review_log(store, canada.id)] == ["merge", "split"]  # its fact anchored both
    assert [r.action for r in review_log(store, sweden.members[0])] == ["merge", "split"]


@pytest.mark.parametrize(
    ("action", "target", "kwargs", "error", "message"),
    [
        ("confirm", "cmt_nosuchfact", {}, NotFound, "no fact or cluster"),
        ("correct", "GERMANY", {"fields": ["money=5"]}, ReviewError, "has no field 'money'"),
        ("correct", "GERMANY", {"fields": ["amount=-5"]}, ReviewError, "not an amount"),
        ("correct", "GERMANY", {"fields": ["scope=imaginary"]}, ReviewError, "not one of new, cumulative"),
        ("correct", "GERMANY", {}, ReviewError, "say what to correct"),
        ("confirm", "GERMANY", {"fields": ["amount=5"]}, ReviewError, "only correct does"),
        ("confirm", "GERMANY", {"by": "machine"}, ReviewError, "resolver's name"),
        ("confirm", "GERMANY", {"by": "eve'; DROP TABLE reviews; --"}, ReviewError, "not a usable name"),
        ("confirm", "GERMANY", {"comment": "a\x1b[2Jb"}, ReviewError, "control characters"),
        ("merge", "GERMANY", {"other": "GERMANY"}, ReviewError, "nothing to merge"),
        ("merge", "GERMANY", {}, ReviewError, "takes two ids"),
        ("split", "CANADA", {"other": "CANADA_MEMBER"}, ReviewError, "one member"),
        ("split", "GERMANY", {"other": "CANADA_MEMBER"}, ReviewError, "is not a member"),
        ("approve", "GERMANY", {}, ReviewError, "not a review action"),
    ],
)
def test_a_bad_review_is_refused_and_nothing_is_written(
    reviewed_store: Store, action: str, target: str, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    store = reviewed_store
    names = {
        "GERMANY": cluster_of(store, "Germany").id,
        "CANADA": cluster_of(store, "Canada").id,
        "CANADA_MEMBER": cluster_of(store, "Canada").members[0],
    }
    args: dict[str, object] = {"by": "alice", **kwargs}
    for key in ("other",):
        if isinstance(args.get(key), str):
            args[key] = names.get(str(args[key]), args[key])
    with pytest.raises(error, match=message):
        record_review(store, action, names.get(target, target), **args)  # type: ignore[arg-type]
    assert store.review_count() == 0


def test_the_audit_trail_is_append_only_in_the_database(db_url: str, reviewed_store: Store) -> None:
    record_review(reviewed_store, "confirm", cluster_of(reviewed_store, "Canada").id, by="alice")
    engine = sa.create_engine(resolve_url(db_url))
    try:
        for statement in ("UPDATE reviews SET by = 'mallory'", "DELETE FROM reviews"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
                conn.execute(sa.text(statement))
        if engine.dialect.name == "postgresql":
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
                conn.execute(sa.text("TRUNCATE reviews"))
    finally:
        engine.dispose()
    assert [r.by for r in reviewed_store.reviews()] == ["alice"]


def test_reviews_still_apply_after_extract_and_resolve_run_again_from_scratch(
    reviewed_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The acceptance test: reviews hold on to evidence, not to ids that a new run replaces."""
    store = reviewed_store
    germany, canada, sweden = (cluster_of(store, d) for d in ("Germany", "Canada", "Sweden"))
    wire = sorted(germany.members)[0]
    canada_doc = store.mentions_by_id(canada.members)[canada.members[0]].fact.doc_id
    record_review(store, "reject", wire, by="alice")
    record_review(store, "correct", canada.id, by="bob", fields=["amount=16000000"])
    record_review(store, "merge", canada.id, by="carol", other=sweden.id)
    record_review(store, "confirm", sweden.id, by="dave")
    resolve_store(store)
    before = sorted((len(c.members), c.fields.get("amount")) for c in store.clusters("commitment"))

    monkeypatch.setattr(pipeline, "process_document", renaming_recipients)
    extract_stored(store)  # every fact replaced, every id new; resolution recomputed from nothing
    old_ids = {wire, *germany.members, *canada.members, *sweden.members}
    assert not old_ids & {m.id for m in store.mentions()}

    after = sorted((len(c.members), c.fields.get("amount")) for c in store.clusters("commitment"))
    assert after == before == [(1, Decimal(50_000_000)), (2, Decimal(16_000_000))]
    assert orphans(store) == []
    states = review_states(store, [c.id for c in store.clusters("commitment")])
    assert sorted(s.state for s in states.values()) == ["corrected", "unreviewed"]  # Germany: one left, unreviewed
    (canada_now,) = [m for m in store.mentions() if m.fact.doc_id == canada_doc]
    assert review_states(store, [canada_now.id])[canada_now.id].fields == {"amount": Decimal(16_000_000)}


def test_a_review_whose_evidence_has_gone_is_reported_not_dropped(reviewed_store: Store, corpus: Path) -> None:
    store = reviewed_store
    canada = cluster_of(store, "Canada")
    review = record_review(store, "correct", canada.id, by="alice", fields=["amount=16000000"])
    assert orphans(store) == []
    (corpus / "ca_demining.txt").write_text(
        ARTICLES["ca_demining.txt"].replace("C$15 million", "C$25 million"), encoding="utf-8"
    )
    ingest([str(corpus)], store)  # a new version of the article: its facts are new evidence
    (orphan,) = orphans(store)
    assert orphan.review == review and not orphan.partial
    assert orphan.missing == review.keys
    assert store.reviews() == [review]  # still in the trail
    assert total_of(store, "Canada") == {"CAD": "25000000"}  # and no longer applied


def test_reviewed_only_keeps_the_clusters_a_reviewer_vouched_for(reviewed_store: Store) -> None:
    store = reviewed_store
    record_review(store, "confirm", cluster_of(store, "Canada").id, by="alice")
    germany = cluster_of(store, "Germany")
    record_review(store, "correct", germany.members[0], by="alice", fields=["status=provided"])
    resolve_store(store)
    kept = store.resolution(reviewed_only=True)
    assert sorted(str(c.fields["donor"]) for c in kept.clusters) == ["Canada", "Germany"]
    mentions = list(store.mentions())
    assert apply_reviews(store.resolution(), mentions, store.reviews(), reviewed_only=True) == kept
    assert "Sweden" not in {c.fields["donor"] for c in kept.clusters}


def test_applying_reviews_again_changes_nothing_and_their_order_does_not_matter(reviewed_store: Store) -> None:
    store = reviewed_store
    germany, canada, sweden = (cluster_of(store, d) for d in ("Germany", "Canada", "Sweden"))
    record_review(store, "merge", canada.id, by="alice", other=sweden.id)
    record_review(store, "reject", germany.members[1], by="alice")
    record_review(store, "correct", germany.id, by="bob", fields=["donor=Federal Republic of Germany"])
    applied = resolve_store(store)
    mentions = list(store.mentions())
    reviews = store.reviews()
    assert apply_reviews(applied, mentions, reviews) == applied
    assert apply_reviews(applied, mentions, list(reversed(reviews))) == applied
    assert store.resolution() == applied


def test_no_reviews_leave_the_resolution_as_the_full_path_rebuilds_it(reviewed_store: Store) -> None:
    machine = resolve_store(reviewed_store)
    mentions = list(reviewed_store.mentions())
    confirmed = record_review(reviewed_store, "confirm", cluster_of(reviewed_store, "Germany").id, by="alice")
    assert apply_reviews(machine, mentions, []) is machine
    assert apply_reviews(machine, mentions, [confirmed]) == machine  # the full path, with a review that changes nothing


def test_a_failed_write_leaves_no_review(reviewed_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The judgement of a merge and its audit entry are one transaction: both or neither."""
    store = reviewed_store
    canada, sweden = cluster_of(store, "Canada"), cluster_of(store, "Sweden")
    import aidtracker.store.trust as trust_sql

    def broken(*_: object, **__: object) -> None:
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(trust_sql.rows, "to_json", broken)
    with pytest.raises((StorageError, sa.exc.OperationalError)):
        record_review(store, "merge", canada.id, by="alice", other=sweden.id)
    monkeypatch.undo()
    assert store.review_count() == 0
    assert not [j for j in store.resolution().judgements if j.by == "alice"]


# ------------------------------------------------------------------ pure: links and conflicts


def _mention(n: int, donor: str = "Japan") -> Mention:
    text = f"{donor} gives ${n} million."
    evidence = Evidence(f"doc_{n}", Span(0, len(text)), text)
    figure = Span(len(donor) + 7, len(text) - 1)
    fact = Commitment(f"doc_{n}", donor, "Ukraine", evidence, Decimal(n * 1_000_000), "USD", figure=figure)
    return Mention(id=f"cmt_{n:016d}", fact=fact, publisher=f"outlet {n}")


def _review(n: int, action: str, *mentions: Mention, fields: dict[str, object] | None = None) -> Review:
    after = {"fields": fields} if fields else {}
    keys = tuple(evidence_key(m.fact) for m in mentions)
    return Review("alice", ReviewAction(action), tuple(m.id for m in mentions), keys, {}, after, id=n)


def test_links_and_conflicts_follow_merged_split_and_rejected_clusters() -> None:
    from aidtracker.dedupe.cluster import _cluster
    from aidtracker.records import Conflict, Link, Resolution

    m1, m2, m3, m4 = (_mention(n) for n in (1, 2, 3, 4))
    a, b, c, d = (_cluster("commitment", [m]) for m in (m1, m2, m3, m4))
    machine = Resolution(
        clusters=(a, b, c, d),
        links=(
            Link("part_of", a.id, c.id, "a tranche"),
            Link("part_of", b.id, c.id, "another"),
            Link("restates", d.id, a.id, "a later total"),
        ),
        conflicts=(
            Conflict("x_ab", "figure", (a.id, b.id), (m1.id, m2.id), "1 or 2?"),
            Conflict("x_cd", "figure", (c.id, d.id), (m3.id, m4.id), "3 or 4?"),
        ),
    )
    reviews = [
        _review(1, "merge", m1, m2),
        _review(2, "reject", m4),
        _review(3, "correct", m3, fields={"amount": Decimal(7)}),
    ]
    out = apply_reviews(machine, [m1, m2, m3, m4], reviews)
    merged = next(x for x in out.clusters if m1.id in x.members)
    assert set(merged.members) == {m1.id, m2.id} and merged.id not in {a.id, b.id}
    assert [(x.kind, x.source, x.target) for x in out.links] == [("part_of", merged.id, c.id)]  # deduplicated
    assert [(x.id, x.clusters) for x in out.conflicts] == [("x_ab", (merged.id,))]  # x_cd settled by the rejection
    assert next(x for x in out.clusters if x.id == c.id).fields["amount"] == Decimal(7)
    assert [(j.left, j.right, j.same, j.by) for j in out.judgements] == [(m1.id, m2.id, True, "alice")]
    assert apply_reviews(out, [m1, m2, m3, m4], reviews) == out


def test_a_merge_of_unknown_evidence_or_a_split_of_separate_clusters_changes_no_cluster() -> None:
    from aidtracker.dedupe.cluster import _cluster
    from aidtracker.records import Resolution

    m1, m2 = _mention(1), _mention(2)
    clusters = sorted((_cluster("commitment", [m1]), _cluster("commitment", [m2])), key=lambda x: x.id)
    machine = Resolution(clusters=tuple(clusters))  # in id order, as `resolve` gives them
    ghost = dataclasses.replace(_mention(9), id="cmt_gone")
    assert apply_reviews(machine, [m1, m2], [_review(1, "merge", m1, ghost)]) == machine
    apart = apply_reviews(machine, [m1, m2], [_review(1, "split", m1, m2)])
    assert apart.clusters == machine.clusters  # already apart; the reviewer's judgement is still kept
    assert [(j.same, j.by) for j in apart.judgements] == [(False, "alice")]


def test_only_reviews_that_change_clusters_need_resolution_again(reviewed_store: Store) -> None:
    """What lets the writing API skip a resolution run for a plain confirmation."""
    from aidtracker.review import changes_resolution

    store = reviewed_store
    germany, canada = cluster_of(store, "Germany"), cluster_of(store, "Canada")
    confirmed = record_review(store, "confirm", germany.id, by="alice")
    assert not changes_resolution(confirmed, store.reviews())
    corrected = record_review(store, "correct", canada.id, by="bob", fields=["amount=16000000"])
    assert changes_resolution(corrected, store.reviews())
    rejected = record_review(store, "reject", germany.members[0], by="carol")
    assert changes_resolution(rejected, store.reviews())
    restored = record_review(store, "confirm", germany.members[0], by="dave")  # after a reject: it comes back
    assert changes_resolution(restored, store.reviews())
    resolve_store(store)
    again = record_review(store, "confirm", germany.members[1], by="erin")
    assert not changes_resolution(again, store.reviews())
    unresolved = store.resolution()
    resolve_store(store)
    assert store.resolution().clusters == unresolved.clusters  # resolving again would change nothing
