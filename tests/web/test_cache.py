"""ResponseCache: answers with an ETag are sent again without running the route, until the
data changes; conditional, personal, large and POST requests always reach the route."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.testclient import TestClient
from rdflib import Graph

from llgraph.config import Settings
from llgraph.store import MemoryStore, Store
from llgraph.web.app import create_app
from llgraph.web.cache import ResponseCache
from llgraph.web.middleware import Compression, RequestLimits

PARTNERSHIP = "/api/partnerships/ll-fukushima-sweden"
PROGRAMME = "https://w3id.org/llgraph/id/programme/ll"


class _Counting:
    """A tiny app whose routes count their runs; its store's version can be changed."""

    def __init__(self) -> None:
        self.runs = 0
        self.app = FastAPI()
        self.app.state.store = MemoryStore()
        self.app.add_middleware(ResponseCache, max_bytes=250, max_entry=60)
        self.app.add_middleware(RequestLimits)  # as in the app: HEAD reaches the cache as GET

        @self.app.get("/tagged")
        def tagged(request: Request, size: int = 10) -> Response:
            self.runs += 1
            return Response(b"x" * size, headers={"ETag": '"v"'})

        @self.app.get("/untagged")
        def untagged() -> Response:
            self.runs += 1
            return Response(b"plain")

        @self.app.post("/tagged")
        def post() -> Response:
            self.runs += 1
            return Response(b"posted", headers={"ETag": '"v"'})


@pytest.fixture
def counting() -> Iterator[tuple[_Counting, TestClient]]:
    subject = _Counting()
    with TestClient(subject.app) as client:
        yield subject, client


def test_an_answer_with_an_etag_is_sent_again_without_the_route(counting) -> None:
    subject, client = counting
    first, second = client.get("/tagged"), client.get("/tagged")
    assert subject.runs == 1
    assert second.content == first.content == b"x" * 10
    assert second.headers["etag"] == '"v"'
    assert client.head("/tagged").content == b"" and subject.runs == 1


def test_the_key_holds_query_string_and_accept(counting) -> None:
    subject, client = counting
    client.get("/tagged?size=3")
    client.get("/tagged?size=4")
    client.get("/tagged?size=3", headers={"Accept": "text/csv"})
    client.get("/tagged?size=3")
    assert subject.runs == 3


def test_new_data_empties_the_cache(counting) -> None:
    subject, client = counting
    client.get("/tagged")
    graph = Graph()
    graph.parse(data="<urn:a> <urn:b> <urn:c> .", format="nt")
    subject.app.state.store.replace(graph)
    client.get("/tagged")
    assert subject.runs == 2


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/untagged", {}),
        ("GET", "/tagged", {"If-None-Match": '"old"'}),
        ("GET", "/tagged", {"Cookie": "session=1"}),
        ("GET", "/tagged?size=61", {}),  # over max_entry
        ("POST", "/tagged", {}),
    ],
)
def test_what_always_reaches_the_route(counting, method: str, path: str, headers) -> None:
    subject, client = counting
    client.request(method, path, headers=headers)
    client.request(method, path, headers=headers)
    assert subject.runs == 2


def test_least_recently_used_answers_leave_first(counting) -> None:
    subject, client = counting
    for size in (40, 41, 42):  # with key and headers (~55 bytes each) > 250: the first leaves
        client.get(f"/tagged?size={size}")
    client.get("/tagged?size=42")
    assert subject.runs == 3
    client.get("/tagged?size=40")
    assert subject.runs == 4


def test_the_app_caches_rest_and_sparql_answers(settings: Settings, store: Store) -> None:
    app = create_app(settings, store=store)
    with TestClient(app) as client:
        rest = [client.get(PARTNERSHIP, headers={"Origin": "http://example.org"}) for _ in "12"]
        assert rest[0].json() == rest[1].json()
        assert rest[1].headers["access-control-allow-origin"] == "*"  # CORS outside the cache
        query = {"query": f"SELECT ?l WHERE {{ <{PROGRAMME}> rdfs:label ?l }}"}
        answers = [client.get("/sparql", params=query) for _ in range(2)]
        assert answers[0].content == answers[1].content
        etag = answers[0].headers["etag"]
        again = client.get("/sparql", params=query, headers={"If-None-Match": etag})
        assert again.status_code == 304
    app.state.query_pool.close()
    cache = app.middleware_stack
    while not isinstance(cache, ResponseCache):
        cache = cache.app
    assert {key[0] for key in cache._entries} == {PARTNERSHIP, "/sparql"}


def test_a_gzip_body_is_kept_compressed_and_only_replayed_to_gzip_clients() -> None:
    app = FastAPI()
    app.state.store = MemoryStore()
    runs: list[int] = []

    @app.get("/text")
    def text() -> Response:
        runs.append(1)
        return Response("partnership " * 500, media_type="text/plain", headers={"ETag": '"v"'})

    app.add_middleware(Compression)
    app.add_middleware(ResponseCache)
    app.add_middleware(RequestLimits)
    with TestClient(app) as client:
        for encoding in ("gzip", "br, gzip", "identity", "gzip;q=0", "gzip", "identity"):
            with client.stream("GET", "/text", headers={"Accept-Encoding": encoding}) as response:
                raw = b"".join(response.iter_raw())
            zipped = encoding in ("gzip", "br, gzip")
            assert raw.startswith(b"\x1f\x8b") is zipped, encoding
            assert (response.headers.get("content-encoding") == "gzip") is zipped
            assert "Accept-Encoding" in response.headers["vary"]
    assert len(runs) == 2  # once per encoding: the second gzip client got the kept bytes
    cache = app.middleware_stack
    while not isinstance(cache, ResponseCache):
        cache = cache.app
    bodies = sorted(entry.body[:2] for entry in cache._entries.values())
    assert bodies == [b"\x1f\x8b", b"pa"]  # compressed once, kept compressed
