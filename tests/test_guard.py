"""The query guard against references: Oxigraph's own behaviour and rdflib's SPARQL 1.1 parse.

Each generated query hides SERVICE (or a decoy of it) in one of SPARQL's lexical contexts.
The engine runs it on a store where every pattern matches, with a listener on 127.0.0.1
counting the connections it makes; rdflib's grammar says whether SPARQL 1.1 reads a
SERVICE. The guard must refuse whatever the engine would call out for or the grammar reads
as SERVICE, and let through every query both parse without one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from processes import Listener
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery

from llgraph.errors import QueryError, QueryRefused, QuerySyntaxError, QueryTooComplex
from llgraph.sparql.guard import MAX_NESTING, classify, query_form

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.sock.close()


def engine_store() -> ox.Store:
    """A store where ``?s ?p X`` matches for every literal or IRI the generator writes."""
    store = ox.Store()
    s, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b")
    objects = [
        ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")),
        ox.Literal("1.5", datatype=ox.NamedNode(XSD + "decimal")),
        ox.Literal("1e1", datatype=ox.NamedNode(XSD + "double")),
        ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
        ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean")),
        ox.Literal("a"),
        ox.Literal("a", language="en"),
        ox.NamedNode("http://e/o"),
    ]
    for o in objects:
        store.add(ox.Quad(s, p, o))
    return store


STORE = engine_store()


def engine(query: str, listener: Listener) -> tuple[bool, int]:
    """Whether Oxigraph parses ``query``, and how many connections running it made."""
    before = listener.count
    try:
        answer = STORE.query(query)
    except SyntaxError:
        return False, 0
    except Exception:  # an evaluation error: it was parsed
        return True, listener.settled() - before
    try:
        if not isinstance(answer, ox.QueryBoolean):
            list(answer)
    except Exception:  # the SERVICE call failed, as it should against the listener
        pass
    return True, listener.settled() - before


def grammar(query: str) -> str | None:
    """What SPARQL 1.1's grammar (rdflib) reads: "SERVICE", "FROM", "" or None (no parse)."""
    try:
        parsed = repr(parseQuery(query))
    except (ParseBaseException, Exception):
        return None
    return (
        "SERVICE"
        if "ServiceGraphPattern" in parsed
        else "FROM"
        if "DatasetClause" in (parsed)
        else ""
    )


def guard(query: str) -> bool:
    """Whether the guard lets ``query`` run."""
    try:
        classify(query)
    except QueryError:
        return False
    return True


# ------------------------------------------------------------------ the generator

SPACE = st.sampled_from(["", " ", "\t", "\n", "\r\n", " #c\n", "#SERVICE <x>\n"])
CASES = st.sampled_from(["SERVICE", "service", "Service", "sErViCe"])
LITERALS = st.sampled_from(
    [
        "1",
        "1.5",
        "1e1",
        "1.0e1",
        "true",
        "false",
        "TRUE",
        '"a"',
        "'a'",
        '"""a"""',
        "'''a'''",
        '"a"@en',
        "<http://e/o>",
        "ex:o",
    ]
)
GLUE = st.sampled_from(["", " ", ".", " .", ". ", "\n", "#x\n", ";", ","])
#: Keywords that a backtracking parser might split off a glued word.
KEYWORDS = st.sampled_from(
    [
        "",
        "true",
        "false",
        "a",
        "UNDEF",
        "SILENT",
        "OPTIONAL",
        "MINUS",
        "FILTER",
        "BIND",
        "VALUES",
        "GRAPH",
        "UNION",
        "WHERE",
        "NAMED",
        "ASK",
        "FROM",
        "IN",
        "AS",
    ]
)


@st.composite
def service(draw: st.DrawFn, target: str) -> str:
    """A SERVICE pattern in any spelling: case, SILENT, space or comments, glued targets."""
    keyword = draw(CASES)
    silent = draw(st.sampled_from(["", " SILENT", "SILENT", " silent"]))
    form = draw(st.sampled_from(["iri", "pname", "var"]))
    where = {"iri": f"<{target}>", "pname": ":x", "var": "?svc"}[form]
    bind = f"BIND(<{target}x> AS ?svc) " if form == "var" else ""
    return f"{bind}{keyword}{silent}{draw(SPACE)}{where}{draw(SPACE)}{{ ?x ?y ?z }}"


def escaped(text: str) -> str:
    """``text`` with some characters written as SPARQL codepoint escapes."""
    return "".join(f"\\u{ord(c):04X}" if c in "SE#'\">" else c for c in text)


@st.composite
def hiding_place(draw: st.DrawFn, target: str) -> str:
    """SERVICE (or its decoy) hidden in one lexical context of a group pattern."""
    real = draw(service(target))
    word = draw(CASES)
    kind = draw(
        st.sampled_from(
            [
                "plain",
                "glued",
                "string",
                "iri",
                "iri-escape",
                "comment",
                "var",
                "local",
                "prefix",
                "lang",
                "bnode",
                "keyword-glue",
                "filter-iri",
                "codepoint",
                "exists",
            ]
        )
    )
    if kind == "plain":
        return real
    if kind == "glued":
        return f"?s ?p {draw(LITERALS)}{draw(GLUE)}{real}"
    if kind == "string":
        quote = draw(st.sampled_from(["'", '"', "'''", '"""']))
        inner = draw(st.sampled_from([word, f"\\{quote[0]} {real}", f"\\\\{quote[0]}", "\\u0027"]))
        return f"FILTER(?o != {quote}{inner}{quote}) {draw(st.sampled_from(['', real]))}"
    if kind in ("iri", "iri-escape"):
        inner = "\\u0041" if kind == "iri-escape" else ""
        tail = draw(st.sampled_from(["#", "'", '"', "#>", ""]))
        return f"?s <http://e/{word}{inner}{tail}> ?o . {draw(st.sampled_from(['', real]))}"
    if kind == "comment":
        return f"# {real}\n?s ?p ?o"
    if kind == "var":
        return f"BIND(1 AS ?{word}) ?{word}x ?p ?o"
    if kind == "local":
        return f"?s ex:{word} ?o . FILTER(?o != ex:{word}.x)"
    if kind == "prefix":
        return f"?s {draw(KEYWORDS)}{word}:x ?o"
    if kind == "lang":
        return f'FILTER(?o != "a"@{word}) {draw(st.sampled_from(["", real]))}'
    if kind == "bnode":
        return f"FILTER NOT EXISTS {{ _:{word} ex:q ?o }} {draw(st.sampled_from(['', real]))}"
    if kind == "keyword-glue":
        return f"?s ?p {draw(LITERALS)} {draw(KEYWORDS)}{real}"
    if kind == "filter-iri":
        return f"FILTER(1<2){word}:x#>\n{{ ?x ?y ?z }}"
    if kind == "codepoint":
        return escaped(real)
    return f"FILTER EXISTS {{ {real} }}"


@st.composite
def queries(draw: st.DrawFn, target: str) -> str:
    places = draw(st.lists(hiding_place(target), min_size=1, max_size=3))
    body = f"{draw(SPACE)}".join(places)
    return (
        f"PREFIX : <{target}>\nPREFIX ex: <http://e/>\n"
        f"SELECT * WHERE {{ ?s ?p ?o {draw(st.sampled_from(['', '.']))} {body} }}"
    )


# ------------------------------------------------------------------ the properties


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_guard_refuses_what_the_engine_or_the_grammar_reads_as_service(
    data: st.DataObject, listener: Listener
) -> None:
    target = f"http://127.0.0.1:{listener.port}/"
    query = data.draw(queries(target))
    allowed = guard(query)
    parsed, connections = engine(query, listener)
    spec = grammar(query)
    event(
        f"guard {'allows' if allowed else 'refuses'}; engine {'parses' if parsed else 'rejects'}"
        f"{' and calls out' if connections else ''}; grammar reads {spec!r}"
    )
    if allowed:
        assert connections == 0, f"the engine called out for a query the guard let run:\n{query}"
        assert spec != "SERVICE", f"SPARQL 1.1 reads SERVICE in a query let run:\n{query}"
    elif parsed and spec == "":
        pytest.fail(f"refused, yet neither engine nor grammar reads SERVICE or FROM:\n{query}")


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    glue=KEYWORDS,
    keyword=st.sampled_from(["FROM", "from", "FROM NAMED", "FROMNAMED"]),
    space=SPACE,
    form=st.sampled_from(["SELECT *", "SELECT ?s", "ASK", "CONSTRUCT", "DESCRIBE ?s"]),
    target=st.sampled_from(["<http://e/g>", ":g", "ex:g"]),
)
def test_the_guard_refuses_from_wherever_the_grammar_reads_it(
    glue: str, keyword: str, space: str, form: str, target: str
) -> None:
    query = f"PREFIX : <http://e/>\nPREFIX ex: <http://e/>\n{form}{space}{glue}{keyword}{space}"
    query += f"{target} WHERE {{ ?s ?p ?o }}"
    if grammar(query) == "FROM":
        assert not guard(query), query


# ------------------------------------------------------------------ known attacks


@pytest.mark.parametrize(
    "query",
    [
        # the two: a \u escape in an IRI, and a number glued to the keyword
        "SELECT * { ?s <http://a\\u0041#> ?o . SERVICE <{t}> {{ ?s ?p ?o }} }",
        "SELECT * { ?s <http://a\\u0041'> ?o . SERVICE <{t}> {{ ?s ?p ?o }} }",
        "SELECT * {{ ?x ?y 1.SERVICE <{t}> {{ ?s ?p ?o }} }}",
        # what a backtracking parser reads: SERVICE :x, true SERVICE, SERVICE SILENT
        "PREFIX : <{t}> SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}",
        "SELECT * {{ ?x ?y trueSERVICE <{t}> {{ ?s ?p ?o }} }}",
        "SELECT * {{ SERVICESILENT<{t}> {{ ?s ?p ?o }} }}",
        # an operator '<' ... '#>' that a lexer would take for one IRI
        "PREFIX : <{t}> SELECT * {{ FILTER(1<2)SERVICE:x#>\n{{ ?s ?p ?o }} }}",
        # codepoint escapes, which SPARQL 1.1 expands before parsing
        "SELECT * {{ \\u0053ERVICE <{t}> {{ ?s ?p ?o }} }}",
        'SELECT * {{ ?s ?p "a\\u0022 . SERVICE <{t}> {{ ?s ?p ?o }} }}',
    ],
)
def test_known_ways_past_a_token_guard_are_refused(query: str, listener: Listener) -> None:
    query = query.replace("{t}", f"http://127.0.0.1:{listener.port}/")
    query = query.replace("{{", "{").replace("}}", "}") if "{{" in query else query
    with pytest.raises((QueryRefused, QuerySyntaxError)):
        classify(query)


def test_deep_nesting_is_refused_before_the_engine_sees_it() -> None:
    depth = MAX_NESTING + 1
    with pytest.raises(QueryTooComplex, match=f"more than {MAX_NESTING} deep"):
        classify("SELECT * WHERE " + "{" * depth + "}" * depth)
    with pytest.raises(QueryTooComplex):
        classify("SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }")
    shallow = MAX_NESTING - 2
    assert classify("SELECT * WHERE " + "{" * shallow + "}" * shallow).form == "SELECT"


def test_a_character_no_token_starts_with_is_a_syntax_error_with_its_place() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        classify("SELECT *\nWHERE { ſERVICE <http://x/> { } }")
    assert (info.value.line, info.value.column) == (2, 9)


def test_a_text_with_no_query_form_says_where_cheaply() -> None:
    text = "PREFIX a: <http://x/>\n" * 40_000 + "SELEKT * WHERE { ?s ?p ?o }"
    with pytest.raises(QuerySyntaxError, match="SELECT, ASK, CONSTRUCT or DESCRIBE") as info:
        classify(text)
    assert info.value.line == 40_001


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("ASK {}", "ASK"),
        ("INSERT DATA {}", ""),
        ("# ask?\nPREFIX a: <http://e/#x>\nBASE <http://e/>\n select * {}", "SELECT"),
        ("PREFIX : <http://e/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ],
)
def test_query_form(text: str, form: str) -> None:
    assert query_form(text) == form
