"""RequestLimits and the answers it shapes: body and header limits on every route, one Host,
HEAD everywhere, cache keys that hold every input, no live link to a non-web IRI, XML that
stays XML (each such test is an attack that got through before); and Compression: gzip for
the clients that take it, with Vary, weak ETags, HEAD and streams right."""

from __future__ import annotations

import asyncio
import gzip
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.responses import Response, StreamingResponse
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from llgraph.config import Settings
from llgraph.store import MemoryStore
from llgraph.web.app import create_app
from llgraph.web.middleware import (
    GZIP_THREAD_ABOVE,
    MAX_BODY,
    MAX_HEADER,
    Compression,
    RequestLimits,
    accepts_gzip,
)

REGION = "https://w3id.org/llgraph/id/region/test-region"


@pytest.fixture(scope="module")
def hostile() -> Iterator[TestClient]:
    """An app over a small store whose data holds a javascript: IRI and control characters."""
    graph = Graph()
    region = URIRef(REGION)
    graph.add((region, RDFS.label, Literal("試験", lang="ja")))
    graph.add((region, RDFS.seeAlso, URIRef("javascript:alert(1)")))
    graph.add((region, RDFS.seeAlso, URIRef("https://example.org/ok")))
    graph.add((region, RDFS.comment, Literal("bell\x07 and nul\x00")))
    store = MemoryStore()
    store.replace(graph)
    app = create_app(Settings.from_env({}), store=store)
    with TestClient(app) as client:
        yield client
    if getattr(app.state, "query_pool", None) is not None:
        app.state.query_pool.close()


def chunks(total: int, size: int = 64 << 10) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size


@pytest.mark.parametrize("path", ["/sparql", "/api/partnerships", "/api/search", "/nowhere"])
def test_a_chunked_body_over_the_limit_is_refused_on_every_route(hostile, path: str) -> None:
    response = hostile.post(
        path, content=chunks(5 * MAX_BODY), headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert "over 1024 KiB" in response.json()["detail"]


def test_a_declared_length_over_the_limit_is_refused_before_reading(hostile) -> None:
    response = hostile.post(
        "/api/programmes", content=b"x" * (MAX_BODY + 1), headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 413


def test_two_host_headers_are_refused(hostile) -> None:
    response = hostile.get(
        "/api/programmes", headers=[("Host", "evil.example"), ("Host", "testserver")]
    )
    assert response.status_code == 400
    assert "more than one Host" in response.json()["detail"]


def test_oversized_headers_are_refused(hostile) -> None:
    response = hostile.get("/api/programmes", headers={"Accept": "a" * (MAX_HEADER + 1)})
    assert response.status_code == 431
    many = {f"X-Pad-{i}": "p" * 4000 for i in range(10)}
    assert hostile.get("/api/programmes", headers=many).status_code == 431


def test_the_cache_keys_on_every_accept_header_not_the_last(hostile) -> None:
    both = hostile.get(
        "/sparql",
        params={"query": "ASK {}"},
        headers=[("Accept", "text/csv"), ("Accept", "application/sparql-results+json")],
    )
    alone = hostile.get(
        "/sparql",
        params={"query": "ASK {}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert both.headers["content-type"].startswith("text/csv")
    assert alone.headers["content-type"].startswith("application/sparql-results+json")


def test_the_cache_counts_keys_and_headers_in_its_bound(hostile) -> None:
    cache = hostile.app.middleware_stack
    while type(cache).__name__ != "ResponseCache":
        cache = cache.app
    for i in range(20):
        hostile.get("/api/programmes", headers={"Accept": f"application/json;x={i}" + " " * 7000})
    assert cache._size >= 20 * 7000
    assert cache._size == sum(entry.size for entry in cache._entries.values())


def test_head_answers_on_a_get_route_before_anything_is_cached(hostile) -> None:
    response = hostile.head("/api/queries?x=head-first")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


def test_a_client_leaving_mid_body_gets_no_error_answer(hostile) -> None:
    app, sent = hostile.app, []
    messages = iter(
        [
            {"type": "http.request", "body": b"query=ASK", "more_body": True},
            {"type": "http.disconnect"},
        ]
    )

    async def receive() -> dict:
        return next(messages)

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/sparql",
        "raw_path": b"/sparql",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/x-www-form-urlencoded"),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "app": app,
        "state": {},
    }
    # in a thread of its own: the browser tests' Playwright may hold this thread's event loop
    runner = threading.Thread(target=asyncio.run, args=(app(scope, receive, send),))
    runner.start()
    runner.join(10)
    assert sent == []


def test_a_javascript_iri_in_the_data_is_never_a_link(hostile) -> None:
    page = hostile.get("/id/region/test-region", headers={"Accept": "text/html"}).text
    assert "javascript:alert(1)" in page  # shown, as text
    assert 'href="javascript:' not in page
    assert 'href="https://example.org/ok"' in page


def test_xml_answers_never_hold_characters_xml_cannot_carry(hostile) -> None:
    query = "SELECT ?c WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#comment> ?c }"
    as_xml = hostile.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert as_xml.status_code == 406
    assert "XML 1.0 cannot carry" in as_xml.json()["detail"]
    as_json = hostile.get("/sparql", params={"query": query})
    assert as_json.json()["results"]["bindings"][0]["c"]["value"] == "bell\x07 and nul\x00"
    construct = "CONSTRUCT WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#comment> ?c }"
    rdf_xml = hostile.get(
        "/sparql", params={"query": construct}, headers={"Accept": "application/rdf+xml"}
    )
    assert rdf_xml.status_code == 406


def test_deep_nesting_is_a_400_that_says_so(hostile) -> None:
    query = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
    response = hostile.post(
        "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400
    assert response.json()["title"] == "Query too deeply nested"


def test_a_megabyte_of_prefixes_ending_in_a_typo_is_a_400_with_its_place(hostile) -> None:
    query = "PREFIX a: <http://example.org/>\n" * 30_000 + "SELEKT * WHERE { ?s ?p ?o }"
    response = hostile.post(
        "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400
    assert (response.json()["line"], response.json()["column"]) == (30_001, 1)


# ------------------------------------------------------------ compression

GZIP = {"Accept-Encoding": "gzip, deflate"}
PLAIN = {"Accept-Encoding": "identity"}


def _raw(client: TestClient, path: str, headers: dict[str, str]) -> tuple[Any, bytes]:
    """The answer and its body as sent (httpx would decompress it)."""
    with client.stream("GET", path, headers=headers) as response:
        return response, b"".join(response.iter_raw())


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip", True),
        ("gzip, deflate, br, zstd", True),
        ("br;q=1.0, gzip;q=0.5", True),
        ("x-gzip", True),
        ("*", True),
        ("identity", False),
        ("", False),
        ("gzip;q=0", False),
        ("*, gzip;q=0", False),
        ("deflate, br", False),
        ("gzip;q=nonsense", False),
    ],
)
def test_accepts_gzip_reads_q_values(header: str, expected: bool) -> None:
    assert accepts_gzip([(b"accept-encoding", header.encode())]) is expected


def test_a_json_answer_is_gzipped_for_a_client_that_takes_it(hostile) -> None:
    path = "/api/queries?x=gzip"
    response, raw = _raw(hostile, path, GZIP)
    plain, body = _raw(hostile, path, PLAIN)
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) == len(raw) < len(body)
    assert gzip.decompress(raw) == body
    assert "content-encoding" not in plain.headers
    for answer in (response, plain):  # both say the encoding depends on Accept-Encoding
        assert "Accept-Encoding" in answer.headers["vary"].split(", ")


@pytest.mark.parametrize("header", ["identity", "gzip;q=0", "br"])
def test_no_gzip_body_for_a_client_that_refuses_it(hostile, header: str) -> None:
    _raw(hostile, "/api/queries?x=refused", GZIP)  # cached compressed first
    response, raw = _raw(hostile, "/api/queries?x=refused", {"Accept-Encoding": header})
    assert "content-encoding" not in response.headers
    assert raw.startswith(b"[")


def test_html_and_sparql_results_are_gzipped(hostile) -> None:
    page, raw = _raw(hostile, "/network", {**GZIP, "Accept": "text/html"})
    assert page.headers["content-encoding"] == "gzip"
    assert b"<html" in gzip.decompress(raw)
    values = " ".join(str(i) for i in range(300))
    query = "/sparql?query=" + quote(f"SELECT ?i WHERE {{ VALUES ?i {{ {values} }} }}")
    results, raw = _raw(hostile, query, {**GZIP, "Accept": "application/sparql-results+json"})
    assert results.headers["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(raw))["results"]["bindings"]
    # added to the route's own Vary, never instead of it
    assert {"Accept", "Accept-Encoding"} <= set(results.headers["vary"].split(", "))


def test_a_gzip_answer_has_a_weak_etag_that_still_gives_304(hostile) -> None:
    path = "/api/programmes"
    response, _ = _raw(hostile, path, GZIP)
    etag = response.headers["etag"]
    assert etag.startswith('W/"')
    again = hostile.get(path, headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    assert "Accept-Encoding" in again.headers["vary"]
    plain, _ = _raw(hostile, path, PLAIN)
    assert plain.headers["etag"] == etag.removeprefix("W/")  # the plain body keeps the strong tag


def test_head_gives_the_gzip_length_and_no_body(hostile) -> None:
    path = "/api/queries?x=head-gzip"
    got, raw = _raw(hostile, path, GZIP)
    with hostile.stream("HEAD", path, headers=GZIP) as head:
        assert b"".join(head.iter_raw()) == b""
    assert head.headers["content-encoding"] == "gzip"
    assert head.headers["content-length"] == got.headers["content-length"] == str(len(raw))


def test_problems_stay_plain_so_browsers_still_get_an_error_page(hostile) -> None:
    problem, raw = _raw(hostile, "/api/partnerships/nowhere-" + "x" * 2000, GZIP)
    assert problem.status_code == 422 and "content-encoding" not in problem.headers
    assert json.loads(raw)["status"] == 422
    page = hostile.get("/api/partnerships/nowhere", headers={**GZIP, "Accept": "text/html"})
    assert page.status_code == 404 and "<html" in page.text


def test_a_streamed_answer_is_compressed_as_it_streams() -> None:
    app = FastAPI()
    app.add_middleware(Compression)
    app.add_middleware(RequestLimits)
    rows = [f"row {i}, " * 50 + "\n" for i in range(200)]

    @app.get("/stream")
    def stream() -> StreamingResponse:
        return StreamingResponse(iter(rows), media_type="text/csv")

    with TestClient(app) as client:
        response, raw = _raw(client, "/stream", GZIP)
        assert response.headers["content-encoding"] == "gzip"
        assert "content-length" not in response.headers
        assert gzip.decompress(raw).decode() == "".join(rows)
        assert client.get("/stream", headers=PLAIN).text == "".join(rows)


def test_a_large_request_body_is_still_refused_with_gzip(hostile) -> None:
    response = hostile.post(
        "/sparql",
        content=chunks(2 * MAX_BODY),
        headers={**GZIP, "Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 413


def test_a_large_body_is_compressed_off_the_event_loop_and_whole() -> None:
    app = FastAPI()
    app.add_middleware(Compression)
    text = "".join(f"partnership {i}\n" for i in range(60_000))  # about 1 MB: over the bound
    assert len(text) > GZIP_THREAD_ABOVE

    @app.get("/big")
    def big() -> Response:
        return Response(text, media_type="text/plain")

    with TestClient(app) as client:
        response, raw = _raw(client, "/big", GZIP)
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw).decode() == text
    assert raw == gzip.compress(text.encode(), 6, mtime=0)  # the same body, the same bytes
