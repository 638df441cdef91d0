"""The review API router on a bare FastAPI app (and on the API's own app when that is there):
tokens, roles, rate and size limits, the error shape, uploads and hostile parameters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

fastapi = pytest.importorskip("fastapi")
from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from aidtracker.auth import add_user  # noqa: E402
from aidtracker.review_api import ReviewApiSettings, mount_review_api  # noqa: E402
from aidtracker.store import Store  # noqa: E402

# Buckets that refill far slower than any test runs, so a slow backend cannot refill them between
# requests and turn an expected 429 into a 201.
SETTINGS = ReviewApiSettings(rate=0.01, burst=5, failed_auth_rate=0.01, failed_auth_burst=3, max_json_bytes=2_000,
                             max_upload_bytes=50_000)  # fmt: skip


@pytest.fixture
def api(reviewed_store: Store) -> Iterator[tuple[TestClient, Store, dict[str, dict[str, str]]]]:
    app = FastAPI()
    mount_review_api(app, lambda: reviewed_store, SETTINGS)
    tokens = {}
    for name, role in (("rita", "reviewer"), ("ada", "admin"), ("rob", "reviewer")):
        _, token = add_user(reviewed_store, name, role)
        tokens[name] = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        yield client, reviewed_store, tokens


def error_of(response: object) -> dict[str, str]:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert "Traceback" not in response.text  # type: ignore[attr-defined]
    return dict(body["error"])


def donor_cluster(store: Store, donor: str) -> str:
    (found,) = [c.id for c in store.clusters("commitment") if c.fields.get("donor") == donor]
    return found


def test_reading_is_public_and_writing_needs_a_token(api: tuple[TestClient, Store, dict[str, dict[str, str]]]) -> None:
    client, store, tokens = api
    canada = donor_cluster(store, "Canada")
    assert client.get("/api/reviews/log").json() == {"reviews": [], "next_after": None}
    assert client.get(f"/api/reviews/status/{canada}").json()["state"] == "unreviewed"
    assert client.get("/api/reviews/orphans").json() == {"orphans": []}

    refused = client.post("/api/reviews/confirm", json={"target": canada})
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
    assert error_of(refused)["code"] == "AT702"
    bad = client.post("/api/reviews/confirm", json={"target": canada}, headers={"Authorization": "Bearer aid_nope"})
    assert bad.status_code == 401
    assert store.review_count() == 0

    made = client.post("/api/reviews/confirm", json={"target": canada, "comment": "seen"}, headers=tokens["rita"])
    assert made.status_code == 201, made.text
    review = made.json()["review"]
    assert (review["by"], review["action"], review["targets"], review["comment"]) == (
        "rita",
        "confirm",
        [canada],
        "seen",
    )
    assert client.get(f"/api/reviews/status/{canada}").json()["state"] == "confirmed"
    assert [r["id"] for r in client.get("/api/reviews/log", params={"ref": canada}).json()["reviews"]] == [review["id"]]


def test_a_review_over_the_api_applies_at_once(api: tuple[TestClient, Store, dict[str, dict[str, str]]]) -> None:
    client, store, tokens = api
    canada, sweden = donor_cluster(store, "Canada"), donor_cluster(store, "Sweden")
    response = client.post("/api/reviews/merge", json={"target": canada, "other": sweden}, headers=tokens["rita"])
    assert response.status_code == 201 and response.json()["applied"] is True
    assert len(store.clusters("commitment")) == 2
    corrected = client.post(
        "/api/reviews/correct",
        json={"target": donor_cluster(store, "Germany"), "fields": {"amount": "60000000"}},
        headers=tokens["rob"],
    )
    assert corrected.json()["review"]["after"] == {"state": "corrected", "fields": {"amount": "60000000"}}
    assert str(store.cluster(donor_cluster(store, "Germany")).fields["amount"]) == "60000000"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/api/reviews/approve", {"target": "x"}, 422, "AT501"),
        ("/api/reviews/confirm", {"target": "c_' OR 1=1 --"}, 404, "AT502"),
        ("/api/reviews/confirm", {"target": "../../etc/passwd"}, 404, "AT502"),
        ("/api/reviews/confirm", {"target": "x", "surprise": 1}, 422, "AT501"),
        ("/api/reviews/confirm", {}, 422, "AT501"),
        ("/api/reviews/correct", {"target": "GERMANY", "fields": {"amount": "1e308"}}, 400, "AT700"),
        ("/api/reviews/correct", {"target": "GERMANY", "fields": {"amount": "9" * 400}}, 400, "AT700"),
    ],
)
def test_bad_reviews_get_the_error_shape_and_change_nothing(
    api: tuple[TestClient, Store, dict[str, dict[str, str]]], path: str, body: dict[str, object], status: int, code: str
) -> None:
    client, store, tokens = api
    if body.get("target") == "GERMANY":
        body = {**body, "target": donor_cluster(store, "Germany")}
    response = client.post(path, json=body, headers=tokens["rita"])
    assert response.status_code == status, response.text
    assert error_of(response)["code"] == code
    assert store.review_count() == 0


def test_a_body_that_is_not_json_is_refused(api: tuple[TestClient, Store, dict[str, dict[str, str]]]) -> None:
    client, _, tokens = api
    response = client.post("/api/reviews/confirm", content=b"{not json", headers=tokens["rita"])
    assert response.status_code == 422 and error_of(response)["code"] == "AT501"


def test_each_token_has_its_own_rate_limit(api: tuple[TestClient, Store, dict[str, dict[str, str]]]) -> None:
    client, store, tokens = api
    canada = donor_cluster(store, "Canada")
    codes = [
        client.post("/api/reviews/confirm", json={"target": canada}, headers=tokens["rita"]).status_code
        for _ in range(SETTINGS.burst + 2)
    ]
    assert codes[: SETTINGS.burst] == [201] * SETTINGS.burst and codes[-1] == 429
    limited = client.post("/api/reviews/confirm", json={"target": canada}, headers=tokens["rita"])
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert error_of(limited)["code"] == "AT703"
    assert client.post("/api/reviews/confirm", json={"target": canada}, headers=tokens["rob"]).status_code == 201
    assert store.review_count() == SETTINGS.burst + 1


def test_guessing_tokens_is_rate_limited(api: tuple[TestClient, Store, dict[str, dict[str, str]]]) -> None:
    client, _, _ = api
    codes = [
        client.post(
            "/api/reviews/confirm", json={"target": "x"}, headers={"Authorization": f"Bearer aid_{i}"}
        ).status_code
        for i in range(SETTINGS.failed_auth_burst + 1)
    ]
    assert codes == [401] * SETTINGS.failed_auth_burst + [429]


def test_bodies_over_the_limit_are_refused_while_read(api: tuple[TestClient, Store, dict[str, dict[str, str]]]) -> None:
    client, store, tokens = api
    big = {"target": donor_cluster(store, "Canada"), "comment": "x" * 5_000}
    declared = client.post("/api/reviews/confirm", json=big, headers=tokens["rita"])
    assert declared.status_code == 413 and error_of(declared)["code"] == "AT701"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds as the body streams in
        for _ in range(100):
            yield b"x" * 1_000

    streamed = client.post("/api/documents", params={"name": "a.txt"}, content=chunks(), headers=tokens["rita"])
    assert streamed.status_code == 413
    lying = client.post(
        "/api/reviews/confirm", content=b"{}" + b" " * 10_000, headers={**tokens["rita"], "Content-Length": "2"}
    )
    assert lying.status_code in (400, 413, 422)  # the server reads no more than it was told
    assert store.review_count() == 0


def test_uploads_are_ingested_under_a_safe_name(
    api: tuple[TestClient, Store, dict[str, dict[str, str]]], tmp_path: Path
) -> None:
    client, store, tokens = api
    before = store.stats()["documents"]
    text = b"Norway will provide NOK 100 million to Ukraine for demining, the ministry said on Monday.\n"
    made = client.post("/api/documents", params={"name": "../../etc/passwd.txt"}, content=text, headers=tokens["rita"])
    assert made.status_code == 201, made.text
    result = made.json()
    assert result["added"] == 1 and result["documents"][0]["source"] == "upload:rita/passwd.txt"
    assert result["facts"] >= 1
    again = client.post("/api/documents", params={"name": "again.txt"}, content=text, headers=tokens["rita"]).json()
    assert again["unchanged"] == 1
    binary = client.post("/api/documents", params={"name": "x.txt"}, content=b"\x89PNG\x00\x01", headers=tokens["rob"])
    assert binary.status_code == 201 and binary.json()["skipped"][0]["reason"].startswith("binary file")
    jsonl = b'{"text": "Denmark gives DKK 5 million to Ukraine."}\n{broken\n'
    mixed = client.post("/api/documents", params={"name": "batch.jsonl"}, content=jsonl, headers=tokens["rob"]).json()
    assert (mixed["added"], len(mixed["skipped"])) == (1, 1) and mixed["skipped"][0]["source"].endswith(":2")
    for name in ("..", "/", "..\\..\\"):
        refused = client.post("/api/documents", params={"name": name}, content=text, headers=tokens["ada"])
        assert refused.status_code == 400, name
    assert store.stats()["documents"] == before + 2
    assert not (tmp_path / "etc").exists()


def test_user_admin_is_for_admins(api: tuple[TestClient, Store, dict[str, dict[str, str]]]) -> None:
    client, _, tokens = api
    assert client.get("/api/users", headers=tokens["rita"]).status_code == 403
    listed = client.get("/api/users", headers=tokens["ada"]).json()["users"]
    assert [u["name"] for u in listed] == ["ada", "rita", "rob"]
    assert all("token" not in u and "hash" not in str(u) for u in listed)
    made = client.post("/api/users", json={"name": "new", "role": "reviewer"}, headers=tokens["ada"])
    assert made.status_code == 201
    token = {"Authorization": f"Bearer {made.json()['token']}"}
    assert client.get("/api/reviews/orphans", headers=token).status_code == 200
    assert client.delete("/api/users/new", headers=tokens["ada"]).json()["user"]["revoked_at"] is not None
    assert client.post("/api/reviews/confirm", json={"target": "x"}, headers=token).status_code == 401
    assert client.delete("/api/users/nobody", headers=tokens["ada"]).status_code == 400


HOSTILE_REFS = ["' OR 1=1 --", "x'; DROP TABLE reviews; --", "../../etc/passwd", "%00", "\x00", "c_" + "9" * 300]


@pytest.mark.parametrize("ref", HOSTILE_REFS)
def test_hostile_parameters_find_nothing(api: tuple[TestClient, Store, dict[str, dict[str, str]]], ref: str) -> None:
    client, store, tokens = api
    client.post("/api/reviews/confirm", json={"target": donor_cluster(store, "Canada")}, headers=tokens["rita"])
    log = client.get("/api/reviews/log", params={"ref": ref})
    assert log.status_code in (200, 422)
    if log.status_code == 200:
        assert log.json()["reviews"] == []
    # 404 (from the bare app's router when a decoded "/" leaves no route), or 422 for a ref too long
    assert client.get(f"/api/reviews/status/{quote(ref, safe='')}").status_code in (404, 422)
    refused = client.post("/api/reviews/confirm", json={"target": ref}, headers=tokens["rob"])
    assert (refused.status_code, error_of(refused)["code"]) in ((404, "AT502"), (422, "AT501"))  # 422: too long
    assert store.review_count() == 1


def test_the_served_app_has_the_write_routes_and_keeps_their_statuses(reviewed_store: Store, db_url: str) -> None:
    """`create_app` (what `aidtracker serve` runs) mounts the router: its app-wide handlers must not
    turn a 401 into a 500, and the limits come from `ApiSettings.review`."""
    from aidtracker.api import ApiSettings, create_app

    app = create_app(db_url, settings=ApiSettings(review=SETTINGS))
    _, token = add_user(reviewed_store, "rita", "reviewer")
    with TestClient(app) as client:
        refused = client.post("/api/reviews/confirm", json={"target": "x"})
        assert refused.status_code == 401 and error_of(refused)["code"] == "AT702"
        assert "content-security-policy" in refused.headers
        canada = donor_cluster(reviewed_store, "Canada")
        made = client.post(
            "/api/reviews/confirm",
            json={"target": canada, "comment": "<script>alert(1)</script>"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert made.status_code == 201, made.text
        assert "<script>" not in made.text and made.json()["review"]["comment"] == "<script>alert(1)</script>"
        assert client.get(f"/api/reviews/status/{canada}").json()["state"] == "confirmed"
        big = client.post(
            "/api/reviews/confirm",
            json={"target": canada, "comment": "x" * (SETTINGS.max_json_bytes + 1)},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert big.status_code == 413  # the settings given to create_app are the ones in force
        schema = client.get("/api/openapi.json").json()
        assert schema["paths"]["/api/reviews/{action}"]["post"]["security"] == [{"HTTPBearer": []}]
        assert "security" not in schema["paths"]["/api/reviews/log"]["get"]


def test_every_fact_shows_its_review_state_and_reviewed_only_keeps_verified_figures(
    reviewed_store: Store, db_url: str
) -> None:
    """Over the served app: states on clusters and on each fact wherever facts appear, and the
    `reviewed_only` filter on listings and totals."""
    from aidtracker.api import ApiSettings, create_app

    store = reviewed_store
    _, token = add_user(store, "rita", "reviewer")
    auth = {"Authorization": f"Bearer {token}"}
    canada, germany = donor_cluster(store, "Canada"), donor_cluster(store, "Germany")
    with TestClient(create_app(db_url, settings=ApiSettings(review=SETTINGS))) as client:
        listed = client.get("/api/commitments").json()["items"]
        assert {c["review_state"] for c in listed} == {"unreviewed"}
        assert {m["fact"]["review_state"] for c in listed for m in c["mentions"]} == {"unreviewed"}
        assert client.get("/api/commitments", params={"reviewed_only": "true"}).json()["total"] == 0
        assert client.get("/api/totals", params={"reviewed_only": "true"}).json()["groups"] == []

        assert client.post("/api/reviews/confirm", json={"target": canada}, headers=auth).status_code == 201
        germany_facts = list(store.cluster(germany).members)  # type: ignore[union-attr]
        rejected = client.post("/api/reviews/reject", json={"target": germany_facts[0]}, headers=auth)
        assert rejected.status_code == 201, rejected.text

        by_id = {c["id"]: c for c in client.get("/api/commitments").json()["items"]}
        assert by_id[canada]["review_state"] == "confirmed"
        assert {m["fact"]["review_state"] for m in by_id[canada]["mentions"]} == {"confirmed"}
        germany_now = donor_cluster(store, "Germany")  # one member left: the cluster id may change
        assert by_id[germany_now]["review_state"] == "unreviewed"
        detail = client.get(f"/api/commitments/{canada}").json()
        assert detail["review_state"] == "confirmed"

        reviewed = client.get("/api/commitments", params={"reviewed_only": "true"}).json()
        assert [c["id"] for c in reviewed["items"]] == [canada] and reviewed["total"] == 1
        totals = client.get("/api/totals", params={"reviewed_only": "true"}).json()
        assert [(g["key"], g["by_currency"]) for g in totals["groups"]] == [("Canada", {"CAD": "15000000"})]
        everything = client.get("/api/totals").json()
        assert {g["key"] for g in everything["groups"]} >= {"Canada", "Germany"}
        assert client.get("/api/agreements", params={"reviewed_only": "true"}).json()["total"] == 0
        assert client.get("/api/events", params={"reviewed_only": "1"}).status_code == 200

        # a document shows each of its facts' states, the rejected one included
        mention = store.mention(germany_facts[0])
        assert mention is not None
        document = client.get(f"/api/documents/{mention.fact.doc_id}").json()
        states = {f["id"]: f["review_state"] for f in document["facts"]}
        assert states[germany_facts[0]] == "rejected"
        assert client.get("/api/commitments", params={"reviewed_only": "maybe"}).status_code == 422


def test_the_dashboard_shows_review_states_and_filters_reviewed_commitments(reviewed_store: Store, db_url: str) -> None:
    import re

    from aidtracker.api import ApiSettings, create_app

    store = reviewed_store
    _, token = add_user(store, "rita", "reviewer")
    auth = {"Authorization": f"Bearer {token}"}
    canada, germany = donor_cluster(store, "Canada"), donor_cluster(store, "Germany")
    wire = sorted(store.cluster(germany).members)[0]  # type: ignore[union-attr]
    with TestClient(create_app(db_url, settings=ApiSettings(review=SETTINGS))) as client:
        assert client.post("/api/reviews/confirm", json={"target": canada}, headers=auth).status_code == 201
        assert client.post("/api/reviews/reject", json={"target": wire}, headers=auth).status_code == 201
        table = client.get("/commitments").text
        tags = re.findall(r'<span class="tag review-(\w+)"', table)
        assert sorted(tags) == ["confirmed", "unreviewed", "unreviewed"]
        reviewed = client.get("/commitments", params={"reviewed": "1"}).text
        assert set(re.findall(r'href="/commitments/(c_\w+)"', reviewed)) == {canada}
        assert 'name="reviewed" value="1" checked' in reviewed
        page = client.get(f"/commitments/{canada}").text
        assert page.count('class="tag review-confirmed"') == 2  # the cluster, and its one mention
        mention = store.mention(wire)
        assert mention is not None
        document = client.get(f"/documents/{mention.fact.doc_id}").text
        assert 'class="tag review-rejected"' in document
