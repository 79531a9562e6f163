"""HTML twins of the REST collections, with facets, and the search page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _get(client: TestClient, url: str, **params: object):
    return client.get(url, params=params, headers={"Accept": BROWSER})


@pytest.mark.parametrize(
    "kind", ["partnerships", "regions", "institutions", "industries", "activities", "outcomes"]
)
def test_every_collection_has_an_html_twin(client: TestClient, kind: str) -> None:
    response = _get(client, f"/{kind}")
    assert response.status_code == 200 and "Content-Security-Policy" in response.headers
    total = client.get(f"/api/{kind}").json()["total"]
    assert f"{total} {kind}" in response.text
    assert f'href="/api/{kind}"' in response.text


def test_facets_count_and_filter_like_the_api(client: TestClient) -> None:
    html = _get(client, "/partnerships").text
    assert re.search(r'href="/partnerships\?programme=ll">LL事業</a> <span class="count">10<', html)
    filtered = _get(client, "/partnerships", programme="ll", overseas_country="CN").text
    api = client.get("/api/partnerships", params={"programme": "ll", "overseas_country": "CN"})
    assert f"{api.json()['total']} partnerships matching" in filtered


def test_a_collection_page_refuses_unknown_parameters(client: TestClient) -> None:
    response = _get(client, "/partnerships", domestic_regoin="jp-nagano")
    assert response.status_code == 422 and "domestic_region" in response.text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("大連", "大連"), ("Ｄａｌｉａｎ", "Dalian"), ("ｽｳｪｰﾃﾞﾝ", "スウェーデン"), ("Skane", "Skåne")],
)
def test_the_search_page_normalises_what_is_typed(client, typed: str, expected: str) -> None:
    html = _get(client, "/search", q=typed).text
    assert expected in html and "Nothing found" not in html
    assert 'href="/api/search?q=' in html


def test_search_escapes_what_is_typed(client: TestClient) -> None:
    html = _get(client, "/search", q="<script>alert(1)</script>").text
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "kind", ["partnerships", "regions", "institutions", "activities", "outcomes", "industries"]
)
def test_every_facet_count_is_what_its_link_finds(client: TestClient, kind: str) -> None:
    html = _get(client, f"/{kind}").text
    pattern = r'<li><a href="(/' + kind + r'\?[^"]+)">[^<]*</a> <span class="count">(\d+)<'
    links = re.findall(pattern, html)
    assert links or kind == "industries"
    for href, count in links[:12]:
        url = href.replace("&amp;", "&")
        found = client.get(url, headers={"Accept": BROWSER}).text
        assert f"{count} {kind} matching" in found, href
