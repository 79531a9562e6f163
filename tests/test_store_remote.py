"""The remote store on real servers: Virtuoso 7 and Oxigraph server, read-write and readonly."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from answers import canonical_rows
from processes import virtuoso_config, wait_for_http
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result
from test_store import (  # the same store tests, run here on every remote variant
    CATALOGUE,
    reference,
    test_a_syntax_error_is_a_query_error,
    test_ask_and_construct_match_memory,
    test_bindings_are_terms_not_text,
    test_bindings_need_not_be_projected,
    test_every_triple_matches_memory,
    test_json_answers_match_memory,
    test_named_query_answers_match_memory,
    test_query_answers_match_memory,
)

from llgraph.cli import main
from llgraph.config import Settings
from llgraph.errors import QueryError, ResultTooLarge, StoreError
from llgraph.project import load_validated
from llgraph.store import MemoryStore, RemoteStore, Store, open_store
from llgraph.store.cap import RowCap, probe_query
from llgraph.store.chunks import ntriples_chunks
from llgraph.store.remote import _json_result

__all__ = [
    "reference",
    "test_a_syntax_error_is_a_query_error",
    "test_ask_and_construct_match_memory",
    "test_bindings_are_terms_not_text",
    "test_bindings_need_not_be_projected",
    "test_every_triple_matches_memory",
    "test_json_answers_match_memory",
    "test_named_query_answers_match_memory",
    "test_query_answers_match_memory",
]

GRAPH = "https://w3id.org/llgraph/graph/test"
DBA = {"LLGRAPH_SPARQL_USER": "dba", "LLGRAPH_SPARQL_PASSWORD": "dba"}
#: The ``virtuoso.ini`` of each running Virtuoso, by base URL.
VIRTUOSO_INI: dict[str, Path] = {}


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Virtuoso 7 (Debian's ``virtuoso-t``) in a temporary folder; yields its base URL."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("virtuoso-t is missing: `make system-deps` installs virtuoso-opensource")
        pytest.skip("virtuoso-t is missing: install Debian's virtuoso-opensource")
    folder = tmp_path_factory.mktemp("virtuoso")
    ini, port = virtuoso_config(folder)
    proc = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", proc)
        VIRTUOSO_INI[f"http://127.0.0.1:{port}"] = ini
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def spec(engine: str, server: str, *, readonly: bool = False) -> str:
    """The store spec of ``engine`` at ``server``, with the data in the named graph GRAPH."""
    if engine == "virtuoso":
        query = f"sparql:{server}/sparql"
        write = f",update={server}/sparql-auth,store={server}/sparql-graph-crud-auth"
    else:
        query = f"sparql:{server}/query"
        write = f",update={server}/update,store={server}/store"
    return f"{query},graph={GRAPH}" + (",readonly" if readonly else write)


@pytest.fixture(scope="module")
def credentials() -> Iterator[None]:
    """Virtuoso's ``dba`` account for the whole module (Oxigraph never asks for it)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in DBA.items():
            patch.setenv(name, value)
        yield


def _server(request: pytest.FixtureRequest, engine: str) -> str:
    return request.getfixturevalue(f"{engine}_server")


@pytest.fixture(scope="module")
def writers(credentials: None) -> dict[str, Store]:
    """Each engine's read-write store, loaded with the project data when first asked for."""
    return {}


def _writer(request: pytest.FixtureRequest, writers: dict[str, Store], engine: str) -> Store:
    if engine not in writers:
        writer = open_store(spec(engine, _server(request, engine)))
        load_validated(request.getfixturevalue("settings"), writer)
        writers[engine] = writer
    return writers[engine]


VARIANTS = ["virtuoso", "virtuoso-readonly", "oxigraph", "oxigraph-readonly"]


@pytest.fixture(scope="module", params=VARIANTS)
def store(
    request: pytest.FixtureRequest, settings: Settings, writers: dict[str, Store]
) -> Iterator[Store]:
    """A remote store holding the validated project data (readonly: loaded by the other)."""
    engine, _, mode = request.param.partition("-")
    writer = _writer(request, writers, engine)
    if not mode:
        yield writer
        return
    reader = open_store(spec(engine, _server(request, engine), readonly=True))
    load_validated(settings, reader)
    yield reader
    reader.close()


def test_remote_store_holds_the_project_data(store: Store, reference: MemoryStore) -> None:
    assert len(store) == len(reference) > 1000
    assert isinstance(store, RemoteStore) and store.graph_iri == GRAPH


def test_readonly_version_follows_the_server(
    request: pytest.FixtureRequest, writers: dict[str, Store], reference: MemoryStore
) -> None:
    """A readonly store's version is the server's; it changes when the data does."""
    for engine in ("virtuoso", "oxigraph"):
        writer = _writer(request, writers, engine)
        reader = open_store(spec(engine, _server(request, engine), readonly=True))
        assert isinstance(reader, RemoteStore)
        before = reader.version
        assert before.startswith("server-") and reader.version == before
        extra = Graph()
        extra += reference.graph()
        extra.add((URIRef(GRAPH + "/x"), URIRef(GRAPH + "/p"), Literal("x")))
        writer.replace(extra)
        try:
            assert reader.version == before  # re-checked only every RECHECK seconds
            assert reader.refresh() is False
            assert reader.refresh(force=True) is True and reader.version != before
        finally:
            writer.replace(reference.graph())
        assert reader.refresh(force=True) is True and reader.version == before


def test_readonly_store_never_writes(request: pytest.FixtureRequest, settings: Settings) -> None:
    reader = open_store(spec("oxigraph", _server(request, "oxigraph"), readonly=True))
    with pytest.raises(StoreError, match="readonly: llgraph never writes"):
        reader.replace(Graph())


def test_virtuoso_default_graph_needs_graph_option(
    request: pytest.FixtureRequest, credentials: None
) -> None:
    """Virtuoso has no plain default graph: the error says so in a line, with what to do."""
    server = _server(request, "virtuoso")
    store = open_store(f"sparql:{server}/sparql,update={server}/sparql-auth")
    g = Graph()
    g.add((URIRef(GRAPH + "/a"), URIRef(GRAPH + "/p"), Literal("a")))
    with pytest.raises(StoreError) as error:
        store.replace(g)
    message = str(error.value)
    assert "give graph=IRI" in message and "\n" not in message and len(message) < 400


def test_writing_without_credentials_says_what_to_set(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = _server(request, "virtuoso")
    monkeypatch.delenv("LLGRAPH_SPARQL_USER", raising=False)
    store = open_store(spec("virtuoso", server).replace(GRAPH, GRAPH + "/other"))
    with pytest.raises(StoreError, match=r"401.*LLGRAPH_SPARQL_USER") as error:
        store.replace(Graph().parse(data="<http://e/a> <http://e/b> 'c' .", format="turtle"))
    assert "dba" not in str(error.value)


def test_wrong_password_is_refused_and_not_shown(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = _server(request, "virtuoso")
    monkeypatch.setenv("LLGRAPH_SPARQL_USER", "dba")
    monkeypatch.setenv("LLGRAPH_SPARQL_PASSWORD", "not-the-secret-42")
    store = open_store(spec("virtuoso", server).replace(GRAPH, GRAPH + "/other"))
    with pytest.raises(StoreError) as error:
        store.replace(Graph().parse(data="<http://e/a> <http://e/b> 'c' .", format="turtle"))
    assert "401" in str(error.value) and "not-the-secret-42" not in str(error.value)


def test_query_errors_are_one_line(request: pytest.FixtureRequest) -> None:
    for engine in ("virtuoso", "oxigraph"):
        store = open_store(spec(engine, _server(request, engine), readonly=True))
        with pytest.raises(QueryError) as error:
            store.query("SELECT * WHERE { ?s ?p }")
        message = str(error.value)
        assert "\n" not in message and "400" in message and "check the query" in message


def test_small_chunks_keep_blank_nodes_whole(
    request: pytest.FixtureRequest, reference: MemoryStore, credentials: None
) -> None:
    """A load of many small requests gives the same graph, blank nodes included."""
    for engine in ("virtuoso", "oxigraph"):
        server = _server(request, engine)
        target = spec(engine, server).replace(GRAPH, GRAPH + "/chunked") + ",chunk=500"
        store = open_store(target)
        store.replace(reference.graph())
        try:
            assert len(store) == len(reference)
            query = "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b ?p ?o FILTER isBlank(?b) }"
            assert canonical_rows(store.query(query)) == canonical_rows(reference.query(query))
        finally:
            store.query("ASK {}")  # the store still answers after the switch


def test_chunks_never_split_a_blank_node(reference: MemoryStore) -> None:
    graph = reference.graph()
    seen: dict[str, int] = {}
    total = 0
    for number, (body, count) in enumerate(ntriples_chunks(graph, 50)):
        total += count
        for line in body.decode().splitlines():
            for word in line.split():
                if word.startswith("_:"):
                    assert seen.setdefault(word, number) == number
    assert total == len(graph) and seen


def test_credentials_are_never_in_the_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLGRAPH_SPARQL_USER", "someone")
    monkeypatch.setenv("LLGRAPH_SPARQL_PASSWORD", "s3cret-value")
    store = open_store("sparql:https://example.org/sparql,readonly")
    assert "s3cret-value" not in repr(vars(store)) and "s3cret" not in repr(store._http.auth)


@pytest.mark.parametrize("option", ["readonly", "bogus"])
def test_credentials_in_a_url_are_refused_unshown(option: str) -> None:
    with pytest.raises(StoreError, match=r"LLGRAPH_SPARQL_USER|use sparql") as error:
        open_store(f"sparql:https://user:pw-42@example.org/sparql,{option}")
    assert "pw-42" not in str(error.value)


def test_https_verifies_certificates() -> None:
    store = open_store("sparql:https://127.0.0.1:9/sparql,readonly")
    assert isinstance(store, RemoteStore)
    client = store._http.client()
    assert isinstance(client, httpx.Client)
    assert client._transport._pool._ssl_context.verify_mode.name == "CERT_REQUIRED"  # type: ignore[attr-defined]


def _readonly(request: pytest.FixtureRequest, writers: dict[str, Store], engine: str) -> str:
    _writer(request, writers, engine)
    return spec(engine, _server(request, engine), readonly=True)


@pytest.mark.parametrize("engine", ["virtuoso", "oxigraph"])
def test_cli_reads_a_readonly_server(
    request: pytest.FixtureRequest,
    writers: dict[str, Store],
    reference: MemoryStore,
    engine: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """query and centrality read what the server holds; load refuses, saying why."""
    target = _readonly(request, writers, engine)
    named = "countries-by-partnerships"
    assert main(["--store", target, "query", named, "--format", "json"]) == 0
    answer = Result.parse(io.BytesIO(capsys.readouterr().out.encode()), format="json")
    query = CATALOGUE[named]
    expected = reference.query(query.query.text, bindings=query.bindings())
    assert canonical_rows(answer) == canonical_rows(expected)
    assert main(["--store", target, "centrality", "--format", "json", "--top", "3"]) == 0
    assert len(json.loads(capsys.readouterr().out)["items"]) == 3
    assert main(["--store", target, "load"]) == 2
    assert "readonly store is never loaded" in capsys.readouterr().err


def test_served_readonly_store_follows_the_server(
    request: pytest.FixtureRequest,
    settings: Settings,
    writers: dict[str, Store],
    reference: MemoryStore,
) -> None:
    """The response cache of an app over a readonly store sees the server's data change."""
    from fastapi.testclient import TestClient

    from llgraph.web.app import create_app

    reader = open_store(_readonly(request, writers, "oxigraph"))
    assert isinstance(reader, RemoteStore)
    url = "/api/queries/survey-overview"
    with TestClient(create_app(settings, reader)) as client:
        first = client.get(url)
        assert first.status_code == 200 and client.get(url).headers["etag"] == first.headers["etag"]
        changed = Graph()
        changed += reference.graph()
        changed.add((URIRef(GRAPH + "/x"), URIRef(GRAPH + "/p"), Literal("x")))
        writers["oxigraph"].replace(changed)
        try:
            reader.refresh(force=True)  # what the periodic re-check does after RECHECK seconds
            assert client.get(url).headers["etag"] != first.headers["etag"]
        finally:
            writers["oxigraph"].replace(reference.graph())


def test_ask_answered_as_a_one_row_table() -> None:
    """Some servers (Virtuoso, in some setups) answer ASK as one row holding 1 or 0."""
    row = {"head": {"vars": ["__ask_retval"]}, "results": {"bindings": [{"__ask_retval": {}}]}}
    for value, expected in (("1", True), ("0", False)):
        row["results"]["bindings"][0]["__ask_retval"] = {
            "type": "typed-literal",
            "datatype": "http://www.w3.org/2001/XMLSchema#integer",
            "value": value,
        }
        assert _json_result(row, ask=True).askAnswer is expected
    assert _json_result({"head": {}, "boolean": True}, ask=True).askAnswer is True
    assert (
        _json_result({"head": {"vars": []}, "results": {"bindings": []}}, ask=True).askAnswer
        is False
    )


def test_a_load_shows_its_progress(
    request: pytest.FixtureRequest, reference: MemoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    server = _server(request, "oxigraph")
    store = open_store(spec("oxigraph", server).replace(GRAPH, GRAPH + "/progress") + ",chunk=2000")
    assert isinstance(store, RemoteStore)
    store.progress = True
    store.replace(reference.graph())
    err = capsys.readouterr().err
    assert "sending" in err and f"{len(reference)}/{len(reference)}" in err


ONE_TRIPLE = "<http://e/a> <http://e/b> 'c' ."
SR171 = "Virtuoso S1T00 Error SR171: Transaction timed out\n"


@pytest.mark.parametrize("engine", ["virtuoso", "oxigraph"])
def test_a_refused_switch_keeps_the_graph_and_drops_the_staging_graph(
    request: pytest.FixtureRequest, writers: dict[str, Store], engine: str
) -> None:
    """A load whose final MOVE the server refuses (Virtuoso does past its time limit for
    updates: "SR171: Transaction timed out") leaves the graph as it was and no staging
    graph behind, and says why and what to do."""
    writer, server = _writer(request, writers, engine), _server(request, engine)
    before = len(writer)
    store = open_store(spec(engine, server))
    assert isinstance(store, RemoteStore)
    real = store._http.client()

    def handler(req: httpx.Request) -> httpx.Response:  # the real server, but for the MOVE
        return httpx.Response(500, text=SR171) if b"MOVE" in req.content else real.send(req)

    store._http._clients[os.getpid()] = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(StoreError) as error:
        store.replace(Graph().parse(data=ONE_TRIPLE, format="turtle"))
    message = str(error.value)
    assert "SR171" in message and "keeps its previous data" in message
    assert "MaxQueryExecutionTime" in message and "left on the server" not in message
    assert len(writer) == before
    everywhere = open_store(spec(engine, server, readonly=True).replace(f",graph={GRAPH}", ""))
    assert not everywhere.ask("ASK { GRAPH ?g { <http://e/a> ?p ?o } }")


def test_a_staging_graph_that_cannot_be_dropped_is_named() -> None:
    """When the server refuses the MOVE and the drop of the staging graph too, the error
    names the graph left on the server."""

    def handler(req: httpx.Request) -> httpx.Response:  # the data's one PUT, then failures
        return httpx.Response(204) if req.method == "PUT" else httpx.Response(500, text=SR171)

    store = open_store(
        f"sparql:http://127.0.0.1:9/q,update=http://127.0.0.1:9/u,store=http://127.0.0.1:9/s,graph={GRAPH}"
    )
    assert isinstance(store, RemoteStore)
    store._http._clients[os.getpid()] = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(StoreError, match=r"staging graph <urn:llgraph:staging:[0-9a-f-]+> is left"):
        store.replace(Graph().parse(data=ONE_TRIPLE, format="turtle"))


def test_a_failed_version_check_keeps_the_last_version(
    request: pytest.FixtureRequest, writers: dict[str, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = open_store(_readonly(request, writers, "oxigraph"))
    assert isinstance(reader, RemoteStore)
    before = reader.version

    def down() -> str:
        raise StoreError("cannot reach the SPARQL server")

    monkeypatch.setattr(reader, "server_version", down)
    reader._checked = float("-inf")
    assert reader.version == before


@pytest.mark.parametrize("graph", ["x> } DROP ALL { <y", "relative/path", "https://e/a b"])
def test_graph_option_must_be_an_absolute_iri(graph: str) -> None:
    with pytest.raises(StoreError, match="not an absolute IRI"):
        open_store(f"sparql:http://127.0.0.1:9/query,graph={graph}")


def _answering(handler: object) -> RemoteStore:
    """A readonly store whose HTTP requests go to ``handler`` (an httpx mock transport)."""
    store = open_store("sparql:http://127.0.0.1:9/sparql,readonly")
    assert isinstance(store, RemoteStore)
    store._http._clients[os.getpid()] = httpx.Client(transport=httpx.MockTransport(handler))
    return store


def test_an_answer_cut_at_the_servers_row_limit_is_an_error() -> None:
    """Virtuoso cuts answers at ResultSetMaxRows and says so only in a header (SELECT) or
    not at all (CONSTRUCT): both are errors saying what to do, never a short answer."""
    rows = [{"s": {"type": "uri", "value": f"http://e/{i}"}} for i in range(3)]

    def handler(request: httpx.Request) -> httpx.Response:
        if b"CONSTRUCT" in request.content:
            return httpx.Response(
                200,
                text="<http://e/a> <http://e/b> <http://e/c> .\n",
                headers={"Content-Type": "application/n-triples"},
            )
        if b"GROUP" in request.content:  # the data version's summary
            summary = {
                "p": {"type": "uri", "value": "http://e/b"},
                "n": {"type": "literal", "value": "5"},
            }
            return httpx.Response(
                200, json={"head": {"vars": ["p", "n"]}, "results": {"bindings": [summary]}}
            )
        if b"COUNT" in request.content:
            count = {"n": {"type": "literal", "value": "5"}}
            return httpx.Response(
                200, json={"head": {"vars": ["n"]}, "results": {"bindings": [count]}}
            )
        body = {"head": {"vars": ["s"]}, "results": {"bindings": rows}}
        return httpx.Response(200, json=body, headers={"X-SPARQL-MaxRows": "3"})

    store = _answering(handler)
    with pytest.raises(
        QueryError, match=r"\(3 rows\) reached its result size limit \(3\).*ResultSetMaxRows"
    ):
        store.query("SELECT ?s WHERE { ?s ?p ?o }")


@pytest.mark.parametrize(
    "header", [("X-SQL-State", "S1TAT"), ("X-SPARQL-Anytime", "timeout=2000; max_timeout=3000")]
)
def test_a_partial_answer_cut_at_a_time_limit_is_an_error(header: tuple[str, str]) -> None:
    """Virtuoso answers a query stopped at a time limit with what it found so far, status
    200 (seen on 7.2.5 given a ``timeout`` parameter, which llgraph never sends; a server's
    ``ExecutionTimeout`` and ``HTTPAnytimeStatus`` settings can do it unasked): an error."""
    count = {"n": {"type": "literal", "value": "3"}}
    body = {"head": {"vars": ["n"]}, "results": {"bindings": [count]}}
    store = _answering(lambda request: httpx.Response(200, json=body, headers=dict([header])))
    with pytest.raises(QueryError, match=r"stopped the query at its time limit.*partial answer"):
        store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")


def test_a_server_error_is_one_line_without_the_payload() -> None:
    page = "<html><body><h1>500 SPARQL Request Failed</h1>\n" + "<p>stack</p>\n" * 5000
    store = _answering(lambda request: httpx.Response(500, text=page))
    with pytest.raises(QueryError) as error:
        store.query("SELECT * WHERE { ?s ?p ?o }")
    message = str(error.value)
    assert "500" in message and "see its log" in message and len(message) < 400


@contextmanager
def maxcanonical_rows(server: str, rows: int) -> Iterator[None]:
    """Virtuoso's ``ResultSetMaxRows`` at ``rows`` for a while: its SPARQL endpoint reads
    the ``[SPARQL]`` section of virtuoso.ini at each query, so no restart is needed."""
    ini = VIRTUOSO_INI[server]
    text = ini.read_text()
    ini.write_text(re.sub(r"ResultSetMaxRows = \d+", f"ResultSetMaxRows = {rows}", text))
    try:
        yield
    finally:
        ini.write_text(text)


def test_answers_virtuoso_cuts_are_errors(
    request: pytest.FixtureRequest,
    writers: dict[str, Store],
    reference: MemoryStore,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Past ResultSetMaxRows Virtuoso cuts a SELECT (saying so in a header) and a CONSTRUCT
    (without a word): a dump, the network projections behind export and centrality, stop
    with an error naming the setting; answers under the limit still come."""
    target = _readonly(request, writers, "virtuoso")
    with maxcanonical_rows(_server(request, "virtuoso"), 300):
        store = open_store(target)
        assert len(store.query("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 40").graph) == 40
        for dump in ("CONSTRUCT WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p ?o }"):
            with pytest.raises(ResultTooLarge, match=r"reached its result size limit \(300\)"):
                store.query(dump)
        assert len(store) == len(reference)  # a count is one row
        out = tmp_path / "network.json"
        for argv in (["export", "--format", "json", "--out", str(out)], ["centrality"]):
            assert main(["--store", target, *argv]) == 2
            assert "ResultSetMaxRows" in capsys.readouterr().err
        assert not out.exists()
    assert len(open_store(target).query("CONSTRUCT WHERE { ?s ?p ?o }").graph) == len(reference)


def test_a_silent_cut_is_found_by_a_probe() -> None:
    """A server that cuts answers at 3 rows without a header: a probe of a known number of
    rows finds the cap, so a CONSTRUCT of 3 triples is an error and one of 2 is not."""
    triples = "".join(f"<http://e/{i}> <http://e/p> <http://e/o> .\n" for i in range(3))

    def handler(request: httpx.Request) -> httpx.Response:
        if b"VALUES" in request.content:  # the probe: a SELECT of known size, cut at 3
            return httpx.Response(
                200, text="d0\r\n0\r\n1\r\n2\r\n", headers={"Content-Type": "text/csv"}
            )
        text = triples if b"LIMIT" not in request.content else triples[: triples.index("\n") + 1]
        return httpx.Response(200, text=text, headers={"Content-Type": "application/n-triples"})

    store = _answering(handler)
    assert len(store.query("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1").graph) == 1
    with pytest.raises(ResultTooLarge, match=r"answer \(3 triples\) reached its result size limit"):
        store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert store.cap.cap == 3


def test_a_probe_is_asked_again_only_for_bigger_answers() -> None:
    asked: list[int] = []

    def probe(rows: int) -> tuple[int, int | None]:
        asked.append(rows)
        return rows, None

    cap = RowCap()
    for size in (5, 999, 10, 1000, 1500, 4000, 3999):
        cap.check(size, probe)
    assert asked == [1000, 2000, 4001] and cap.cap is None


@pytest.mark.parametrize("rows", [1, 10, 11, 1000, 123_456])
def test_a_probe_query_has_enoughcanonical_rows(rows: int) -> None:
    text = probe_query(rows)
    assert text.endswith(f"LIMIT {rows}") and 10 ** text.count("VALUES") >= rows


@pytest.mark.parametrize("value", ["0", "-3", "soon", "inf", "nan"])
def test_timeout_option_must_be_positive_seconds(value: str) -> None:
    with pytest.raises(StoreError, match="not a positive number of seconds"):
        open_store(f"sparql:http://127.0.0.1:9/query,readonly,timeout={value}")


def test_timeout_option_sets_the_wait() -> None:
    store = open_store("sparql:http://127.0.0.1:9/query,readonly,timeout=2.5")
    assert isinstance(store, RemoteStore) and store._http.timeout == 2.5
    default = open_store("sparql:http://127.0.0.1:9/query,readonly")
    assert isinstance(default, RemoteStore) and default._http.timeout == 120


def test_a_write_that_times_out_says_it_may_still_finish() -> None:
    """A load's update that passes timeout= may still be applied: the error says so."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    store = open_store(
        f"sparql:http://127.0.0.1:9/sparql,update=http://127.0.0.1:9/up,graph={GRAPH}"
    )
    assert isinstance(store, RemoteStore)
    store._http._clients[os.getpid()] = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(StoreError, match=r"within 120 s: it may still finish the write.*timeout="):
        store.replace(Graph().parse(data="<http://e/a> <http://e/b> 'c' .", format="turtle"))


def test_a_server_without_csv_answers_is_left_unchecked(caplog: pytest.LogCaptureFixture) -> None:
    """A probe answered in another format is not counted (that would invent a cap)."""

    def handler(request: httpx.Request) -> httpx.Response:
        if b"VALUES" in request.content:
            return httpx.Response(200, json={"head": {"vars": ["d0"]}, "results": {"bindings": []}})
        text = "<http://e/a> <http://e/p> <http://e/o> .\n"
        return httpx.Response(200, text=text, headers={"Content-Type": "application/n-triples"})

    store = _answering(handler)
    assert len(store.query("CONSTRUCT WHERE { ?s ?p ?o }").graph) == 1
    assert len(store.query("CONSTRUCT WHERE { ?s ?p ?o }").graph) == 1
    assert store.cap.cap is None and "cannot check" in caplog.text
