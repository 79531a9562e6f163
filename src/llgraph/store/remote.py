"""Any SPARQL 1.1 server as the store: queried by the protocol, loaded in bounded requests."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier
from tqdm import tqdm

from llgraph.errors import LLGraphError, QueryError, ResultTooLarge, StoreError
from llgraph.sparql.guard import query_form
from llgraph.store.base import Store, with_default_prefixes
from llgraph.store.binding import bind_values
from llgraph.store.cap import RowCap, cut_message, probe_query
from llgraph.store.chunks import ntriples_chunks
from llgraph.store.http import HttpSession, advice, credentials, first_line, safe_url

__all__ = ["RemoteStore", "from_json", "parse_remote_spec"]

log = logging.getLogger(__name__)

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULTS_JSON = "application/sparql-results+json"
RESULTS_CSV = "text/csv"
NTRIPLES = "application/n-triples"
GRAPH_ACCEPT = f"{NTRIPLES}, text/turtle;q=0.9"
RDF_FORMATS = {NTRIPLES: "nt", "text/plain": "nt", "text/turtle": "turtle"}
#: Triples per load request unless ``chunk=N`` says otherwise.
CHUNK = 20_000
#: Seconds to wait for one answer unless ``timeout=SECONDS`` says otherwise.
TIMEOUT = 120.0
#: Seconds between two checks of a ``readonly`` server's data version.
RECHECK = 30.0
#: The cheap summary a ``readonly`` store's data version is a hash of.
SUMMARY = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"

#: An absolute IRI as SPARQL's IRIREF allows it (no spaces, quotes, braces or angle brackets).
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*")

#: What to do when the final ``MOVE`` of a staged load fails.
SWITCH_HINT = (
    "the switch to the new data (one MOVE of the whole staging graph) failed, so the graph "
    "keeps its previous data on a server that runs an update as one transaction (Virtuoso "
    "and Oxigraph do). A server may end a long update at its own time limit (Virtuoso: "
    "MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini bounds every update): "
    "raise it, or load without update= (Graph Store requests straight into the graph, "
    "which readers may see half loaded)"
)
#: Said when a failed load's staging graph could not be dropped.
LEFT_OVER = "the staging graph <{graph}> is left on the server: drop it when it is less busy"

SPEC_HELP = (
    "sparql:QUERY_URL[,update=URL][,store=URL][,graph=IRI][,readonly][,chunk=N]"
    "[,timeout=SECONDS]"
    " (credentials from LLGRAPH_SPARQL_USER and LLGRAPH_SPARQL_PASSWORD)"
)


def from_json(term: Mapping[str, str]) -> Identifier:
    """An rdflib term from a SPARQL JSON results binding (``xsd:string`` made untyped)."""
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    lang = term.get("xml:lang") or term.get("lang")
    if lang:
        return Literal(value, lang=lang)
    datatype = term.get("datatype")
    return Literal(value, datatype=None if datatype in (None, XSD_STRING) else URIRef(datatype))


def parse_remote_spec(rest: str) -> RemoteStore:
    """A :class:`RemoteStore` from the part of a store spec after ``sparql:``."""
    query_url, *options = rest.split(",")
    known: dict[str, str | None] = dict.fromkeys(("update", "store", "graph", "chunk", "timeout"))
    readonly = False
    for option in options:
        key, sep, value = option.partition("=")
        if option == "readonly":
            readonly = True
        elif not sep or key not in known or not value:
            raise StoreError(f"bad option {option!r} in sparql:{safe_url(rest)}: use {SPEC_HELP}")
        else:
            known[key] = value
    if not query_url.startswith(("http://", "https://")):
        raise StoreError(f"bad SPARQL endpoint {safe_url(query_url)!r}: give an http(s):// URL")
    if any(
        "@" in urlsplit(url).netloc for url in (query_url, known["update"], known["store"]) if url
    ):
        raise StoreError(
            "put no user:password@ in the store's URLs (they show in process lists and logs): "
            "set LLGRAPH_SPARQL_USER and LLGRAPH_SPARQL_PASSWORD instead"
        )
    graph = known["graph"]
    if graph is not None and not _IRI.fullmatch(graph):
        raise StoreError(f"graph={graph!r} is not an absolute IRI (e.g. https://example.org/g)")
    chunk = known["chunk"]
    if chunk is not None and (not chunk.isdigit() or int(chunk) < 1):
        raise StoreError(f"chunk={chunk!r} is not a positive number of triples")
    return RemoteStore(
        query_url,
        update_url=known["update"],
        store_url=known["store"],
        graph_iri=known["graph"],
        readonly=readonly,
        chunk=int(chunk) if chunk else CHUNK,
        timeout=_seconds(known["timeout"]),
    )


def _seconds(text: str | None) -> float:
    """The ``timeout=`` option's seconds (:data:`TIMEOUT` when not given)."""
    if text is None:
        return TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise StoreError(f"timeout={text!r} is not a positive number of seconds")
    return seconds


class RemoteStore(Store):
    """A SPARQL 1.1 server: ``sparql:QUERY_URL[,OPTIONS]`` (the options: :data:`SPEC_HELP`).

    With ``graph=IRI`` the data lives in that named graph and every query runs with it
    as the protocol's ``default-graph-uri``; otherwise in the server's default graph.
    A load sends bounded requests (``chunk`` triples each) into a fresh staging graph,
    then switches it in with one ``MOVE`` update (atomic on a transactional server);
    with only ``store=`` (no ``update=``) it PUTs the first request and POSTs the rest
    into the graph, which is atomic only when the data fits one request.
    ``readonly`` never writes: the data version is a hash of a cheap summary of what
    the server holds, re-checked at most every :data:`RECHECK` seconds. An answer that
    meets the server's result size limit (:class:`~llgraph.store.cap.RowCap`) is an error.
    """

    name = "sparql"

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        graph_iri: str | None = None,
        readonly: bool = False,
        chunk: int = CHUNK,
        timeout: float = TIMEOUT,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.query_url, self.update_url, self.store_url = query_url, update_url, store_url
        self.graph_iri, self.readonly, self.chunk = graph_iri, readonly, chunk
        #: Show a progress bar while loading (None: on a terminal, for loads of many requests).
        self.progress: bool | None = None
        self._http = HttpSession(timeout=timeout, auth=credentials(environ))
        self._checked = float("-inf")
        #: What is known of the server's cap on answer sizes (answers that meet it are errors).
        self.cap = RowCap()

    # -- reading ---------------------------------------------------------------------

    @property
    def version(self) -> str:
        """The data version; on a ``readonly`` store, taken from the server's data."""
        try:
            self.refresh()
        except LLGraphError as exc:  # keep answering; the next check tries again
            log.warning("could not re-check the data version: %s", exc)
        return self._version

    def refresh(self, *, force: bool = False) -> bool:
        """On a ``readonly`` store, re-read the server's data version when :data:`RECHECK`
        seconds have passed since the last look (or ``force``); True if it changed."""
        if not self.readonly or not (force or time.monotonic() - self._checked > RECHECK):
            return False
        self._checked = time.monotonic()
        before, self._version = self._version, self.server_version()
        return self._version != before

    def server_version(self) -> str:
        """The server's data version now: a hash of :data:`SUMMARY`'s answer."""
        rows = [(str(p), str(n)) for p, n in self.select(SUMMARY)]
        return "server-" + hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]

    def _post_query(self, text: str, accept: str) -> httpx.Response:
        form = {"query": text}
        if self.graph_iri:
            form["default-graph-uri"] = self.graph_iri
        response = self._http.send(
            "POST", self.query_url, idempotent=True, data=form, headers={"Accept": accept}
        )
        if response.status_code != 200:
            raise QueryError(self._refusal(response, "the query", writing=False))
        if _partial(response):
            raise QueryError(
                f"the SPARQL server at {safe_url(self.query_url)} stopped the query at its "
                "time limit and answered with what it had found so far: llgraph refuses a "
                "partial answer. Narrow the query, or raise the server's limit (Virtuoso: "
                "MaxQueryExecutionTime and ExecutionTimeout in the [SPARQL] section)"
            )
        return response

    def _declared_cap(self, response: httpx.Response) -> int | None:
        """The cap an answer says it was cut at (Virtuoso's ``X-SPARQL-MaxRows`` header)."""
        cut = response.headers.get("x-sparql-maxrows", "").strip()
        return int(cut) if cut.isdigit() else None

    def _probe(self, rows: int) -> tuple[int, int | None]:
        """Ask for ``rows`` rows that read no data: the rows that came, and any declared cap."""
        response = self._post_query(probe_query(rows), RESULTS_CSV)
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != RESULTS_CSV:  # rows of another format cannot be counted by lines
            raise QueryError(f"the SPARQL server answered a CSV request with {kind or '?'}")
        came = sum(1 for line in response.text.splitlines() if line.strip()) - 1
        return came, self._declared_cap(response)

    def _checked_size(self, result: Result, response: httpx.Response) -> Result:
        """``result``, unless the server cut it (said so, or it is as long as the cap)."""
        graph = result.graph
        size, unit = (len(result.bindings), "rows") if graph is None else (len(graph), "triples")
        declared = self._declared_cap(response)
        if declared is not None:
            self.cap.declared(declared)
            raise ResultTooLarge(cut_message(size, declared, unit))
        self.cap.check(size, self._probe, unit)
        return result

    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result:
        text = with_default_prefixes(sparql)
        for name, value in reversed(list((bindings or {}).items())):
            # one VALUES block per parameter: the same join as one block of them all, which
            # Virtuoso 7 fails to compile ("no SPART_VARR_FIXED") in some queries
            text = bind_values(text, {name: value})
        form = query_form(text)
        if form in ("CONSTRUCT", "DESCRIBE"):
            response = self._post_query(text, GRAPH_ACCEPT)
            return self._checked_size(_graph_result(form, response), response)
        response = self._post_query(text, RESULTS_JSON)
        try:
            payload = response.json()
        except ValueError as exc:
            kind = response.headers.get("content-type", "?")
            raise QueryError(
                f"the SPARQL server at {safe_url(self.query_url)} answered {kind}, not SPARQL "
                "JSON results: is QUERY_URL its SPARQL endpoint?"
            ) from exc
        result = _json_result(payload, ask=form == "ASK")
        return result if form == "ASK" else self._checked_size(result, response)

    def __len__(self) -> int:
        row = next(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        return int(str(row[0]))

    # -- writing ---------------------------------------------------------------------

    def _replace(
        self,
        graph: Graph,
        *,
        files: Sequence[Path] | None,
        version: str,
        metadata: dict[str, Any],
    ) -> None:
        if self.readonly:
            raise StoreError(
                f"the SPARQL store at {safe_url(self.query_url)} is readonly: llgraph never "
                "writes to it; drop ',readonly' (and give update= or store=) to load"
            )
        if not (self.update_url or self.store_url):
            raise StoreError(
                f"the SPARQL store at {safe_url(self.query_url)} is read-only: add update=URL "
                "(SPARQL Update) or store=URL (Graph Store Protocol), or ',readonly' to "
                "query what it holds"
            )
        chunks = ntriples_chunks(graph, self.chunk)
        with self._bar(len(graph)) as bar:
            if self.update_url:
                self._staged_load(chunks, bar)
            else:
                self._graph_store_load(chunks, bar.update)

    def _bar(self, total: int) -> tqdm:
        show = self.progress
        if show is None:
            show = sys.stderr.isatty() and total > self.chunk
        return tqdm(total=total, unit=" triples", desc="sending", file=sys.stderr, disable=not show)

    def _staged_load(self, chunks: Iterator[tuple[bytes, int]], bar: tqdm) -> None:
        """Load into a fresh staging graph, then ``MOVE`` it over the target in one update."""
        staging = f"urn:llgraph:staging:{uuid.uuid4()}"
        target = f"GRAPH <{self.graph_iri}>" if self.graph_iri else "DEFAULT"
        try:
            for number, (body, count) in enumerate(chunks):
                self._send_into(staging, body, first=number == 0)
                bar.update(count)
            bar.set_description("switching in (MOVE)")  # one update: minutes at 1M triples
            self._update(f"MOVE SILENT GRAPH <{staging}> TO {target}", SWITCH_HINT)
        except BaseException as exc:
            if not self._drop_quietly(staging) and isinstance(exc, StoreError):
                raise StoreError(f"{exc}; {LEFT_OVER.format(graph=staging)}") from exc
            raise

    def _graph_store_load(self, chunks: Iterator[tuple[bytes, int]], sent: Callable) -> None:
        """PUT the first request into the target graph, POST the rest (no switch possible)."""
        for number, (body, count) in enumerate(chunks):
            self._gsp(self.graph_iri, body, first=number == 0)
            sent(count)

    def _send_into(self, graph_iri: str, body: bytes, *, first: bool) -> None:
        if self.store_url:
            self._gsp(graph_iri, body, first=first)
        else:
            data = b"INSERT DATA { GRAPH <" + graph_iri.encode() + b"> {\n" + body + b"} }"
            self._update(data)

    def _gsp(self, graph_iri: str | None, body: bytes, *, first: bool) -> None:
        assert self.store_url is not None
        params = {"graph": graph_iri} if graph_iri else {"default": ""}
        headers = {"Content-Type": NTRIPLES}
        response = self._http.send(
            "PUT" if first else "POST",
            self.store_url,
            idempotent=False,
            params=params,
            content=body,
            headers=headers,
        )
        if response.status_code >= 300:
            raise StoreError(self._refusal(response, "the data", writing=True))

    def _update(self, text: str | bytes, hint: str | None = None) -> None:
        """Send one SPARQL Update; a refusal names ``hint`` (if given) as what to do."""
        assert self.update_url is not None
        body = text.encode() if isinstance(text, str) else text
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        response = self._http.send(
            "POST", self.update_url, idempotent=False, content=body, headers=headers
        )
        if response.status_code >= 300:
            raise StoreError(self._refusal(response, "the update", writing=True, hint=hint))

    def _drop_quietly(self, graph_iri: str) -> bool:
        """Drop ``graph_iri``, by Graph Store ``DELETE`` where there is one (a server's time
        limit on updates may stop a ``DROP`` of a big graph); False if it is still there."""
        try:
            if self.store_url:
                response = self._http.send(
                    "DELETE", self.store_url, idempotent=True, params={"graph": graph_iri}
                )
                if response.status_code < 300 or response.status_code == 404:
                    return True
            self._update(f"DROP SILENT GRAPH <{graph_iri}>")
        except StoreError:
            return False
        return True

    def _refusal(
        self, response: httpx.Response, what: str, *, writing: bool, hint: str | None = None
    ) -> str:
        url = safe_url(str(response.request.url).split("?")[0])
        line = first_line(response)
        said = f": {line}" if line else ""
        status = f"{response.status_code} {response.reason_phrase}".strip()
        message = f"the SPARQL server at {url} refused {what} ({status}){said}"
        if response.status_code < 500 or not hint:  # ``hint`` is for the server's own failures
            hint = advice(response.status_code, writing)
        if writing and not self.graph_iri and "default graph" in line.lower():
            hint = "this server has no plain default graph: give graph=IRI"
        return f"{message} — {hint}"

    # -- processes -------------------------------------------------------------------

    def after_fork(self) -> None:
        super().after_fork()
        self._http.forget()

    def close(self) -> None:
        super().close()
        self._http.close()


def _partial(response: httpx.Response) -> bool:
    """Whether a server says this answer is partial: Virtuoso's "anytime" answers, cut at a
    time limit, carry ``X-SQL-State: S1TAT`` (7.2) or ``X-SPARQL-Anytime`` (later)."""
    state = response.headers.get("x-sql-state", "").strip().upper()
    return state == "S1TAT" or "x-sparql-anytime" in response.headers


def _graph_result(form: str, response: httpx.Response) -> Result:
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in RDF_FORMATS:
        raise QueryError(f"the SPARQL server answered a {form} query with {kind or '?'}, not RDF")
    result = Result(form)
    result.graph = Graph().parse(data=response.text, format=RDF_FORMATS[kind])
    return result


def _json_result(payload: dict[str, Any], *, ask: bool) -> Result:
    if "boolean" in payload:
        result = Result("ASK")
        result.askAnswer = bool(payload["boolean"])
        return result
    rows = payload.get("results", {}).get("bindings", [])
    if ask:  # some servers (Virtuoso) answer ASK as one row of one value, e.g. __ASK_RETVAL
        values = [v.get("value") for row in rows for v in row.values()]
        result = Result("ASK")
        result.askAnswer = bool(values) and values[0] in ("1", "true")
        return result
    result = Result("SELECT")
    result.vars = [Variable(v) for v in payload["head"].get("vars", [])]
    result.bindings = [{Variable(k): from_json(v) for k, v in row.items()} for row in rows]
    return result
