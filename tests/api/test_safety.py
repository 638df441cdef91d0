"""What the API promises whatever it is sent: one error shape, no traces, headers, caching, no injection.

Article text is untrusted, and so is every query string: hostile filters and paths get a 4xx
in the error shape and leave the data as it was; markup in a document comes back escaped.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from aidtracker.api import ApiSettings, create_app
from aidtracker.store import Store

ENDPOINTS = [
    "/api/documents",
    "/api/commitments",
    "/api/agreements",
    "/api/events",
    "/api/actors",
    "/api/conflicts",
    "/api/totals",
    "/api/search?q=loan",
]


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape, exactly: {"error": {"code": ..., "message": ...}}, and no traceback."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"].startswith("AT") and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    return body


# --------------------------------------------------------------------------------- error shape


def test_the_error_shape_is_pinned(client: TestClient) -> None:
    body = assert_error(client.get("/api/commitments", params={"from": "last week"}), 422, "AT501")
    assert body == {
        "error": {"code": "AT501", "message": "query parameter 'from': Value error, expected a date as YYYY-MM-DD"}
    }
    assert_error(client.get("/api/no-such-endpoint"), 404, "AT502")
    assert_error(client.get("/api/documents/doc_0123456789abcdef"), 404, "AT502")
    assert_error(client.put("/api/documents"), 405, "AT500")
    # writing needs a token
    assert_error(client.post("/api/documents", params={"name": "a.txt"}, content=b"x"), 401, "AT702")


@pytest.mark.parametrize(
    ("path", "params", "says"),
    [
        ("/api/documents", {"from": "2024-13-01"}, "'from'"),
        ("/api/documents", {"from": "2024-06-01", "to": "2024-01-01"}, "'from' and 'to'"),
        ("/api/documents", {"limit": "0"}, "'limit'"),
        ("/api/documents", {"limit": "100000"}, "'limit'"),
        ("/api/documents", {"q": "?!"}, "'q'"),
        ("/api/documents", {"cursor": "not-a-cursor"}, "'cursor'"),
        ("/api/commitments", {"status": "promised"}, "'status'"),
        ("/api/commitments", {"scope": "all"}, "'scope'"),
        ("/api/commitments", {"sector": "space"}, "'sector'"),
        ("/api/commitments", {"instrument": "gift"}, "'instrument'"),
        ("/api/commitments", {"currency": "euro"}, "'currency'"),
        ("/api/commitments", {"min_usd": "lots"}, "'min_usd'"),
        ("/api/commitments", {"min_usd": "-5"}, "'min_usd'"),
        ("/api/commitments", {"max_usd": "NaN"}, "'max_usd'"),
        ("/api/commitments", {"min_usd": "10", "max_usd": "5"}, "'min_usd' and 'max_usd'"),
        ("/api/commitments", {"sort": "amount"}, "'sort'"),
        ("/api/commitments", {"order": "up"}, "'order'"),
        ("/api/commitments", {"donor": ""}, "'donor'"),
        ("/api/commitments", {"donor": "x" * 201}, "'donor'"),
        ("/api/commitments", {"donor": "Japan\x00"}, "'donor'"),
        ("/api/agreements", {"agreement_type": "pact"}, "'agreement_type'"),
        ("/api/events", {"event_type": "party"}, "'event_type'"),
        ("/api/actors", {"type": "alien"}, "'type'"),
        ("/api/conflicts", {"kind": "feud"}, "'kind'"),
        ("/api/totals", {"by": "year"}, "'by'"),
        ("/api/search", {}, "'q'"),
        ("/api/search", {"q": "loan", "limit": "1000"}, "'limit'"),
    ],
)
def test_bad_filters_are_422_naming_the_parameter(
    client: TestClient, path: str, params: dict[str, str], says: str
) -> None:
    body = assert_error(client.get(path, params=params), 422, "AT501")
    assert says in body["error"]["message"]


def test_a_cursor_only_works_for_the_order_it_came_from(client: TestClient) -> None:
    page = client.get("/api/commitments", params={"limit": 1, "sort": "usd"}).json()
    assert page["next"]
    body = assert_error(client.get("/api/commitments", params={"cursor": page["next"], "sort": "date"}), 422)
    assert "another sort order" in body["error"]["message"]


def test_a_failing_database_is_a_500_that_says_nothing_about_it(tmp_path: Any) -> None:
    app = create_app("postgresql+psycopg://someone:secret@127.0.0.1:9/nowhere?connect_timeout=2")
    with TestClient(app, raise_server_exceptions=False) as client:
        body = assert_error(client.get("/api/documents"), 500)
    assert "secret" not in json.dumps(body) and "127.0.0.1" not in json.dumps(body)


# -------------------------------------------------------------------------- headers and ETags


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_response_carries_the_security_headers_and_an_etag(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == ApiSettings().csp
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["etag"].startswith('"')
    again = client.get(path, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == response.headers["etag"]
    assert again.headers["content-security-policy"] == ApiSettings().csp


def test_etags_follow_the_body(client: TestClient) -> None:
    a = client.get("/api/commitments", params={"donor": "Japan"})
    b = client.get("/api/commitments", params={"donor": "Canada"})
    assert a.headers["etag"] != b.headers["etag"]
    assert client.get("/api/commitments", params={"donor": "Japan"}).headers["etag"] == a.headers["etag"]
    stale = client.get("/api/commitments", params={"donor": "Japan"}, headers={"If-None-Match": b.headers["etag"]})
    assert stale.status_code == 200
    weak = client.get(
        "/api/commitments", params={"donor": "Japan"}, headers={"If-None-Match": "W/" + a.headers["etag"]}
    )
    assert weak.status_code == 304
    listed = f'"nope", {a.headers["etag"]}'
    assert (
        client.get("/api/commitments", params={"donor": "Japan"}, headers={"If-None-Match": listed}).status_code == 304
    )


def test_cors_is_closed_unless_configured(filled_db: str) -> None:
    origin = {"Origin": "https://example.org"}
    with TestClient(create_app(filled_db)) as closed:
        assert "access-control-allow-origin" not in closed.get("/api/totals", headers=origin).headers
    settings = ApiSettings(cors_origins=("https://example.org",))
    with TestClient(create_app(filled_db, settings=settings)) as opened:
        assert opened.get("/api/totals", headers=origin).headers["access-control-allow-origin"] == "https://example.org"
        other = opened.get("/api/totals", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        # a write's preflight: the allowed origin may send a token, no other origin may
        preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
        allowed = opened.options("/api/reviews/confirm", headers={**origin, **preflight})
        assert allowed.status_code == 200 and "authorization" in allowed.headers["access-control-allow-headers"].lower()
        refused = opened.options("/api/reviews/confirm", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in refused.headers
    with TestClient(create_app(filled_db)) as closed:
        preflight_closed = closed.options("/api/reviews/confirm", headers={**origin, **preflight})
        assert "access-control-allow-origin" not in preflight_closed.headers


# ------------------------------------------------------------------------- injection, traversal

HOSTILE = [
    "' OR '1'='1",
    "Japan'; DROP TABLE documents; --",
    '" OR ""="',
    "%' OR 1=1 --",
    "%",
    "_",
    "\\",
    "*",
    '"yen" OR "*"',  # FTS5 query syntax
    "NEAR(yen grant)",
    "yen* -grant",
    "../../../../etc/passwd",
    "<script>alert(1)</script>",
    "Ⅻ 日本 🇯🇵",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filters_are_answered_without_a_server_error_and_change_nothing(
    client: TestClient, store: Store, value: str
) -> None:
    before = store.stats()
    for path, name in [
        ("/api/documents", "publisher"),
        ("/api/documents", "q"),
        ("/api/commitments", "donor"),
        ("/api/commitments", "publisher"),
        ("/api/agreements", "party"),
        ("/api/events", "participant"),
        ("/api/actors", "name"),
        ("/api/totals", "donor"),
        ("/api/search", "q"),
        ("/api/documents", "cursor"),
        ("/api/commitments", "cursor"),
    ]:
        response = client.get(path, params={name: value})
        assert response.status_code in (200, 422), (path, name, response.text)
        if response.status_code == 422:
            assert_error(response, 422)
        else:
            assert "<script>" not in response.text
    assert store.stats() == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/documents/%2e%2e",
        "/api/documents/doc_..%2F..%2Fx",
        "/api/documents/doc_1234' OR '1'='1",
        "/api/commitments/..%2Fdocuments",
        "/api/commitments/c_%00",
        "/api/actors/....%2F%2F....%2F%2Fetc",
        "/api/actors/o_0123456789abcdef%3Bselect",
        "/api/../../etc/passwd",
        "/api/documents/%252e%252e%252fetc",
    ],
)
def test_hostile_paths_are_4xx(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code)
    if response.headers.get("content-type", "").startswith("application/json"):
        assert_error(response, response.status_code)


# --------------------------------------------------------------------------------------- XSS


def test_markup_in_a_document_comes_back_as_escaped_text(client: TestClient) -> None:
    (summary,) = client.get("/api/documents", params={"publisher": "Maple Blog"}).json()["items"]
    response = client.get(f"/api/documents/{summary['id']}")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-security-policy"] == ApiSettings().csp
    raw = response.content
    for markup in (b"<script", b"</script", b"<img"):
        assert markup not in raw
    assert b"\\u003cscript\\u003e" in raw and b"\\u003cimg src=x onerror" in raw
    doc = response.json()  # decoding gives the text exactly as written
    assert "<script>alert(document.cookie)</script>" in doc["text"]
    assert '<img src=x onerror="alert(1)">' in doc["text"]
    assert doc["title"] == "Canada sends aid <script>alert('title')</script>"
    for path in ("/api/documents", "/api/commitments", "/api/search?q=Canada"):
        listing = client.get(path)
        assert b"<script" not in listing.content and listing.headers["content-security-policy"]
