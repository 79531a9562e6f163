"""Safe SPARQL execution: read-only, no remote fetching, time and size limits, result formats."""

from __future__ import annotations

import csv
import io
import multiprocessing
import queue
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection
from typing import Any

from pyparsing import ParseBaseException
from rdflib import Graph, Literal
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.query import Result
from rdflib.term import Identifier

from llgraph.errors import QueryError
from llgraph.store import DEFAULT_PREFIXES, Store

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "NotAcceptable",
    "QueryPool",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "ResultTooLarge",
    "SparqlQuery",
    "choose_format",
    "classify",
    "execute",
    "formats_of",
    "serialize_graph",
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

#: rdflib's parse-tree names of the query forms.
FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


class QuerySyntaxError(QueryError):
    """The query is not SPARQL 1.1; ``line`` and ``column`` say where the parser stopped."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line, self.column = line, column


class QueryRefused(QueryError):
    """The query is valid but not allowed here (an update, SERVICE, FROM)."""


class QueryTimeout(QueryError):
    """The query ran longer than the time limit and was stopped."""


class ResultTooLarge(QueryError):
    """The result has more rows or triples than the result-size limit."""


class NotAcceptable(QueryError):
    """None of the formats the client accepts can represent this kind of result."""


@dataclass(frozen=True)
class SparqlQuery:
    """A query that passed :func:`classify`: its text and its form (SELECT, ASK, ...)."""

    text: str
    form: str


def formats_of(form: str) -> dict[str, str]:
    """The formats a result of ``form`` (SELECT, ASK, CONSTRUCT, DESCRIBE) can be written in."""
    return RESULT_FORMATS if form in ("SELECT", "ASK") else GRAPH_FORMATS


# ------------------------------------------------------------------ the guard


def _walk(node: Any) -> Any:
    """Every parse-tree node under ``node`` (rdflib's CompValue is a dict subclass)."""
    yield node
    children = node.values() if isinstance(node, dict) else node
    if isinstance(node, dict | list | tuple) or type(node).__name__ == "ParseResults":
        for child in children:
            if not isinstance(child, str):
                yield from _walk(child)


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseBaseException:
        return False
    return True


def classify(text: str) -> SparqlQuery:
    """Parse ``text`` and refuse what this read-only, offline endpoint must not run.

    Raises :class:`QuerySyntaxError` (with line and column), or :class:`QueryRefused`
    for SPARQL Update, ``SERVICE`` and ``FROM``/``FROM NAMED`` (rdflib would fetch
    a ``FROM`` graph from the web; every fact here is in the one default graph).
    """
    if not text.strip():
        raise QuerySyntaxError("the query is empty", 1, 1)
    try:
        tree = parseQuery(text)
    except ParseBaseException as exc:
        if _is_update(text):
            raise QueryRefused("SPARQL Update is refused: this endpoint is read-only") from exc
        where = f"line {exc.lineno}, column {exc.col}"
        message = f"SPARQL syntax error at {where}: {exc.msg}"
        raise QuerySyntaxError(message, exc.lineno, exc.col) from None
    query = tree[1]
    if "datasetClause" in query:
        raise QueryRefused(
            "FROM and FROM NAMED are refused: all data is in the default graph and this "
            "server never fetches graphs; drop the clause"
        )
    for node in _walk(query):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            raise QueryRefused(
                f"SERVICE <{node.get('term')}> is refused: this server never opens "
                "outbound connections (no federated queries)"
            )
    return SparqlQuery(text, FORMS[query.name])


# ------------------------------------------------------------------ content negotiation


def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((media.lower(), q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q-value the most specific matching range gives ``media`` (-1: no match)."""
    best, specificity = -1.0, -1
    major = media.split("/")[0]
    for accepted, q in ranges:
        rank = 2 if accepted == media else 1 if accepted == f"{major}/*" else 0
        if (rank or accepted == "*/*") and rank > specificity:
            best, specificity = q, rank
    return best


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
    ranges = _accept_ranges(accept or "*/*")
    offers = [(name, media) for name, media in formats.items()]
    offers += [(name, media) for media, name in _ALIASES.items() if name in formats]
    scored = [(_quality(media, ranges), -i, name) for i, (name, media) in enumerate(offers)]
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


def serialize_result(result: Result, fmt: str) -> bytes:
    """A SELECT or ASK result as SPARQL JSON, XML, CSV or TSV (``fmt``)."""
    if fmt == "tsv" and result.type == "SELECT":
        return _write_tsv(result)
    if fmt in ("csv", "tsv") and result.type == "ASK":
        return _write_csv_ask(result).replace(b",", b"\t")
    out = io.BytesIO()
    result.serialize(out, format=fmt, encoding="utf-8")
    return out.getvalue()


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """A graph as Turtle, N-Triples, JSON-LD or RDF/XML (``fmt``), with our prefixes."""
    for prefix, namespace in DEFAULT_PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    return graph.serialize(format=_RDFLIB_GRAPH[fmt], encoding="utf-8")


def _limited(result: Result, limit: int) -> Result:
    """``result`` with at most ``limit`` rows or triples, else :class:`ResultTooLarge`."""
    if result.type == "ASK":
        return result
    if result.type == "SELECT":
        rows = list(islice(result, limit + 1))
        count = len(rows)
    else:
        count = len(result.graph)
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
    :class:`QueryPool` runs this in a process it can kill)."""
    try:
        result = _limited(store.query(query.text, bindings=bindings), limit)
    except QueryError:
        raise
    except Exception as exc:  # the engines raise bare exceptions for semantic errors
        raise QueryError(f"the query failed: {exc}") from exc
    if result.type in ("SELECT", "ASK"):
        return serialize_result(result, fmt)
    return serialize_graph(result.graph, fmt)


# ------------------------------------------------------------------ the worker pool

_FORK = multiprocessing.get_context("fork")
Job = tuple[SparqlQuery, str, dict[str, Identifier], int]


def _work(conn: Connection, store: Store) -> None:
    """A worker's loop: run each job on the store inherited from the parent, send bytes back."""
    store.after_fork()
    while True:
        try:
            query, fmt, bindings, limit = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send((True, execute(store, query, fmt, bindings=bindings, limit=limit)))
        except QueryError as exc:
            conn.send((False, exc))
        except Exception as exc:  # never let a worker die on one bad query
            conn.send((False, QueryError(f"the query failed: {exc}")))


class _Worker:
    """One forked process with its end of a pipe, and the data version it was forked with."""

    def __init__(self, store: Store) -> None:
        self.conn, child = _FORK.Pipe()
        self.version = store.version
        self.process = _FORK.Process(target=_work, args=(child, store), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


class QueryPool:
    """Runs queries in forked worker processes so a runaway query can be killed.

    Neither rdflib nor Oxigraph can interrupt a query from outside its thread: each
    query runs in a worker forked after the data was loaded (sharing it copy-on-write);
    at the time limit the worker is killed and a fresh one forked. Workers forked
    before the store's data was replaced (``store.version`` changed) are replaced
    before their next job. :meth:`run` blocks: call it off the event loop.
    """

    def __init__(
        self, store: Store, *, size: int = 2, timeout: float = 30.0, limit: int = 100_000
    ) -> None:
        self.store, self.size, self.timeout, self.limit = store, size, timeout, limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.stop()

    def _replace(self, worker: _Worker) -> None:
        self._retire(worker)
        self._idle.put(self._spawn())

    def _acquire(self, deadline: float) -> _Worker:
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout(
                f"every query worker stayed busy for {self.timeout:g} s: try again later"
            ) from None
        if worker.version != self.store.version or not worker.process.is_alive():
            self._retire(worker)
            worker = self._spawn()
        return worker

    def run(
        self, query: SparqlQuery, fmt: str, *, bindings: Mapping[str, Identifier] | None = None
    ) -> bytes:
        """``query``'s result written as ``fmt``; :class:`QueryTimeout` past the limit."""
        deadline = time.monotonic() + self.timeout
        worker = self._acquire(deadline)
        try:
            worker.conn.send((query, fmt, dict(bindings or {}), self.limit))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout(
                    f"the query ran longer than the {self.timeout:g} s limit and was stopped"
                )
            ok, payload = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise QueryError("the query's worker process died (out of memory?)") from exc
        except BaseException:
            self._replace(worker)
            raise
        self._idle.put(worker)
        if not ok:
            raise payload
        return payload

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()
