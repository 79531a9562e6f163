"""GET /api/search: ranked, partial, case-insensitive label search in Japanese and English."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from llgraph.namespaces import ID


def search(client: TestClient, q: str, **params: object) -> dict:
    response = client.get("/api/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_dalian_finds_the_city_and_both_partnerships_that_reach_it(client: TestClient) -> None:
    result = search(client, "大連", limit=200)
    found = [hit["id"] for hit in result["items"]]
    assert result["total"] == len(found)
    assert str(ID["region/cn-dalian"]) in found
    assert str(ID["partnership/ll-suwa-dalian"]) in found
    assert str(ID["partnership/rit-iwate-dalian"]) in found
    city = next(h for h in result["items"] if h["id"] == str(ID["region/cn-dalian"]))
    assert city["url"] == "http://testserver/id/region/cn-dalian"
    assert city["api_url"] == "http://testserver/api/regions/cn-dalian"
    for hit in result["items"]:
        if hit["api_url"]:
            assert client.get(hit["api_url"]).json()["id"] == hit["id"]
    assert city["label"] == {"ja": "大連市", "en": "Dalian"}


def test_search_within_one_collection(client: TestClient) -> None:
    result = search(client, "大連", kind="partnerships")
    assert {h["id"] for h in result["items"]} >= {
        str(ID["partnership/ll-suwa-dalian"]),
        str(ID["partnership/rit-iwate-dalian"]),
    }
    assert all(h["id"].startswith(str(ID["partnership/"])) for h in result["items"])
    assert result["total"] == len(result["items"])


def test_ranking_is_exact_then_prefix_then_substring(client: TestClient) -> None:
    hits = search(client, "dalian", limit=200)["items"]
    order = {"exact": 0, "prefix": 1, "substring": 2}
    ranks = [order[h["match"]] for h in hits]
    assert ranks == sorted(ranks) and set(ranks) == {0, 1, 2}
    assert hits[0]["id"] == str(ID["region/cn-dalian"]) and hits[0]["matched_label"] == "Dalian"
    for hit in hits:
        label = hit["matched_label"].lower()
        assert "dalian" in label
        assert (hit["match"] == "exact") == (label == "dalian")


def test_case_insensitive_and_partial_in_english_and_japanese(client: TestClient) -> None:
    upper = [h["id"] for h in search(client, "SWEDEN", limit=200)["items"]]
    lower = [h["id"] for h in search(client, "sweden", limit=200)["items"]]
    assert upper == lower and str(ID["partnership/ll-fukushima-sweden"]) in upper
    japanese = [h["id"] for h in search(client, "スウェーデン", limit=200)["items"]]
    assert str(ID["partnership/ll-fukushima-sweden"]) in japanese
    assert str(ID["region/jp-fukushima"]) in [h["id"] for h in search(client, "福島")["items"]]


def test_limit_and_no_match(client: TestClient) -> None:
    assert len(search(client, "a", limit=3)["items"]) == 3
    nothing = search(client, "no label has this text")
    assert nothing["total"] == 0 and nothing["items"] == []


def test_user_text_is_not_sparql(client: TestClient) -> None:
    for text in ['" } ; DROP ALL ; #', "?s ?p ?o", "\\u0022)"]:
        assert search(client, text)["total"] == 0


@pytest.mark.parametrize(
    "query", ["", "q=", "q=%20%20", "q=a&limit=0", "q=a&limit=x", "q=a&kind=cities"]
)
def test_bad_query_is_a_422(client: TestClient, query: str) -> None:
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["parameter"] in {"q", "limit", "kind"}
