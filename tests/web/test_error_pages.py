"""llgraph.web.error_pages: browsers meet HTML error pages, API clients problem details."""

from __future__ import annotations

from fastapi.testclient import TestClient

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_browser_gets_an_html_404_with_the_detail(client: TestClient) -> None:
    response = client.get("/id/partnership/no-such-<thing>", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Content-Security-Policy" in response.headers
    assert "no-such-&lt;thing&gt;" in response.text and "<thing>" not in response.text
    assert 'role="search"' in response.text


def test_an_api_client_keeps_problem_json(client: TestClient) -> None:
    for accept in ("*/*", "application/json"):
        response = client.get("/no/such/page", headers={"Accept": accept})
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_unknown_route_in_a_browser_is_an_html_page(client: TestClient) -> None:
    response = client.get("/no/such/page", headers={"Accept": BROWSER})
    assert response.status_code == 404 and "<h1>404" in response.text
