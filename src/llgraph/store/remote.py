"""Any SPARQL 1.1 server as the store: loaded by Graph Store Protocol or Update."""

from __future__ import annotations

import http.client
import json
import os
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier, Node

from llgraph.errors import QueryError, StoreError
from llgraph.store.base import Store, with_default_prefixes
from llgraph.store.binding import bind_values

__all__ = ["RemoteStore", "from_json"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
ACCEPT = f"{RESULTS_JSON}, {NTRIPLES};q=0.9"


def from_json(term: Mapping[str, str]) -> Node:
    """An rdflib term from a SPARQL JSON results binding (``xsd:string`` made untyped)."""
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in term:
        return Literal(value, lang=term["xml:lang"])
    datatype = term.get("datatype")
    return Literal(value, datatype=None if datatype in (None, XSD_STRING) else URIRef(datatype))


class RemoteStore(Store):
    """A SPARQL 1.1 server: ``sparql:QUERY_URL[,update=URL][,store=URL]``.

    Loading PUTs N-Triples to the Graph Store Protocol endpoint (``store=``, one
    atomic request) or, without one, sends ``CLEAR DEFAULT; INSERT DATA`` as one
    update (``update=``). Each process and thread keeps its own HTTP connection.
    """

    name = "sparql"

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = 120.0,
    ) -> None:
        super().__init__()
        self.query_url, self.update_url, self.store_url = query_url, update_url, store_url
        self.timeout = timeout
        self._local = threading.local()
        self._graph_cache: tuple[str, Graph] | None = None

    def _connection(self, url: str) -> http.client.HTTPConnection:
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc, os.getpid())
        conns = self._local.__dict__.setdefault("conns", {})
        if key not in conns:
            https = parts.scheme == "https"
            factory = http.client.HTTPSConnection if https else http.client.HTTPConnection
            conns[key] = factory(parts.netloc, timeout=self.timeout)
        return conns[key]

    def _request(
        self, method: str, url: str, body: bytes | BinaryIO, headers: dict[str, str]
    ) -> tuple[int, str, bytes]:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):
            conn = self._connection(url)
            try:
                conn.request(method, target or "/", body=body, headers=headers)
                response = conn.getresponse()
                return response.status, response.getheader("Content-Type", ""), response.read()
            except (http.client.HTTPException, OSError) as exc:
                conn.close()
                self._local.conns.clear()
                if attempt == 2 or not isinstance(body, bytes):
                    raise StoreError(f"cannot reach the SPARQL server at {url}: {exc}") from exc
        raise AssertionError("unreachable")

    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result:
        text = bind_values(with_default_prefixes(sparql), bindings or {})
        headers = {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": ACCEPT}
        status, ctype, body = self._request("POST", self.query_url, text.encode(), headers)
        if status != 200:
            raise QueryError(f"the SPARQL server refused the query ({status}): {body.decode()}")
        if ctype.startswith(NTRIPLES):
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=body.decode(), format="nt")
            return result
        return _json_result(json.loads(body))

    def _replace(
        self,
        graph: Graph,
        *,
        files: Sequence[Path] | None,
        version: str,
        metadata: dict[str, Any],
    ) -> None:
        if self.store_url:
            with tempfile.TemporaryFile() as dump:
                graph.serialize(destination=dump, format="nt", encoding="utf-8")
                size = dump.tell()
                dump.seek(0)
                headers = {"Content-Type": NTRIPLES, "Content-Length": str(size)}
                self._write("PUT", self._default_graph_url(), dump, headers)
        elif self.update_url:
            data = graph.serialize(format="nt", encoding="utf-8")
            text = b"CLEAR DEFAULT ;\nINSERT DATA {\n" + data + b"}\n"
            headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
            self._write("POST", self.update_url, text, headers)
        else:
            raise StoreError(
                f"the SPARQL store at {self.query_url} is read-only: "
                "add update=URL (SPARQL Update) or store=URL (Graph Store Protocol)"
            )

    def _default_graph_url(self) -> str:
        assert self.store_url is not None
        return self.store_url + ("&" if "?" in self.store_url else "?") + "default"

    def _write(self, method: str, url: str, body: bytes | BinaryIO, headers: dict) -> None:
        status, _, answer = self._request(method, url, body, headers)
        if status >= 300:
            raise StoreError(f"the SPARQL server refused the data ({status}): {answer.decode()}")

    def graph(self) -> Graph:
        """A copy of the data as an rdflib Graph, fetched once per version."""
        cached = self._graph_cache
        if cached is None or cached[0] != self._version:
            answer = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
            cached = self._graph_cache = (self._version, answer.graph or Graph())
        return cached[1]

    def __len__(self) -> int:
        rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        return int(rows[0][0])  # type: ignore[index]

    def after_fork(self) -> None:
        super().after_fork()
        self._local = threading.local()

    def close(self) -> None:
        super().close()
        for conn in self._local.__dict__.get("conns", {}).values():
            conn.close()
        self._local = threading.local()


def _json_result(payload: dict[str, Any]) -> Result:
    if "boolean" in payload:
        result = Result("ASK")
        result.askAnswer = bool(payload["boolean"])
        return result
    names = [Variable(v) for v in payload["head"].get("vars", [])]
    result = Result("SELECT")
    result.vars = names
    result.bindings = [
        {Variable(k): from_json(v) for k, v in row.items()}
        for row in payload["results"]["bindings"]
    ]
    return result
