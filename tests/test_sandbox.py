"""The query workers' sandbox: whatever query reaches an engine, it opens no network socket."""

from __future__ import annotations

import contextlib
import os
import platform
import socket
from collections.abc import Iterator

import pytest
from processes import Listener
from rdflib import Graph, Literal, URIRef

from llgraph.errors import QueryError
from llgraph.sparql import QueryPool, SparqlQuery
from llgraph.sparql.sandbox import deny_network, probe
from llgraph.store import Store
from llgraph.store.memory import MemoryStore
from llgraph.store.oxigraph import OxigraphStore

SECCOMP = platform.system() == "Linux" and platform.machine() in ("x86_64", "aarch64")
pytestmark = pytest.mark.skipif(
    not SECCOMP and os.environ.get("CI") != "true",
    reason=f"no seccomp filter for {platform.system()} on {platform.machine()}",
)

#: SERVICE as an engine reads it, in forms both engines run: the guard is bypassed here.
CORPUS = [
    "SELECT * WHERE {{ ?s ?p ?o SERVICE <{t}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p ?o SERVICE SILENT <{t}sparql> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{t}q> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{t}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{t}u> {{ ?a ?b ?c }} }} }}",
]


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def one_triple(backend: type[Store]) -> Store:
    graph = Graph()
    graph.add((URIRef("http://e/a"), URIRef("http://e/b"), Literal("a")))
    store = backend()
    store.replace(graph)
    return store


def run_corpus(pool: QueryPool, target: str) -> None:
    for text in CORPUS:  # the SERVICE call fails: what matters is whether it connected
        with contextlib.suppress(QueryError):
            pool.run(SparqlQuery(text.format(t=target), "SELECT"), "json")


def test_the_log_at_start_says_the_filter_is_active() -> None:
    assert probe() == ("query workers run under a seccomp filter: they cannot open network sockets")


def test_a_sandboxed_process_has_no_network_socket_but_keeps_local_ones() -> None:
    pid = os.fork()
    if pid == 0:
        status = 3
        try:
            deny_network()
            socket.socketpair()[0].close()  # the pipes to the server are AF_UNIX
            status = 2
            for family in (socket.AF_INET, socket.AF_INET6):
                try:
                    socket.socket(family, socket.SOCK_STREAM)
                except PermissionError:
                    status -= 1
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


@pytest.mark.parametrize("backend", [OxigraphStore, MemoryStore])
def test_service_that_reaches_a_worker_makes_no_connection(
    backend: type[Store], listener: Listener
) -> None:
    store = one_triple(backend)
    unsandboxed = QueryPool(store, size=1, timeout=10.0, sandbox=False)
    try:
        before = listener.count
        run_corpus(unsandboxed, listener.url)
        assert listener.settled() > before, "control: without the filter the corpus connects"
    finally:
        unsandboxed.close()
    pool = QueryPool(store, size=1, timeout=10.0)
    try:
        before = listener.count
        run_corpus(pool, listener.url)
        assert listener.settled() == before
        assert b'"a"' in pool.run(SparqlQuery("SELECT ?o { ?s ?p ?o }", "SELECT"), "json")
    finally:
        pool.close()
