"""Every endpoint and every filter of the API, over the written articles, on each backend.

The corpus (tests/written_articles.py) gives five commitment clusters: Japan's grant reported
by two outlets (one cluster, two mentions), the EU's new loan, two EU running totals that
conflict, and Canada's humanitarian aid in a blog post full of markup.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from aidtracker.store import Store


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


def donors(page: dict[str, Any]) -> list[str]:
    return sorted(item["donor"] for item in page["items"])


def walk(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a listing, one page of one item at a time, following `next`."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        page = get(client, path, limit=1, **params, **({"cursor": cursor} if cursor else {}))
        items += page["items"]
        cursor = page["next"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")


def japan(client: TestClient) -> dict[str, Any]:
    (found,) = get(client, "/api/commitments", donor="Japan")["items"]
    return found


# ---------------------------------------------------------------------------------- documents


def test_documents_are_listed_newest_first_with_fact_counts(client: TestClient) -> None:
    page = get(client, "/api/documents")
    published = [d["published"] for d in page["items"]]
    assert published == ["2024-06-12", "2024-03-05", "2024-02-20", "2024-02-19"]
    assert page["next"] is None
    assert all(d["facts"]["commitments"] >= 1 for d in page["items"])


@pytest.mark.parametrize(
    ("params", "publishers"),
    [
        ({"publisher": "asia wire"}, ["Asia Wire"]),  # case ignored
        ({"publisher": "Nobody"}, []),
        ({"from": "2024-03-01"}, ["Brussels Times", "Maple Blog"]),
        ({"to": "2024-02-19"}, ["Asia Wire"]),
        ({"from": "2024-02-20", "to": "2024-03-05"}, ["Maple Blog", "Tokyo Daily"]),
        ({"q": "yen"}, ["Asia Wire", "Tokyo Daily"]),
        ({"q": "JICA electricity"}, ["Tokyo Daily"]),  # every word must occur
        ({"q": "substat"}, ["Asia Wire"]),  # a word's start is enough
        ({"q": "tation"}, []),  # but not its middle
        ({"q": "billion", "publisher": "Brussels Times"}, ["Brussels Times"]),
    ],
)
def test_document_filters(client: TestClient, params: dict[str, str], publishers: list[str]) -> None:
    page = get(client, "/api/documents", **params)
    assert sorted(d["publisher"] for d in page["items"]) == publishers


def test_documents_page_round_trip(client: TestClient) -> None:
    everything = get(client, "/api/documents")["items"]
    assert walk(client, "/api/documents") == everything


def test_a_document_has_its_text_furniture_and_every_fact_with_its_span(client: TestClient) -> None:
    (summary,) = get(client, "/api/documents", publisher="Asia Wire")["items"]
    doc = get(client, f"/api/documents/{summary['id']}")
    assert doc["text"].startswith("Japan pledges 15 billion yen")
    assert doc["url"] == "https://asiawire.example.com/2024/02/19/japan-grant"
    assert isinstance(doc["furniture"], list)
    kinds = {f["type"] for f in doc["facts"]}
    assert "commitment" in kinds
    for fact in doc["facts"]:
        ev = fact["evidence"]
        assert doc["text"][ev["start"] : ev["end"]] == ev["text"]
    (commitment,) = [f for f in doc["facts"] if f["type"] == "commitment"]
    assert commitment["cluster_id"] == japan(client)["id"]
    assert commitment["currency"] == "JPY" and commitment["amount"] == "15000000000"


def test_an_unknown_document_is_404(client: TestClient) -> None:
    response = client.get("/api/documents/doc_0123456789abcdef")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "AT502"


# -------------------------------------------------------------------------------- commitments


def test_commitments_are_clusters_with_their_mentions(client: TestClient) -> None:
    page = get(client, "/api/commitments")
    assert page["total"] == len(page["items"]) == 5
    jp = japan(client)
    assert jp["n_mentions"] == 2 and len(jp["mentions"]) == 2
    assert sorted(jp["publishers"]) == ["Asia Wire", "Tokyo Daily"]
    assert jp["amount"] == "15000000000" and jp["currency"] == "JPY" and jp["usd"]
    for m in jp["mentions"]:
        assert m["fact"]["cluster_id"] == jp["id"] and m["fact"]["evidence"]["text"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"donor": "Japan"}, ["Japan"]),
        ({"donor": "japan"}, ["Japan"]),
        ({"donor": "EU"}, ["European Union"] * 3),  # an alias, through the actor registry
        ({"donor": "Atlantis"}, []),
        ({"recipient": "Ukraine"}, ["Canada", "European Union", "European Union", "European Union", "Japan"]),
        ({"sector": "energy"}, ["Japan"]),
        ({"status": "allocated"}, ["European Union"]),
        ({"scope": "cumulative"}, ["European Union", "European Union"]),
        ({"currency": "JPY"}, ["Japan"]),
        ({"instrument": "loan"}, ["European Union"]),
        ({"from": "2024-06-01"}, ["European Union", "European Union"]),
        ({"to": "2024-02-28"}, ["Japan"]),
        ({"min_usd": "1000000000"}, ["European Union"] * 3),
        ({"max_usd": "50000000"}, ["Canada"]),
        ({"min_usd": "50000000", "max_usd": "200000000"}, ["Japan"]),
        ({"publisher": "tokyo daily"}, ["Japan"]),
        ({"publisher": "Maple Blog", "scope": "new"}, ["Canada"]),
    ],
)
def test_commitment_filters(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    page = get(client, "/api/commitments", **params)
    assert donors(page) == expected
    assert page["total"] == len(expected)


@pytest.mark.parametrize("sort", ["date", "usd", "donor"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_commitments_sort_and_page_round_trip(client: TestClient, sort: str, order: str) -> None:
    everything = get(client, "/api/commitments", sort=sort, order=order)["items"]
    assert walk(client, "/api/commitments", sort=sort, order=order) == everything
    key = {"date": "date", "usd": "usd", "donor": "donor"}[sort]
    values = [x[key] for x in everything]
    numbers = [float(v) for v in values] if sort == "usd" else values
    assert numbers == sorted(numbers, reverse=order == "desc")


def test_one_commitment_explains_itself(client: TestClient) -> None:
    jp = japan(client)
    detail = get(client, f"/api/commitments/{jp['id']}")
    assert detail["id"] == jp["id"] and len(detail["mentions"]) == 2
    assert any(j["same"] for j in detail["judgements"])
    assert detail["missing"] == [] and detail["conflicts"] == []
    by_mention = get(client, f"/api/commitments/{jp['mentions'][0]['id']}")
    assert by_mention["id"] == jp["id"]


def test_a_running_total_shows_its_links_and_conflicts(client: TestClient) -> None:
    totals = get(client, "/api/commitments", scope="cumulative", sort="usd", order="desc")["items"]
    detail = get(client, f"/api/commitments/{totals[0]['id']}")
    assert {link["kind"] for link in detail["links"]} == {"restates"}
    (conflict,) = detail["conflicts"]
    assert set(conflict["clusters"]) == {t["id"] for t in totals}
    assert len(conflict["mentions"]) == 2


def test_an_unknown_commitment_is_404(client: TestClient) -> None:
    assert client.get("/api/commitments/c_0123456789abcdef").status_code == 404


# --------------------------------------------------------------------- agreements, events, conflicts


@pytest.mark.parametrize(
    ("params", "n"),
    [
        ({}, 1),
        ({"party": "Ukraine"}, 1),
        ({"party": "Japan"}, 0),
        ({"agreement_type": "memorandum"}, 1),
        ({"agreement_type": "treaty"}, 0),
        ({"status": "signed"}, 1),
        ({"status": "planned"}, 0),
        ({"sector": "energy"}, 0),
        ({"from": "2024-06-01", "to": "2024-06-30"}, 1),
        ({"to": "2024-01-01"}, 0),
        ({"publisher": "Brussels Times"}, 1),
        ({"publisher": "Asia Wire"}, 0),
        ({"order": "asc"}, 1),
    ],
)
def test_agreement_filters(client: TestClient, params: dict[str, str], n: int) -> None:
    page = get(client, "/api/agreements", **params)
    assert len(page["items"]) == page["total"] == n
    for a in page["items"]:
        assert "Ukraine" in a["parties"] and a["mentions"]


@pytest.mark.parametrize(
    ("params", "n"),
    [
        ({}, 1),
        ({"participant": "Fumio Kishida"}, 1),
        ({"participant": "Joe Biden"}, 0),
        ({"event_type": "conference"}, 1),
        ({"event_type": "visit"}, 0),
        ({"from": "2024-02-01", "to": "2024-02-29"}, 1),
        ({"from": "2024-03-01"}, 0),
        ({"publisher": "Asia Wire"}, 1),
        ({"publisher": "Tokyo Daily"}, 0),
        ({"order": "desc"}, 1),
    ],
)
def test_event_filters(client: TestClient, params: dict[str, str], n: int) -> None:
    page = get(client, "/api/events", **params)
    assert len(page["items"]) == page["total"] == n


def test_conflicts_carry_both_sides(client: TestClient) -> None:
    page = get(client, "/api/conflicts")
    (conflict,) = page["items"]
    assert conflict["kind"] == "cumulative_totals"
    texts = [m["fact"]["evidence"]["text"] for m in conflict["mentions"]]
    assert any("85 billion" in t for t in texts) and any("60 billion" in t for t in texts)
    assert get(client, "/api/conflicts", kind="cumulative_totals")["total"] == 1
    assert get(client, "/api/conflicts", kind="field")["total"] == 0


# ------------------------------------------------------------------------------------- actors


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"name": "Kishida"}, ["Fumio Kishida"]),
        ({"name": "tokyo"}, ["Japan"]),  # an alias
        ({"type": "person"}, ["Fumio Kishida"]),
        ({"type": "country", "name": "Canada"}, ["Canada"]),
        ({"name": "Atlantis"}, []),
    ],
)
def test_actor_filters(client: TestClient, params: dict[str, str], names: list[str]) -> None:
    assert sorted(a["name"] for a in get(client, "/api/actors", **params)["items"]) == names


def test_actors_page_round_trip(client: TestClient) -> None:
    everything = get(client, "/api/actors")["items"]
    assert len(everything) >= 5
    assert walk(client, "/api/actors") == everything


def test_an_organisation_has_its_records_partners_and_sectors(client: TestClient) -> None:
    (jp,) = get(client, "/api/actors", name="Japan")["items"]
    detail = get(client, f"/api/actors/{jp['id']}")
    assert [(c["role"], c["commitment"]["id"]) for c in detail["commitments"]] == [("donor", japan(client)["id"])]
    partners = {p["name"]: p for p in detail["partners"]}
    assert "recipient" in partners["Ukraine"]["relations"]
    assert {"sector": "energy", "count": 1} in detail["sectors"]

    (eu,) = get(client, "/api/actors", name="European Union")["items"]
    eu_detail = get(client, f"/api/actors/{eu['id']}")
    assert len(eu_detail["agreements"]) == 1
    assert {c["role"] for c in eu_detail["commitments"]} == {"donor"}
    ukraine = next(p for p in eu_detail["partners"] if p["name"] == "Ukraine")
    assert {"co-party", "recipient"} <= set(ukraine["relations"])


def test_an_unknown_actor_is_404(client: TestClient) -> None:
    assert client.get("/api/actors/o_0123456789abcdef").status_code == 404


# ----------------------------------------------------------------------------- totals, search


def test_totals_count_new_packages_once_and_show_running_totals_beside(client: TestClient) -> None:
    t = get(client, "/api/totals")
    groups = {g["key"]: g for g in t["groups"]}
    assert set(groups) == {"Japan", "European Union", "Canada"}
    assert groups["Japan"]["by_currency"] == {"JPY": "15000000000"}
    assert groups["Japan"]["packages"] == [japan(client)["id"]]  # two reports, one package
    assert groups["European Union"]["by_currency"] == {"EUR": "5000000000"}  # not the running totals
    assert sorted(c["amount"] for c in t["cumulative"]) == ["60000000000", "85000000000"]
    assert len(t["conflicts"]) == 1


def test_totals_send_the_lists_behind_the_sums_a_page_at_a_time(client: TestClient) -> None:
    whole = get(client, "/api/totals")
    assert whole["cumulative_count"] == len(whole["cumulative"]) == 2 and whole["conflict_count"] == 1
    assert all(g["package_count"] == len(g["packages"]) for g in whole["groups"])
    bare = get(client, "/api/totals", limit=0)
    assert [g["usd"] for g in bare["groups"]] == [g["usd"] for g in whole["groups"]]  # the sums stay whole
    assert all(g["packages"] == [] for g in bare["groups"]) and bare["cumulative"] == []
    assert [g["package_count"] for g in bare["groups"]] == [g["package_count"] for g in whole["groups"]]
    pages = [get(client, "/api/totals", limit=1, offset=k)["cumulative"] for k in range(3)]
    assert [len(p) for p in pages] == [1, 1, 0]
    assert pages[0] + pages[1] == whole["cumulative"]
    assert client.get("/api/totals", params={"limit": 10_001}).status_code == 422
    assert client.get("/api/totals", params={"offset": -1}).status_code == 422


@pytest.mark.parametrize(
    ("params", "keys"),
    [
        ({"by": "recipient"}, ["Ukraine"]),
        ({"by": "sector", "donor": "Japan"}, ["energy"]),
        ({"by": "instrument", "donor": "European Union"}, ["loan"]),
        ({"by": "month"}, ["2024-02", "2024-03", "2024-06"]),
        ({"recipient": "Ukraine", "sector": "humanitarian"}, ["Canada"]),
        ({"from": "2024-03-01", "to": "2024-03-31"}, ["Canada"]),
        ({"donor": "Atlantis"}, []),
    ],
)
def test_totals_filters_and_groupings(client: TestClient, params: dict[str, str], keys: list[str]) -> None:
    assert sorted(g["key"] for g in get(client, "/api/totals", **params)["groups"]) == keys


def test_search_finds_documents_and_facts(client: TestClient) -> None:
    found = get(client, "/api/search", q="yen grant")
    assert sorted(h["document"]["publisher"] for h in found["documents"]) == ["Asia Wire", "Tokyo Daily"]
    assert all("yen" in h["snippet"].lower() for h in found["documents"])
    assert found["facts"] and all(f["fact"]["cluster_id"] == japan(client)["id"] for f in found["facts"])
    assert get(client, "/api/search", q="Kishida")["facts"][0]["fact"]["type"] in {"person", "event"}
    assert get(client, "/api/search", q="yen", limit=1)["documents"].__len__() == 1
    assert get(client, "/api/search", q="zzzz") == {"query": "zzzz", "documents": [], "facts": []}


def test_the_store_search_agrees_with_the_api(store: Store) -> None:
    found = store.search("loan")
    assert [h.document.publisher for h in found.documents] == ["Brussels Times"]
    assert found.facts and all("loan" in (m.fact.evidence.text.lower()) for m in found.facts)


def test_the_schema_lists_every_endpoint(client: TestClient) -> None:
    """At least these (other areas may add their own routes to the same app), the writing ones included."""
    schema = get(client, "/api/openapi.json")
    assert set(schema["paths"]) >= {
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/commitments",
        "/api/commitments/{cluster_id}",
        "/api/agreements",
        "/api/events",
        "/api/actors",
        "/api/actors/{actor_id}",
        "/api/conflicts",
        "/api/totals",
        "/api/search",
        "/api/reviews/{action}",
        "/api/reviews/log",
        "/api/reviews/status/{ref}",
        "/api/reviews/orphans",
        "/api/users",
        "/api/users/{name}",
    }
    assert set(schema["paths"]["/api/documents"]) == {"get", "post"}
    error = schema["paths"]["/api/commitments"]["get"]["responses"]["422"]
    assert error["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
