"""The store interface and ``open_store``: one way to open the graph, whatever the backend."""

from __future__ import annotations

import hashlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Identifier

from llgraph.errors import StoreError

__all__ = ["MemoryStore", "Store", "open_store"]


class Store(ABC):
    """A read-mostly RDF store: data is replaced whole and atomically, then queried.

    Every backend answers :meth:`query` with an rdflib :class:`~rdflib.query.Result`,
    so the SPARQL endpoint, REST API and network code never see which backend they use.
    """

    name: str = "abstract"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = "empty"

    @property
    def version(self) -> str:
        """A short fingerprint of the loaded data (changes whenever :meth:`replace` runs)."""
        return self._version

    def replace(self, graph: Graph, *, fingerprint: str | None = None) -> None:
        """Make ``graph`` the whole content of the store, atomically."""
        with self._lock:
            self._replace(graph)
            self._version = fingerprint or graph_fingerprint(graph)

    @abstractmethod
    def _replace(self, graph: Graph) -> None: ...

    @abstractmethod
    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run a SPARQL query; ``bindings`` pre-bind variables to RDF terms."""

    @abstractmethod
    def graph(self) -> Graph:
        """The data as an rdflib Graph (a live view or a copy, read-only by contract)."""

    @abstractmethod
    def __len__(self) -> int: ...


class MemoryStore(Store):
    """rdflib's in-memory store: the reference every other backend must agree with."""

    name = "memory"

    def __init__(self) -> None:
        super().__init__()
        self._graph = Graph()

    def _replace(self, graph: Graph) -> None:
        self._graph = graph

    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result:
        return self._graph.query(sparql, initBindings=dict(bindings or {}))

    def graph(self) -> Graph:
        return self._graph

    def __len__(self) -> int:
        return len(self._graph)


def graph_fingerprint(graph: Graph) -> str:
    """A cheap fingerprint of a graph's size and identity, for ETags."""
    return hashlib.sha1(f"{id(graph)}:{len(graph)}".encode()).hexdigest()[:16]


def open_store(spec: str = "memory") -> Store:
    """Open the store named by ``spec`` (``memory``; more backends plug in here)."""
    if spec == "memory":
        return MemoryStore()
    raise StoreError(f"unknown store {spec!r}: use 'memory'")
