"""llgraph.conneg: q-values, wildcards and ties, as every negotiated answer reads them."""

from __future__ import annotations

import pytest

from llgraph.conneg import accept_ranges, preferred, prefers_html, quality

OFFERED = {"json": "application/json", "jsonld": "application/ld+json", "csv": "text/csv"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def test_ranges_keep_header_order_and_read_q_values() -> None:
    assert accept_ranges("text/csv;q=0.5, Application/JSON") == [
        ("text/csv", 0.5),
        ("application/json", 1.0),
    ]
    assert accept_ranges("text/csv;q=high") == [("text/csv", 0.0)]
    assert accept_ranges("") == []


def test_the_most_specific_range_gives_the_q_value() -> None:
    ranges = accept_ranges("text/*;q=0.3, text/csv;q=0.7, */*;q=0.1")
    assert quality("text/csv", ranges) == 0.7
    assert quality("text/plain", ranges) == 0.3
    assert quality("image/png", ranges) == 0.1
    assert quality("image/png", accept_ranges("text/*")) == -1


@pytest.mark.parametrize(
    ("accept", "key"),
    [
        ("", "json"),
        ("*/*", "json"),
        (BROWSER, "json"),
        ("application/ld+json", "jsonld"),
        ("application/ld+json, application/json", "jsonld"),
        ("application/json, application/ld+json", "json"),
        ("text/csv;q=0.5, application/ld+json", "jsonld"),
        ("text/*", "csv"),
        ("application/*", "json"),
        ("application/json;q=0, */*", "jsonld"),
        ("image/png", "json"),
    ],
)
def test_preferred_reads_q_values_and_wildcards(accept: str, key: str) -> None:
    assert preferred(accept, OFFERED, "json") == key


def test_a_wildcard_tie_goes_to_the_default() -> None:
    assert preferred("*/*", OFFERED, "csv") == "csv"


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (BROWSER, True),
        ("*/*", False),
        ("text/turtle, text/html;q=0.5", False),
        ("application/sparql-results+json, text/html", True),
    ],
)
def test_prefers_html_only_when_html_ranks_first(accept: str, html: bool) -> None:
    assert prefers_html(accept) is html
