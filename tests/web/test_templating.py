"""llgraph.web.templating: who gets HTML, which links are made, the security headers."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from llgraph.web.templating import CSP, safe_href, wants_html

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def _request(accept: str) -> Request:
    return Request({"type": "http", "headers": [(b"accept", accept.encode())]})


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (BROWSER, True),
        ("text/html", True),
        ("*/*", False),
        ("", False),
        ("application/sparql-results+json", False),
        ("text/turtle, text/html;q=0.5", False),
        ("application/sparql-results+json, text/html", True),
    ],
)
def test_wants_html_only_when_html_is_preferred(accept: str, html: bool) -> None:
    assert wants_html(_request(accept)) is html


@pytest.mark.parametrize(
    ("value", "href"),
    [
        ("https://www.w3id.org/llgraph/id/x", "https://www.w3id.org/llgraph/id/x"),
        ("http://example.org/a", "http://example.org/a"),
        ("/id/region/dalian", "/id/region/dalian"),
        ("javascript:alert(1)", None),
        ("data:text/html,<b>", None),
        ("//evil.example/x", None),
        ("urn:isbn:123", None),
        ("", None),
    ],
)
def test_links_only_for_http_iris_and_own_paths(value: str, href: str | None) -> None:
    assert safe_href(value) == href


def test_csp_allows_only_the_server_itself() -> None:
    assert "default-src 'self'" in CSP and "http" not in CSP and "unsafe" not in CSP
