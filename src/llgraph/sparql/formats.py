"""Result formats: choosing one (Accept read by :mod:`llgraph.conneg`), serialisation, and
running a query within a size limit."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from itertools import islice

from rdflib import Graph, Literal
from rdflib.query import Result, ResultRow
from rdflib.term import Identifier

from llgraph.conneg import accept_ranges, quality
from llgraph.errors import NotAcceptable, QueryError, ResultTooLarge
from llgraph.sparql.guard import SparqlQuery, engine_syntax_error, explain
from llgraph.store import DEFAULT_PREFIXES, Store

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "choose_format",
    "execute",
    "formats_of",
    "serialize_graph",
    "serialize_result",
    "xml_checked",
]

#: Result formats of SELECT and ASK: format name → media type (server preference order).
RESULT_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: RDF formats of CONSTRUCT and DESCRIBE: format name → media type.
GRAPH_FORMATS: dict[str, str] = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
}
#: Other media types clients send for the same formats.
_ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
    "text/n-triples": "nt",
    "text/n3": "turtle",
    "text/rdf+n3": "turtle",
}
#: Other names of the ``format`` parameter.
_FORMAT_NAMES = {
    "ttl": "turtle",
    "n3": "turtle",  # Turtle is N3: answers clients (SPARQLWrapper) that ask for N3
    "ntriples": "nt",
    "n-triples": "nt",
    "jsonld": "json-ld",
    "rdfxml": "xml",
    "rdf+xml": "xml",
}
_RDFLIB_GRAPH = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "xml": "xml"}


def formats_of(form: str) -> dict[str, str]:
    """The formats a result of ``form`` (SELECT, ASK, CONSTRUCT, DESCRIBE) can be written in."""
    return RESULT_FORMATS if form in ("SELECT", "ASK") else GRAPH_FORMATS


# ------------------------------------------------------------------ content negotiation


def choose_format(
    form: str, accept: str = "", fmt: str | None = None, *, only: tuple[str, ...] = ()
) -> str:
    """The format name to write a ``form`` (SELECT, ASK, CONSTRUCT, DESCRIBE) result in.

    An explicit ``fmt`` (the ``format`` parameter: a name such as ``csv`` or a media
    type) wins; else the ``Accept`` header with its q-values; else JSON or Turtle.
    ``only`` restricts the formats offered. Raises :class:`NotAcceptable` when
    nothing offered is acceptable.
    """
    formats = {k: v for k, v in formats_of(form).items() if not only or k in only}
    if fmt:
        name = _FORMAT_NAMES.get(fmt.lower(), fmt.lower())
        name = _ALIASES.get(name, name)
        name = next((k for k, v in formats.items() if v == name), name)
        if name == "json" and form not in ("SELECT", "ASK"):
            name = "json-ld"
        if name not in formats:
            raise NotAcceptable(
                f"format {fmt!r} cannot hold a {form} result: use one of " + ", ".join(formats)
            )
        return name
    ranges = accept_ranges(accept or "*/*")
    offers = [(name, media) for name, media in formats.items()]
    offers += [(name, media) for media, name in _ALIASES.items() if name in formats]
    scored = [(quality(media, ranges), -i, name) for i, (name, media) in enumerate(offers)]
    q, _, name = max(scored)
    if q <= 0:
        raise NotAcceptable(
            f"no acceptable format for a {form} result; this endpoint writes "
            + ", ".join(formats.values())
        )
    return name


# ------------------------------------------------------------------ serialisation


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: Identifier | None) -> str:
    """A term as SPARQL TSV writes it: N-Triples syntax on one line."""
    if not isinstance(term, Literal):
        return "" if term is None else term.n3()
    text = '"' + str(term).translate(_TSV_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    return f"{text}^^<{term.datatype}>" if term.datatype else text


def _write_tsv(result: Result) -> bytes:
    lines = ["\t".join(f"?{v}" for v in result.vars or [])]
    lines += [
        "\t".join(_tsv_term(row.get(v)) for v in result.vars or []) for row in result.bindings
    ]
    return ("\n".join(lines) + "\n").encode()


def _write_csv_ask(result: Result) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([["_askResult"], [str(bool(result.askAnswer)).lower()]])
    return out.getvalue().encode()


def _write_tsv_ask(result: Result) -> bytes:
    """An ASK answer as TSV: the header ``?_askResult`` (TSV names variables with their
    ``?``, as Jena writes it), then ``true`` or ``false``, lines ended by LF."""
    return f"?_askResult\n{str(bool(result.askAnswer)).lower()}\n".encode()


#: Characters XML 1.0 cannot carry, raw or as character references.
_NOT_XML = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]"
    rb"|&#(?:x0*(?:[0-8bcef]|1[0-9a-f])|0*(?:[0-8]|1[12]|1[4-9]|2[0-9]|3[01]));",
    re.IGNORECASE,
)


def xml_checked(body: bytes) -> bytes:
    """``body`` (an XML answer) if it is well-formed XML 1.0 as far as characters go; else
    :class:`NotAcceptable`: the data holds a control character that XML cannot carry."""
    found = _NOT_XML.search(body)
    if found:
        raise NotAcceptable(
            f"the answer holds a control character ({found[0]!r}) that XML 1.0 cannot "
            "carry: ask for JSON, CSV, Turtle or N-Triples instead"
        )
    return body


def serialize_result(result: Result, fmt: str) -> bytes:
    """A SELECT or ASK result as SPARQL JSON, XML, CSV or TSV (``fmt``)."""
    if fmt == "tsv" and result.type == "SELECT":
        return _write_tsv(result)
    if fmt == "csv" and result.type == "ASK":
        return _write_csv_ask(result)
    if fmt == "tsv" and result.type == "ASK":
        return _write_tsv_ask(result)
    out = io.BytesIO()
    result.serialize(out, format=fmt, encoding="utf-8")
    return xml_checked(out.getvalue()) if fmt == "xml" else out.getvalue()


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """A graph as Turtle, N-Triples, JSON-LD or RDF/XML (``fmt``), with our prefixes."""
    for prefix, namespace in DEFAULT_PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    body = graph.serialize(format=_RDFLIB_GRAPH[fmt], encoding="utf-8")
    return xml_checked(body) if fmt == "xml" else body


def _limited(result: Result, limit: int) -> Result:
    """``result`` with at most ``limit`` rows or triples, else :class:`ResultTooLarge`."""
    if result.type == "ASK":
        return result
    graph = result.graph
    if result.type == "SELECT":
        rows = [row for row in islice(result, limit + 1) if isinstance(row, ResultRow)]
        count = len(rows)
    else:
        count = len(graph) if graph is not None else 0
    if count > limit:
        unit = "rows" if result.type == "SELECT" else "triples"
        raise ResultTooLarge(
            f"the result has more than {limit} {unit}: add a LIMIT or narrow the query"
        )
    if result.type == "SELECT":
        names = list(result.vars or [])
        copy = Result("SELECT")
        copy.vars = names
        copy.bindings = [{v: row[v] for v in names if row[v] is not None} for row in rows]
        return copy
    return result


def execute(
    store: Store,
    query: SparqlQuery,
    fmt: str,
    *,
    bindings: Mapping[str, Identifier] | None = None,
    limit: int = 100_000,
) -> bytes:
    """Run ``query`` on ``store`` and write its result as ``fmt`` (no time limit here:
    :class:`QueryPool` runs this in a process it can kill).

    JSON answers come straight from the engine's terms where the store can write them
    (:meth:`Store.query_json`); a failure the grammar explains is a
    :class:`QuerySyntaxError` with its line and column.
    """
    try:
        if fmt == "json":
            body = store.query_json(query.text, bindings=bindings, limit=limit)
            if body is not None:
                return body
        result = _limited(store.query(query.text, bindings=bindings), limit)
    except (ResultTooLarge, MemoryError):
        raise
    except QueryError as exc:
        raise explain(query.text) or engine_syntax_error(str(exc)) or exc from None
    except Exception as exc:  # the engines raise bare exceptions for semantic errors
        raise explain(query.text) or QueryError(f"the query failed: {exc}") from exc
    if result.graph is None:
        return serialize_result(result, fmt)
    return serialize_graph(result.graph, fmt)
