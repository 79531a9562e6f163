"""The store interface every backend implements: replace whole, then query."""

from __future__ import annotations

import hashlib
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.query import Result, ResultRow
from rdflib.term import Identifier

from llgraph.namespaces import PREFIXES

__all__ = ["DEFAULT_PREFIXES", "Store", "graph_fingerprint", "with_default_prefixes"]

#: Prefixes every backend knows without a PREFIX line, so queries run alike everywhere.
DEFAULT_PREFIXES: dict[str, str] = {name: str(ns) for name, ns in PREFIXES.items()}

_DECLARED = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE | re.MULTILINE)


class Store(ABC):
    """A read-mostly RDF store: data is replaced whole and atomically, then queried.

    Every backend answers :meth:`query` with an rdflib :class:`~rdflib.query.Result`
    holding rdflib terms, so the SPARQL endpoint, REST API and network code never see
    which backend they use. Queries may use the prefixes of :data:`DEFAULT_PREFIXES`
    without declaring them.

    ``metadata`` is what the last :meth:`replace` was given (e.g. the manifest of the
    loaded files); a persistent backend keeps it on disk beside the data, so a restart
    on unchanged files need not parse or validate them again.

    Forking: a process that forks workers after loading (the SPARQL endpoint's
    process pool) must call :meth:`after_fork` in each child before its first query.
    The in-memory backends need nothing; a persistent Oxigraph store reopens its
    directory read-only; a remote store opens a fresh HTTP connection.
    """

    name: str = "abstract"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = "empty"
        self.metadata: dict[str, Any] = {}

    @property
    def version(self) -> str:
        """A short fingerprint of the loaded data (changes whenever :meth:`replace` runs)."""
        return self._version

    def replace(
        self,
        graph: Graph,
        *,
        fingerprint: str | None = None,
        files: Sequence[Path] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        """Make ``graph`` the whole content of the store, atomically.

        ``files``, when given, hold exactly the triples of ``graph``: a backend may
        load them directly instead of copying ``graph`` (Oxigraph parses faster).
        """
        with self._lock:
            version = fingerprint or graph_fingerprint(graph)
            self._replace(graph, files=files, version=version, metadata=dict(metadata or {}))
            self._version = version
            self.metadata = dict(metadata or {})

    @abstractmethod
    def _replace(
        self,
        graph: Graph,
        *,
        files: Sequence[Path] | None,
        version: str,
        metadata: dict[str, Any],
    ) -> None: ...

    @abstractmethod
    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run a SPARQL query; ``bindings`` pre-bind variables to RDF terms."""

    def select(
        self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None
    ) -> Iterator[ResultRow]:
        """The rows of a SELECT query (see :meth:`query`)."""
        for row in self.query(sparql, bindings=bindings):
            if not isinstance(row, ResultRow):
                raise TypeError(f"not a SELECT query: {sparql[:80]!r}")
            yield row

    def ask(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> bool:
        """The answer of an ASK query (see :meth:`query`)."""
        return bool(self.query(sparql, bindings=bindings).askAnswer)

    def construct(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        """The graph a CONSTRUCT or DESCRIBE query builds (see :meth:`query`)."""
        graph = self.query(sparql, bindings=bindings).graph
        if graph is None:
            raise TypeError(f"not a CONSTRUCT or DESCRIBE query: {sparql[:80]!r}")
        return graph

    def query_json(
        self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None, limit: int
    ) -> bytes | None:
        """A SELECT or ASK answer written as SPARQL JSON straight from the engine's terms,
        or None where this backend has no faster way than :meth:`query` (the default).

        Raises :class:`~llgraph.errors.ResultTooLarge` past ``limit`` rows.
        """
        return None

    @abstractmethod
    def __len__(self) -> int: ...

    def refresh(self) -> bool:
        """Switch to data another process loaded since this store was opened; True if it did.

        Only a store shared through the file system (``oxigraph:PATH``) can change under
        a running process: the others return False.
        """
        return False

    def after_fork(self) -> None:
        """Make the store usable in a freshly forked child process (see the class doc)."""
        self._lock = threading.Lock()

    def close(self) -> None:
        """Release files and connections; the store is unusable afterwards."""
        self._version = "closed"


def graph_fingerprint(graph: Graph) -> str:
    """A cheap fingerprint of a graph's size and identity, for ETags."""
    return hashlib.sha1(f"{id(graph)}:{len(graph)}".encode()).hexdigest()[:16]


def with_default_prefixes(sparql: str) -> str:
    """``sparql`` with PREFIX lines for the default prefixes it uses but does not declare."""
    declared = {m.group(1) or "" for m in _DECLARED.finditer(sparql)}
    lines = [
        f"PREFIX {name}: <{iri}>"
        for name, iri in DEFAULT_PREFIXES.items()
        if name not in declared and f"{name}:" in sparql
    ]
    return "\n".join([*lines, sparql]) if lines else sparql
