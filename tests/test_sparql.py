"""llgraph.sparql: the guard, content negotiation, result formats and the worker pool."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator

import pytest
from processes import wait_until
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from llgraph.errors import QueryError
from llgraph.namespaces import ID, LLO, RDF, RDFS
from llgraph.sparql import (
    NotAcceptable,
    QueryPool,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    ServerBusy,
    TooManyQueries,
    check_syntax,
    choose_format,
    classify,
    execute,
)
from llgraph.store import MemoryStore, OxigraphStore, Store


@pytest.fixture(scope="module")
def store(backend_store: Store) -> Store:
    """Results are written from each backend's answers: every backend."""
    return backend_store


SUWA = ID["partnership/ll-suwa-dalian"]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PROGRAMMES = """SELECT ?programme (COUNT(?p) AS ?n)
WHERE { ?p a llo:Partnership ; llo:programme ?programme } GROUP BY ?programme ORDER BY ?programme"""


def small_store(label: str = "諏訪\t大連\n") -> MemoryStore:
    """A store with one partnership whose label holds a tab and a newline."""
    graph = Graph()
    graph.add((SUWA, RDF.type, LLO.Partnership))
    graph.add((SUWA, RDFS.label, Literal(label, lang="ja")))
    store = MemoryStore()
    store.replace(graph)
    return store


# ------------------------------------------------------------------ classify


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("ASK { ?s a llo:Partnership }", "ASK"),
        ("CONSTRUCT { ?s a llo:Partnership } WHERE { ?s a llo:Partnership }", "CONSTRUCT"),
        ("DESCRIBE <https://w3id.org/llgraph/id/programme/ll>", "DESCRIBE"),
    ],
)
def test_classify_names_the_query_form(text: str, form: str) -> None:
    assert classify(text).form == form


def test_syntax_error_has_line_and_column() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        check_syntax("SELECT *\nWHERE { ?s ?p }")
    assert (info.value.line, info.value.column) == (2, 9)  # the triple pattern ?s ?p
    assert "line 2, column 9" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "CLEAR DEFAULT",
    ],
)
def test_update_is_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="read-only"):
        classify(text)


def test_service_is_refused_even_nested() -> None:
    text = "SELECT * WHERE { { OPTIONAL { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } } } }"
    with pytest.raises(QueryRefused, match=r"SERVICE <http://127\.0\.0\.1:9/sparql>"):
        classify(text)


@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_from_is_refused(clause: str) -> None:
    with pytest.raises(QueryRefused, match="never fetches"):
        classify(f"SELECT * {clause} <http://127.0.0.1:9/g.ttl> WHERE {{ ?s ?p ?o }}")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?service ?from WHERE { ?service ?p 'SERVICE <http://x/> FROM' }",
        "PREFIX service: <http://x/> SELECT * WHERE { ?s service:from ?o } # SERVICE <x>",
        'SELECT * WHERE { ?s ?p """a "SERVICE"\nFROM""" . ?s ?p "x"@from }',
        "SELECT * WHERE { ?s <http://x/service#from> ?o FILTER(?s < ?o) }",
    ],
)
def test_keywords_inside_terms_are_not_refused(text: str) -> None:
    assert classify(text).form == "SELECT"


def test_service_silent_names_its_target() -> None:
    with pytest.raises(QueryRefused, match=r"(?i)SERVICE SILENT <http://127\.0\.0\.1:9/>"):
        classify("SELECT * WHERE { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_classify_reads_tokens_and_the_engine_reports_syntax_with_a_place() -> None:
    query = classify("SELECT *\nWHERE { ?s ?p }")  # tokens only: no grammar yet
    with pytest.raises(QuerySyntaxError) as info:
        execute(small_store(), query, "json")
    assert (info.value.line, info.value.column) == (2, 9)


@pytest.mark.parametrize(
    ("text", "place", "reason"),
    [
        ("SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s", (1, 41), "variable that is unbound"),
        ("SELECT * WHERE {\n ?s nope:x ?o }", (2, 11), "Prefix not found"),
    ],
)
def test_what_only_the_engine_refuses_has_a_place_and_a_reason(text, place, reason) -> None:
    for check in (check_syntax, lambda t: execute(OxigraphStore(), classify(t), "json")):
        with pytest.raises(QuerySyntaxError, match=reason) as info:
            check(text)
        assert (info.value.line, info.value.column) == place
        assert "expected one of" not in str(info.value)


def test_empty_query_is_a_syntax_error() -> None:
    with pytest.raises(QuerySyntaxError, match="empty"):
        classify("  \n")


# ------------------------------------------------------------------ content negotiation


@pytest.mark.parametrize(
    ("accept", "name"),
    [
        ("", "json"),
        ("*/*", "json"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
        ("application/sparql-results+xml", "xml"),
        ("application/json", "json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "xml"),
        ("text/*;q=0.3, application/sparql-results+json;q=0.2", "csv"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "json"),
    ],
)
def test_select_formats_by_accept(accept: str, name: str) -> None:
    assert choose_format("SELECT", accept) == name


@pytest.mark.parametrize(
    ("accept", "name"),
    [
        ("", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("text/turtle;q=0.1, application/ld+json", "json-ld"),
    ],
)
def test_graph_formats_by_accept(accept: str, name: str) -> None:
    assert choose_format("CONSTRUCT", accept) == name


def test_format_parameter_wins_over_accept() -> None:
    assert choose_format("SELECT", "application/sparql-results+json", "tsv") == "tsv"
    assert choose_format("CONSTRUCT", "", "json") == "json-ld"
    assert choose_format("SELECT", "", "text/csv") == "csv"


def test_not_acceptable() -> None:
    with pytest.raises(NotAcceptable, match="text/turtle"):
        choose_format("DESCRIBE", "application/sparql-results+json")
    with pytest.raises(NotAcceptable):
        choose_format("SELECT", "text/csv;q=0, image/png")
    with pytest.raises(NotAcceptable, match="use one of json, xml, csv, tsv"):
        choose_format("SELECT", "", "turtle")


# ------------------------------------------------------------------ formats


def test_tsv_writes_terms_in_turtle_syntax_and_escapes_tabs() -> None:
    query = classify("SELECT ?s ?label WHERE { ?s rdfs:label ?label }")
    body = execute(small_store(), query, "tsv").decode()
    assert body == f'?s\t?label\n<{SUWA}>\t"諏訪\\t大連\\n"@ja\n'
    parsed = Result.parse(io.StringIO(body), format="tsv")
    assert [(row[0], row[1]) for row in parsed] == [(SUWA, Literal("諏訪\t大連\n", lang="ja"))]


def test_csv_json_xml_round_trip() -> None:
    query = classify("SELECT ?s ?label WHERE { ?s rdfs:label ?label }")
    store = small_store("諏訪")
    rows = list(csv.reader(io.StringIO(execute(store, query, "csv").decode())))
    assert rows == [["s", "label"], [str(SUWA), "諏訪"]]
    for fmt in ("json", "xml"):
        parsed = Result.parse(io.BytesIO(execute(store, query, fmt)), format=fmt)
        assert [tuple(row) for row in parsed] == [(SUWA, Literal("諏訪", lang="ja"))]


def test_ask_in_every_result_format() -> None:
    query = classify("ASK { ?s a llo:Partnership }")
    store = small_store()
    assert json.loads(execute(store, query, "json"))["boolean"] is True
    assert Result.parse(io.BytesIO(execute(store, query, "xml")), format="xml").askAnswer
    assert execute(store, query, "csv") == b"_askResult\r\ntrue\r\n"
    assert execute(store, query, "tsv") == b"?_askResult\ntrue\n"


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "xml"])
def test_construct_parses_back(fmt: str) -> None:
    query = classify("CONSTRUCT WHERE { ?s rdfs:label ?label }")
    graph = Graph().parse(data=execute(small_store("諏訪"), query, fmt), format=fmt)
    assert set(graph) == {(SUWA, RDFS.label, Literal("諏訪", lang="ja"))}


def test_result_size_limit() -> None:
    query = classify("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(ResultTooLarge, match="more than 1 rows"):
        execute(small_store(), query, "json", limit=1)
    assert len(json.loads(execute(small_store(), query, "json", limit=2))["results"]["bindings"])


def test_semantic_errors_become_query_errors() -> None:
    with pytest.raises(QueryError, match="nosuchprefix"):
        execute(small_store(), classify("SELECT * WHERE { ?s nosuchprefix:p ?o }"), "json")


def test_execute_on_real_data(store: Store) -> None:
    rows = json.loads(execute(store, classify(PROGRAMMES), "json"))["results"]["bindings"]
    counts = {row["programme"]["value"]: int(row["n"]["value"]) for row in rows}
    assert counts[str(ID["programme/ll"])] >= 10  # the ten interview cases at least
    assert counts[str(ID["programme/rit"])] >= 19  # 11 continued + 8 new in FY2008


# ------------------------------------------------------------------ the pool


@pytest.fixture(scope="module")
def pool() -> Iterator[QueryPool]:
    pool = QueryPool(small_store("諏訪"), size=2, timeout=2.0)
    yield pool
    pool.close()


def test_pool_answers_like_execute(pool: QueryPool) -> None:
    query = classify("SELECT ?label WHERE { ?s rdfs:label ?label }")
    assert pool.run(query, "csv") == b"label\r\n\xe8\xab\x8f\xe8\xa8\xaa\r\n"


def test_pool_sends_errors_back(pool: QueryPool) -> None:
    with pytest.raises(QueryError, match="nosuchprefix"):
        pool.run(classify("SELECT * WHERE { ?s nosuchprefix:p ?o }"), "json")
    with pytest.raises(ResultTooLarge):
        QueryPool.run(_limited_pool(pool), classify("SELECT * WHERE { ?s ?p ?o }"), "json")


def _limited_pool(pool: QueryPool) -> QueryPool:
    pool.limit = 1
    return pool


def test_runaway_is_stopped_while_another_query_is_answered() -> None:
    graph = Graph()
    for n in range(300):  # 300 ** 4 rows to count: hours for any engine
        graph.add((ID[f"region/r{n}"], RDFS.label, Literal(f"r{n}")))
    graph.add((SUWA, LLO.programme, ID["programme/ll"]))
    graph.add((SUWA, RDF.type, LLO.Partnership))
    store = MemoryStore()
    store.replace(graph)
    pool = QueryPool(store, size=2, timeout=2.0)
    try:
        outcome: dict[str, float] = {}

        def runaway() -> None:
            start = time.monotonic()
            with pytest.raises(QueryTimeout, match="2 s limit"):
                pool.run(classify(RUNAWAY), "json")
            outcome["runaway"] = time.monotonic() - start

        thread = threading.Thread(target=runaway)
        thread.start()
        assert wait_until(lambda: pool._idle.qsize() < 2)  # the runaway holds a worker
        body = pool.run(classify(PROGRAMMES), "json")
        assert thread.is_alive()  # answered while the runaway still ran
        thread.join(30)
        assert json.loads(body)["results"]["bindings"]
        assert outcome["runaway"] >= 2.0
        assert json.loads(pool.run(classify(PROGRAMMES), "json"))["results"]["bindings"]
    finally:
        pool.close()


def test_workers_follow_the_store_version() -> None:
    store = small_store("諏訪")
    pool = QueryPool(store, size=1, timeout=5.0)
    try:
        query = classify("SELECT ?label WHERE { ?s rdfs:label ?label }")
        assert "諏訪" in pool.run(query, "csv").decode()
        graph = Graph()
        graph.add((URIRef(SUWA), RDFS.label, Literal("岩手", lang="ja")))
        store.replace(graph)
        assert "岩手" in pool.run(query, "csv").decode()
    finally:
        pool.close()


def test_a_worker_that_dies_is_an_error_and_replaced() -> None:
    pool = QueryPool(small_store("諏訪"), size=1, timeout=5.0)
    try:
        query = classify("SELECT ?label WHERE { ?s rdfs:label ?label }")
        worker = pool._idle.get()
        worker.process.kill()
        worker.process.join()
        pool._idle.put(worker)  # dead before its next job: replaced at once
        assert "諏訪" in pool.run(query, "csv").decode()
        [worker] = list(pool._workers)
        real_send = worker.conn.send

        def die_then_send(job: object) -> None:
            worker.process.kill()
            worker.process.join()
            real_send(job)

        worker.conn.send = die_then_send  # dies after the health check, before answering
        with pytest.raises(QueryError, match="worker process was killed"):
            pool.run(query, "csv")
        assert "諏訪" in pool.run(query, "csv").decode()
    finally:
        pool.close()


def test_a_query_that_needs_too_much_memory_is_stopped() -> None:
    graph = Graph()
    for n in range(3000):
        graph.add((ID[f"region/r{n}"], RDFS.label, Literal(f"r{n}")))
    store = OxigraphStore()  # outgrows the limit in a moment; rdflib's engine takes seconds
    store.replace(graph)
    # a time limit far beyond what the query needs to outgrow 64 MiB, even on a busy machine
    pool = QueryPool(store, size=1, timeout=300.0, memory=64 << 20)
    try:
        hungry = classify("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f")  # 9e6 rows
        with pytest.raises(QueryError, match=r"more than 64 MiB"):
            pool.run(hungry, "json")
        assert json.loads(pool.run(classify("ASK { ?s ?p ?o }"), "json"))["boolean"] is True
    finally:
        pool.close()


def runaway_store() -> MemoryStore:
    graph = Graph()
    for n in range(300):  # 300 ** 4 rows to count: hours for any engine
        graph.add((ID[f"region/r{n}"], RDFS.label, Literal(f"r{n}")))
    store = MemoryStore()
    store.replace(graph)
    return store


def hog(pool: QueryPool, client: str) -> threading.Thread:
    """A thread running a runaway query for ``client`` until the time limit stops it."""

    def run() -> None:
        with pytest.raises(QueryTimeout):
            pool.run(classify(RUNAWAY), "json", client=client)

    thread = threading.Thread(target=run)
    thread.start()
    assert wait_until(lambda: pool._running[client] == 1, 5)
    return thread


def test_a_client_past_its_share_is_told_to_retry_and_others_still_run() -> None:
    pool = QueryPool(runaway_store(), size=1, timeout=3.0, max_workers=3, per_client=1)
    thread = hog(pool, "10.0.0.1")
    try:
        with pytest.raises(TooManyQueries, match="already runs 1 queries"):
            pool.run(classify("ASK {}"), "json", client="10.0.0.1")
        assert json.loads(pool.run(classify("ASK {}"), "json", client="10.0.0.2"))["boolean"]
    finally:
        thread.join(10)
        pool.close()


def test_when_every_place_is_taken_a_query_waits_briefly_then_is_told_to_retry() -> None:
    pool = QueryPool(runaway_store(), size=1, timeout=3.0, max_workers=1, queue_wait=0.2)
    thread = hog(pool, "a")
    try:
        with pytest.raises(ServerBusy, match=r"stayed busy for 0\.2 s"):
            pool.run(classify("ASK {}"), "json", client="b")
    finally:
        thread.join(10)
        pool.close()
