"""GET /api/queries and /api/queries/{name}: the catalogue, runs with typed parameters, CSV."""

from __future__ import annotations

import csv
import io

import pytest
from starlette.testclient import TestClient

from llgraph.namespaces import ID


def test_list_queries(client: TestClient) -> None:
    response = client.get("/api/queries")
    assert response.status_code == 200
    queries = {q["name"]: q for q in response.json()}
    assert len([n for n in queries if not n.startswith("table-")]) >= 15
    country = queries["partnerships-by-country"]
    assert country["form"] == "SELECT"
    assert country["params"][0] == {
        "name": "country",
        "type": "iri",
        "default": "id:region/cn",
        "description": "the overseas country (or any region), as an IRI or a prefixed name "
        "such as id:region/se",
    }
    assert country["url"] == "http://testserver/api/queries/partnerships-by-country"
    assert queries["table-survey-obstacles"]["table"] == "具体的成果を出す際の障害・課題"


def test_run_with_defaults_as_json(client: TestClient) -> None:
    response = client.get("/api/queries/partners-of-region")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    partners = {b["partnerLabel"]["value"] for b in response.json()["results"]["bindings"]}
    assert {"諏訪地域", "岩手地域", "九州"} <= partners


def test_run_with_parameters(client: TestClient) -> None:
    response = client.get(
        "/api/queries/partnerships-by-country", params={"country": "id:region/se", "lang": "en"}
    )
    rows = response.json()["results"]["bindings"]
    assert [r["partnership"]["value"] for r in rows] == [str(ID["partnership/ll-fukushima-sweden"])]
    assert rows[0]["label"]["xml:lang"] == "en"


@pytest.mark.parametrize(
    ("params", "headers"),
    [({"format": "csv"}, {}), ({}, {"accept": "text/csv"})],
)
def test_csv_by_format_or_accept(client: TestClient, params, headers) -> None:
    response = client.get("/api/queries/survey-overview", params=params, headers=headers)
    assert response.headers["content-type"].startswith("text/csv")
    [header, row] = list(csv.reader(io.StringIO(response.text)))
    assert dict(zip(header, row, strict=True))["validResponses"] == "131"


def test_browser_accept_gets_json(client: TestClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/api/queries/survey-overview", headers={"accept": accept})
    assert response.headers["content-type"].startswith("application/sparql-results+json")


@pytest.mark.parametrize(
    ("name", "params", "parameter"),
    [
        ("partnerships-by-fiscal-year", {"from": "two thousand"}, "from"),
        ("partnerships-by-country", {"country": "> } DROP ALL {"}, "country"),
        ("institutions-by-partnership-count", {"min": "1.5"}, "min"),
        ("survey-overview", {"colour": "red"}, "colour"),
    ],
)
def test_wrong_parameter_is_422_naming_it(client: TestClient, name, params, parameter) -> None:
    response = client.get(f"/api/queries/{name}", params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["parameter"] == parameter
    assert f"'{parameter}'" in body["detail"]


def test_unknown_query_is_404(client: TestClient) -> None:
    response = client.get("/api/queries/no-such-query")
    assert response.status_code == 404
    assert "/api/queries" in response.json()["detail"]


def test_unacceptable_format_is_406(client: TestClient) -> None:
    response = client.get("/api/queries/survey-overview", params={"format": "xml"})
    assert response.status_code == 406


def test_home_page_links_everything(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    for link in (
        'href="/sparql"',
        'href="/docs"',
        'href="/api/queries"',
        'href="/api/partnerships"',
        'href="/queries"',
        'href="/tables"',
        'href="/partnerships?programme=ll"',
        'href="/id/report/jetro-2008"',
        'href="/ontology"',
        'href="/api/network/region-region.gexf"',
    ):
        assert link in page, link
