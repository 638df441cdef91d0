"""The trust commands end to end: review, user, and what `show`, `extract` and `resolve` say about reviews."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from trust_corpus import ARTICLES, renaming_recipients, write_corpus
from typer.testing import CliRunner, Result

import aidtracker.pipeline as pipeline
from aidtracker import cli
from aidtracker.auth import authenticate
from aidtracker.store import open_store

ENV: dict[str, str | None] = {
    "COLUMNS": "200",
    "TTY_COMPATIBLE": "0",
    "FORCE_COLOR": None,
    "AIDTRACKER_DB": None,
    "AIDTRACKER_REVIEWER": None,
}


def run(*args: str | Path, input: str | None = None, **env: str | None) -> Result:
    return CliRunner().invoke(cli.app, [str(a) for a in args], input=input, env={**ENV, **env})


def ok(*args: str | Path, **env: str | None) -> Result:
    result = run(*args, **env)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def db(db_url: str, tmp_path: Path) -> str:
    ok("ingest", write_corpus(tmp_path / "corpus"), "--db", db_url)
    return db_url


def clusters(db: str) -> dict[str, Any]:
    with open_store(db) as store:
        return {str(c.fields.get("donor")): c for c in store.clusters("commitment")}


def test_a_review_session(db: str) -> None:
    germany, canada, sweden = (clusters(db)[d] for d in ("Germany", "Canada", "Sweden"))
    result = ok("review", "confirm", germany.id, "--by", "alice", "--comment", "matches the release", "--db", db)
    assert re.match(rf"review 1: \S+ \S+ alice confirm {germany.id} \(2 facts\)\n", result.stdout)
    assert "resolved again: 3 clusters" in result.stdout

    ok("review", "correct", canada.id, "--field", "amount=16000000", "--field", "status=provided", "--db", db,
       AIDTRACKER_REVIEWER="bob")  # fmt: skip
    ok("review", "merge", canada.id, sweden.id, "--by", "carol", "--no-resolve", "--db", db)
    assert len(clusters(db)) == 3  # not applied yet
    ok("resolve", "--db", db)
    assert len(clusters(db)) == 2
    merged = clusters(db)["Canada"] if "Canada" in clusters(db) else clusters(db)["Sweden"]
    ok("review", "split", merged.id, sweden.members[0], "--by", "carol", "--db", db)
    ok("review", "reject", germany.members[0], "--by", "dave", "--db", db)

    log = ok("review", "log", "--db", db).stdout
    assert [line.split()[4:6] for line in log.splitlines() if line.startswith("review ")] == [
        ["alice", "confirm"], ["bob", "correct"], ["carol", "merge"], ["carol", "split"], ["dave", "reject"],
    ]  # fmt: skip
    assert "    amount: 15000000 → 16000000" in log
    assert "« matches the release »" in log
    assert log.rstrip().endswith("5 reviews")

    one = ok("review", "log", canada.id, "--db", db).stdout
    assert one.startswith(f"{canada.id}: corrected (amount=16000000, status=provided)\n")
    as_json = json.loads(ok("review", "log", canada.id, "--json", "--db", db).stdout)
    assert as_json["status"]["state"] == "corrected"
    assert as_json["reviews"][0]["after"]["fields"] == {"amount": "16000000", "status": "provided"}
    assert as_json["reviews"][0]["evidence"][0]["kind"] == "commitment"


def sums(db: str, *flags: str) -> dict[str, tuple[str, dict[str, str]]]:
    """`totals --json` by donor: each group's USD and per-currency sums (cluster ids change, these must not)."""
    result = json.loads(ok("totals", "--json", *flags, "--db", db).stdout)
    return {g["key"]: (g["usd"], g["by_currency"]) for g in result["groups"]}


def test_reviews_survive_extract_and_resolve_run_again_from_scratch(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 7's acceptance, on the command line: reviews made, then `extract` re-reads every fact
    under new ids and `resolve` clusters from nothing, and every review still applies."""
    germany, canada, sweden = (clusters(db)[d] for d in ("Germany", "Canada", "Sweden"))
    ok("review", "reject", sorted(germany.members)[0], "--by", "alice", "--db", db)
    ok("review", "correct", canada.id, "--field", "amount=16000000", "--by", "bob", "--db", db)
    ok("review", "merge", canada.id, sweden.id, "--by", "carol", "--db", db)
    ok("review", "confirm", sweden.members[0], "--by", "dave", "--db", db)  # a fact id: the merge renamed its cluster
    before = sorted((len(c.members), c.fields.get("amount")) for c in clusters(db).values())
    everything, reviewed = sums(db), sums(db, "--reviewed-only")
    assert before == [(1, 50_000_000), (2, 16_000_000)]  # Germany less its rejected report; the merged pair
    assert len(everything) == 2 and len(reviewed) == 1
    assert "16000000" in next(iter(reviewed.values()))[1].values()
    old_ids = {m for c in (germany, canada, sweden) for m in c.members}

    monkeypatch.setattr(pipeline, "process_document", renaming_recipients)
    ok("extract", "--db", db)
    resolved = ok("resolve", "--db", db)
    assert "warning" not in resolved.stderr

    now = clusters(db)
    assert not old_ids & {m for c in now.values() for m in c.members}  # every fact is new
    assert sorted((len(c.members), c.fields.get("amount")) for c in now.values()) == before
    assert {str(c.fields.get("recipient")) for c in now.values()} == {"the Ukrainian government"}
    assert sums(db) == everything and sums(db, "--reviewed-only") == reviewed
    assert ok("review", "orphans", "--db", db).stdout == "0 orphaned reviews\n"
    (merged,) = [c for c in now.values() if len(c.members) == 2]
    state = json.loads(ok("review", "log", merged.id, "--json", "--db", db).stdout)["status"]
    assert (state["state"], state["fields"]) == ("corrected", {"amount": "16000000"})


def test_exports_carry_review_states_and_can_keep_reviewed_records_only(db: str, tmp_path: Path) -> None:
    import csv

    canada = clusters(db)["Canada"]
    ok("review", "confirm", canada.id, "--by", "alice", "--db", db)

    def rows(folder: Path, name: str) -> list[dict[str, str]]:
        with (folder / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    ok("export", "--format", "csv", "--kind", "commitments", "--out", tmp_path / "all", "--db", db)
    states = {r["id"]: r["review_state"] for r in rows(tmp_path / "all", "commitments.csv")}
    assert states[canada.id] == "confirmed" and sorted(states.values()).count("unreviewed") == 2
    mentions = rows(tmp_path / "all", "commitment_mentions.csv")
    assert {r["review_state"] for r in mentions if r["cluster_id"] == canada.id} == {"confirmed"}

    ok("export", "--format", "csv", "--kind", "commitments", "--reviewed-only", "--out", tmp_path / "ok", "--db", db)
    assert [r["id"] for r in rows(tmp_path / "ok", "commitments.csv")] == [canada.id]
    assert {r["cluster_id"] for r in rows(tmp_path / "ok", "commitment_mentions.csv")} == {canada.id}
    iati = run("export", "--format", "iati", "--kind", "commitments", "--reviewed-only", "--out", tmp_path / "a.xml",
               "--db", db)  # fmt: skip
    assert iati.exit_code == 0 and (tmp_path / "a.xml").read_text(encoding="utf-8").count("<iati-activity") == 1
    ok("review", "reject", canada.id, "--by", "alice", "--db", db)
    empty = run("export", "--format", "iati", "--reviewed-only", "--out", tmp_path / "b.xml", "--db", db)
    assert empty.exit_code == 2 and "--reviewed-only" in empty.stderr


def test_show_lists_fact_ids_and_their_review_state(db: str, tmp_path: Path) -> None:
    canada = clusters(db)["Canada"]
    ok("review", "correct", canada.members[0], "--by", "bob", "--field", "amount=16000000", "--db", db)
    source = str(tmp_path / "corpus" / "ca_demining.txt")
    shown = ok("show", source, "--db", db).stdout
    line = rf"^commitment Canada → Ukraine: CAD 15,000,000 .*  {canada.members[0]} · corrected: amount=16000000$"
    assert re.search(line, shown, re.M)


def test_review_needs_a_name(db: str) -> None:
    result = run("review", "confirm", clusters(db)["Canada"].id, "--db", db)
    assert result.exit_code == 2
    assert "--by" in result.output


def test_review_errors_are_one_line(db: str) -> None:
    result = run("review", "correct", clusters(db)["Canada"].id, "--by", "bob", "--field", "amount=1e308", "--db", db)
    assert result.exit_code == 2
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    assert line.startswith("error[AT700]: amount='1e308' is not an amount")
    missing = run("review", "confirm", "c_0000000000000000", "--by", "bob", "--db", db)
    assert missing.exit_code == 2 and "error[AT502]: no fact or cluster 'c_0000000000000000'" in missing.stderr


def test_orphans_are_listed_and_warned_about(db: str, tmp_path: Path) -> None:
    canada = clusters(db)["Canada"]
    ok("review", "confirm", canada.id, "--by", "alice", "--db", db)
    assert ok("review", "orphans", "--db", db).stdout == "0 orphaned reviews\n"
    path = tmp_path / "corpus" / "ca_demining.txt"
    path.write_text(ARTICLES["ca_demining.txt"].replace("C$15 million", "C$25 million"), encoding="utf-8")
    ingested = ok("ingest", path, "--db", db)
    warning = (
        "warning: 1 review no longer matches the stored facts (its evidence changed); see `aidtracker review orphans`"
    )
    assert warning in ingested.stderr
    assert warning in ok("resolve", "--db", db).stderr
    assert warning in ok("extract", "--db", db).stderr
    listed = ok("review", "orphans", "--db", db).stdout
    assert re.search(rf"^review 1: .* alice confirm {canada.id} — orphaned$", listed, re.M)
    assert "    no fact any more: commitment in doc_" in listed
    assert json.loads(ok("review", "orphans", "--json", "--db", db).stdout)[0]["partial"] is False


def test_users_get_a_token_once_and_only_its_hash_is_stored(db: str) -> None:
    added = ok("user", "add", "alice", "--role", "reviewer", "--db", db)
    token = added.stdout.strip()
    assert re.fullmatch(r"aid_[A-Za-z0-9_-]{43}", token)
    assert "shown only now" in added.stderr
    with open_store(db) as store:
        user = authenticate(store, token)
        assert user is not None and (user.name, user.role) == ("alice", "reviewer")
    listed = ok("user", "list", "--db", db).stdout
    assert "alice  reviewer" in listed and token not in listed
    again = run("user", "add", "alice", "--role", "admin", "--db", db)
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert run("user", "add", "bob", "--role", "root", "--db", db).exit_code == 2
    assert run("user", "add", "../../bob", "--role", "admin", "--db", db).exit_code == 2
    ok("user", "revoke", "alice", "--db", db)
    assert "revoked" in ok("user", "list", "--db", db).stdout
    with open_store(db) as store:
        assert authenticate(store, token) is None
    reissued = ok("user", "add", "alice", "--role", "admin", "--db", db).stdout.strip()
    assert reissued != token
