"""/sparql: the SPARQL 1.1 Protocol in-process, then a live `llgraph serve` with SPARQLWrapper."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from processes import Listener, clean_env, free_port
from rdflib import Graph, Literal
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, JSONLD, TSV, TURTLE, XML, SPARQLWrapper
from starlette.testclient import TestClient

from llgraph.config import Settings
from llgraph.namespaces import ID, LLO, RDF, RDFS
from llgraph.store import Store
from llgraph.web.routes.sparql import SD, VOID

SUWA = ID["partnership/ll-suwa-dalian"]
DALIAN = """SELECT ?partnership ?domestic WHERE {
  ?partnership llo:overseasRegion/rdfs:label ?overseas ; llo:domesticRegion ?domestic .
  FILTER (CONTAINS(STR(?overseas), "大連"))
} ORDER BY ?partnership ?domestic"""
DALIAN_ROWS = [
    (ID["partnership/ll-suwa-dalian"], ID["region/jp-nagano-suwa-area"]),
    (ID["partnership/ll-suwa-dalian"], ID["region/jp-suwa-city"]),
    (ID["partnership/rit-iwate-dalian"], ID["region/jp-iwate-area"]),
    (ID["partnership/rit-kyushu-dalian"], ID["region/jp-kyushu-area"]),
]
SUWA_GRAPH = f"CONSTRUCT {{ <{SUWA}> ?p ?o }} WHERE {{ <{SUWA}> ?p ?o }}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
FORM = {"content-type": "application/x-www-form-urlencoded"}
SPARQL_QUERY = {"content-type": "application/sparql-query"}


def rows_of(body: bytes, fmt: str = "json") -> list[tuple]:
    return [tuple(row) for row in Result.parse(io.BytesIO(body), format=fmt)]


def problem_of(response) -> dict:
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == response.status_code and body["detail"]
    return body


# ------------------------------------------------------------------ in-process: the protocol


def test_query_by_get_post_form_and_post_body_agree(client: TestClient) -> None:
    by_get = client.get("/sparql", params={"query": DALIAN})
    by_form = client.post(
        "/sparql", content=urllib.parse.urlencode({"query": DALIAN}), headers=FORM
    )
    by_body = client.post("/sparql", content=DALIAN.encode(), headers=SPARQL_QUERY)
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert rows_of(response.content) == DALIAN_ROWS


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("application/sparql-results+json", "json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "xml", "application/sparql-results+xml"),
        ("text/csv", "csv", "text/csv"),
        ("text/tab-separated-values", "tsv", "text/tab-separated-values"),
    ],
)
def test_select_formats(client: TestClient, accept: str, fmt: str, media: str) -> None:
    for response in (
        client.get("/sparql", params={"query": DALIAN}, headers={"accept": accept}),
        client.get("/sparql", params={"query": DALIAN, "format": fmt}),
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(response.text)))
            assert rows[0] == ["partnership", "domestic"]
            assert [tuple(r) for r in rows[1:]] == [(str(a), str(b)) for a, b in DALIAN_ROWS]
        else:
            assert rows_of(response.content, fmt) == DALIAN_ROWS


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(client: TestClient, accept: str, fmt: str) -> None:
    response = client.get("/sparql", params={"query": SUWA_GRAPH}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=response.content, format=fmt)
    assert (SUWA, RDF.type, LLO.Partnership) in graph
    assert len(graph) > 10


def test_ask_and_describe(client: TestClient) -> None:
    ask = client.get("/sparql", params={"query": f"ASK {{ <{SUWA}> a llo:Partnership }}"})
    assert ask.json()["boolean"] is True
    describe = client.get("/sparql", params={"query": f"DESCRIBE <{SUWA}>"})
    assert describe.headers["content-type"].startswith("text/turtle")
    assert (SUWA, RDF.type, LLO.Partnership) in Graph().parse(data=describe.text)


def test_service_description(client: TestClient, store: Store) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    service = graph.value(None, RDF.type, SD.Service)
    assert str(service) == "http://testserver/sparql"
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = {str(o) for o in graph.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_TSV" in formats
    assert "http://www.w3.org/ns/formats/JSON-LD" in formats
    assert len(formats) == 8
    assert next(graph.objects(None, VOID.triples)).toPython() == len(store)
    as_jsonld = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert as_jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=as_jsonld.text, format="json-ld")) == len(graph)


def test_not_acceptable(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": DALIAN}, headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in problem_of(response)["detail"]
    wrong = client.get("/sparql", params={"query": SUWA_GRAPH, "format": "csv"})
    assert wrong.status_code == 406


def test_default_graph_uri(client: TestClient, settings: Settings) -> None:
    ours = client.get("/sparql", params={"query": DALIAN, "default-graph-uri": settings.base_uri})
    assert rows_of(ours.content) == DALIAN_ROWS
    other = client.get(
        "/sparql", params={"query": DALIAN, "default-graph-uri": "http://127.0.0.1:9/g"}
    )
    assert other.status_code == 400 and "never fetches" in problem_of(other)["detail"]
    named = client.get("/sparql", params={"query": DALIAN, "named-graph-uri": settings.base_uri})
    assert named.status_code == 400


# ------------------------------------------------------------------ in-process: malformed requests


def test_syntax_error_is_400_with_position(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?s\nWHERE { ?s ?p }"})
    assert response.status_code == 400
    body = problem_of(response)
    assert (body["line"], body["column"]) == (2, 9)
    assert "line 2, column 9" in body["detail"]


def test_two_query_parameters_is_400(client: TestClient) -> None:
    response = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status_code == 400 and "exactly one" in problem_of(response)["detail"]
    form = client.post("/sparql?query=ASK%7B%7D", content="query=ASK%7B%7D", headers=FORM)
    assert form.status_code == 400


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/json"])
def test_wrong_or_missing_content_type_is_415(client: TestClient, content_type) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/sparql", content=b"ASK {}", headers=headers)
    assert response.status_code == 415
    assert "application/sparql-query" in problem_of(response)["detail"]


@pytest.mark.parametrize(
    ("body", "headers"),
    [(b"ASK { ?s ?p \xff }", SPARQL_QUERY), (b"query=ASK%20%7B%7D%ff", FORM), (b"\xfe\xff", FORM)],
)
def test_body_not_utf8_is_400(client: TestClient, body: bytes, headers) -> None:
    response = client.post("/sparql", content=body, headers=headers)
    assert response.status_code == 400 and "UTF-8" in problem_of(response)["detail"]


def test_body_over_a_mebibyte_is_413(client: TestClient) -> None:
    query = "ASK {}" + " " * (1 << 20)
    response = client.post("/sparql", content=query, headers=SPARQL_QUERY)
    assert response.status_code == 413
    assert "1024 KiB" in problem_of(response)["detail"]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_unsupported_method_is_405(client: TestClient, method: str) -> None:
    response = client.request(method, "/sparql", params={"query": "ASK {}"})
    assert response.status_code == 405
    problem_of(response)


def test_missing_query_in_post_is_400(client: TestClient) -> None:
    response = client.post("/sparql", content="format=json", headers=FORM)
    assert response.status_code == 400


def triples(client: TestClient) -> int:
    return int(
        client.get("/sparql", params={"query": COUNT}).json()["results"]["bindings"][0]["n"][
            "value"
        ]
    )


def test_update_is_refused_by_every_route_and_changes_nothing(client: TestClient) -> None:
    before = triples(client)
    insert = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    delete = "DELETE WHERE { ?s ?p ?o }"
    responses = [
        client.get("/sparql", params={"query": insert}),
        client.get("/sparql", params={"update": delete}),
        client.post("/sparql", content=urllib.parse.urlencode({"update": delete}), headers=FORM),
        client.post("/sparql", content=urllib.parse.urlencode({"query": delete}), headers=FORM),
        client.post(
            "/sparql", content=delete, headers={"content-type": "application/sparql-update"}
        ),
        client.post("/sparql", content=insert, headers=SPARQL_QUERY),
    ]
    for response in responses:
        assert response.status_code == 403
        assert "read-only" in problem_of(response)["detail"]
    assert triples(client) == before
    assert (
        client.get("/sparql", params={"query": "ASK { <urn:x:a> ?p ?o }"}).json()["boolean"]
        is False
    )


def test_cors_for_reads(client: TestClient) -> None:
    origin = {"origin": "https://yasgui.example"}
    response = client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={
            **origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


# ------------------------------------------------------------------ a live server


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`llgraph serve` (Oxigraph, 2 s limit) on a free port: its /sparql URL and its log."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = clean_env()
    command = [
        sys.executable,
        "-m",
        "llgraph",
        "--store",
        "oxigraph",
        "serve",
        "--port",
        str(port),
        "--query-timeout",
        "2",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 90
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "llgraph serve did not start"
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/sparql", log
    proc.terminate()
    proc.wait(timeout=20)


def wrapper(url: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_json_xml_csv_tsv(live) -> None:
    url, _ = live
    as_json = wrapper(url, DALIAN, JSON).queryAndConvert()
    assert [
        (b["partnership"]["value"], b["domestic"]["value"]) for b in as_json["results"]["bindings"]
    ] == [(str(a), str(b)) for a, b in DALIAN_ROWS]
    as_xml = wrapper(url, DALIAN, XML).queryAndConvert()
    uris = [node.firstChild.data for node in as_xml.getElementsByTagName("uri")]
    assert uris == [str(t) for row in DALIAN_ROWS for t in row]
    as_csv = wrapper(url, DALIAN, CSV).queryAndConvert().decode()
    assert list(csv.reader(io.StringIO(as_csv)))[1:] == [[str(a), str(b)] for a, b in DALIAN_ROWS]
    as_tsv = wrapper(url, DALIAN, TSV).queryAndConvert()
    assert rows_of(as_tsv, "tsv") == DALIAN_ROWS


def test_sparqlwrapper_construct_turtle_jsonld_ntriples(live) -> None:
    url, _ = live
    turtle = wrapper(url, SUWA_GRAPH, TURTLE).queryAndConvert()
    graph = Graph().parse(data=turtle, format="turtle")
    assert (
        SUWA,
        RDFS.label,
        Literal("長野県諏訪地域－中国大連市（金属機械加工）", lang="ja"),
    ) in graph
    jsonld = wrapper(url, SUWA_GRAPH, JSONLD).queryAndConvert()
    assert set(jsonld) == set(graph)  # SPARQLWrapper parses JSON-LD into an rdflib Graph
    client = wrapper(url, SUWA_GRAPH, TURTLE)
    client.setOnlyConneg(True)
    client.addCustomHttpHeader("Accept", "application/n-triples")
    response = client.query().response
    assert response.headers["content-type"].startswith("application/n-triples")
    assert set(Graph().parse(data=response.read(), format="nt")) == set(graph)


def get(url: str, **params: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode(params)}") as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_nothing_remote_is_ever_fetched(live) -> None:
    url, _ = live
    listener = Listener()
    remote = f"http://127.0.0.1:{listener.port}"
    try:
        attempts = [
            {"query": f"SELECT * WHERE {{ SERVICE <{remote}/sparql> {{ ?s ?p ?o }} }}"},
            {"query": f"SELECT * WHERE {{ SERVICE SILENT <{remote}/sparql> {{ ?s ?p ?o }} }}"},
            {"query": f"SELECT * FROM <{remote}/g.ttl> WHERE {{ ?s ?p ?o }}"},
            {"query": f"SELECT * FROM NAMED <{remote}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
            {"query": f"LOAD <{remote}/g.ttl>"},
            {"query": "ASK { ?s ?p ?o }", "default-graph-uri": f"{remote}/g.ttl"},
            {"query": "ASK { ?s ?p ?o }", "named-graph-uri": f"{remote}/g.ttl"},
            # SERVICE where a token guard missed it (tests/test_guard.py has many more)
            {"query": f"SELECT * {{ ?s <http://a\\u0041#> ?o . SERVICE <{remote}/> {{}} }}"},
            {"query": f"SELECT * {{ ?x ?y 1.SERVICE <{remote}/> {{ ?s ?p ?o }} }}"},
            {"query": f"PREFIX : <{remote}/> SELECT * {{ ?s ?p ?o SERVICE:x {{ ?a ?b ?c }} }}"},
            {"query": f"SELECT * {{ ?s ?p trueSERVICE <{remote}/> {{ ?a ?b ?c }} }}"},
            {"query": f"PREFIX : <{remote}/> SELECT * {{ FILTER(1<2)SERVICE:x#>\n{{ ?s ?p ?o }}}}"},
        ]
        for params in attempts:
            status, body = get(url, **params)
            assert status in (400, 403), params
            assert body["detail"]
        graph = f"SELECT * WHERE {{ GRAPH <{remote}/g.ttl> {{ ?s ?p ?o }} }}"
        status, body = get(url, query=graph)  # names a graph of the store: nothing to fetch
        assert (status, body["results"]["bindings"]) == (200, [])
        time.sleep(0.5)
        assert listener.settled() == 0
    finally:
        listener.close()


def test_runaway_stopped_at_limit_while_another_query_answers(live) -> None:
    url, _ = live
    outcome: dict[str, object] = {}

    def runaway() -> None:
        start = time.monotonic()
        outcome["status"], outcome["body"] = get(url, query=RUNAWAY)
        outcome["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.4)  # let the runaway reach a worker (not a timing assertion: see below)
    status, body = get(url, query=DALIAN)
    assert thread.is_alive()  # answered while the runaway still ran
    thread.join(30)
    assert status == 200 and len(body["results"]["bindings"]) == len(DALIAN_ROWS)
    assert outcome["status"] == 503
    assert "2 s limit" in outcome["body"]["detail"]
    assert outcome["seconds"] >= 2.0
    assert get(url, query=DALIAN)[0] == 200  # a fresh worker took the killed one's place


def test_one_log_line_per_request_with_duration(live) -> None:
    url, log = live
    get(url, query="ASK { ?s ?p ?o }", marker="log-line-check")
    time.sleep(0.3)
    lines = [line for line in log.read_text().splitlines() if "log-line-check" in line]
    assert len(lines) == 1
    assert " GET /sparql?" in lines[0] and " 200 " in lines[0] and lines[0].endswith(" ms")
