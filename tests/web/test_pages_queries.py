"""GET /queries and /queries/{name}: pages with forms for browsers, JSON or CSV for others."""

from __future__ import annotations

from fastapi.testclient import TestClient

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _page(client: TestClient, url: str, **params: str):
    return client.get(url, params=params, headers={"Accept": BROWSER})


def test_the_list_links_every_named_query(client: TestClient) -> None:
    html = _page(client, "/queries").text
    assert 'href="/queries/partners-of-region"' in html
    assert 'href="/queries/partnerships-by-programme"' in html


def test_a_query_page_has_a_typed_form_results_and_twins(client: TestClient) -> None:
    response = _page(client, "/queries/partnerships-by-programme", programme="id:programme/ll")
    html = response.text
    assert response.status_code == 200 and "Content-Security-Policy" in response.headers
    assert '<select id="param-programme" name="programme">' in html
    assert '<option value="id:programme/ll" selected>' in html
    assert html.count("<tr>") - 1 == 10  # the 10 LL themes the report details
    assert "/api/queries/partnerships-by-programme?programme=id%3Aprogramme%2Fll" in html
    assert "format=csv" in html and "/sparql?query=" in html


def test_the_same_address_answers_json_and_csv(client: TestClient) -> None:
    url = "/queries/partnerships-by-programme"
    data = client.get(url, params={"programme": "id:programme/ll"}).json()
    assert len(data["results"]["bindings"]) == 10
    csv = client.get(url, params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")


def test_a_bad_parameter_is_shown_on_the_page_as_a_422(client: TestClient) -> None:
    response = _page(client, "/queries/partnerships-by-programme", programm="x")
    assert response.status_code == 422
    assert "unknown parameter &#39;programm&#39;" in response.text


def test_an_unknown_query_is_a_404_page(client: TestClient) -> None:
    response = _page(client, "/queries/no-such-query")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
