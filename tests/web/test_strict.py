"""REST strictness: unknown, repeated or empty-naming parameters are 422s saying which and why."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def _problem(client: TestClient, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def test_a_misspelt_parameter_is_refused_with_a_suggestion(client: TestClient) -> None:
    body = _problem(client, "/api/partnerships?domestic_regoin=jp-nagano")
    error = body["errors"][0]
    assert error["parameter"] == "domestic_regoin"
    assert "did you mean 'domestic_region'" in error["message"]


def test_a_repeated_parameter_is_refused(client: TestClient) -> None:
    body = _problem(client, "/api/partnerships?programme=ll&programme=rit")
    assert body["errors"][0]["parameter"] == "programme"
    assert "2 times" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/partnerships?domestic_region=jp-atlantis", "domestic_region"),
        ("/api/partnerships?overseas_country=XX", "overseas_country"),
        ("/api/regions?within=nowhere", "within"),
        ("/api/activities?partnership=no-such-theme", "partnership"),
        ("/api/partnerships?from_year=2008&to_year=2001", "from_year"),
    ],
)
def test_a_filter_naming_nothing_is_refused(client: TestClient, url: str, parameter: str) -> None:
    body = _problem(client, url)
    assert body["errors"][0]["parameter"] == parameter


def test_good_parameters_still_work(client: TestClient) -> None:
    ok = client.get("/api/partnerships", params={"programme": "ll", "limit": 5, "sort": "label"})
    assert ok.status_code == 200 and len(ok.json()["items"]) == 5
    assert client.get("/api/regions", params={"country": "CN"}).status_code == 200
    assert client.get("/api/partnerships/ll-fukushima-sweden").status_code == 200


def test_items_and_search_are_strict_too(client: TestClient) -> None:
    _problem(client, "/api/partnerships/ll-fukushima-sweden?lang=en")
    _problem(client, "/api/search?q=Dalian&kind=regions&limt=3")


def test_search_hits_carry_the_rest_item_where_one_exists(client: TestClient) -> None:
    items = client.get("/api/search", params={"q": "大連", "limit": 50}).json()["items"]
    assert items and all(hit["api_url"] for hit in items if "/id/region/" in hit["id"])
