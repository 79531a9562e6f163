"""rdflib's in-memory store: the reference every other backend must agree with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pyparsing import ParseException
from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Identifier

from llgraph.errors import QueryError
from llgraph.store.base import DEFAULT_PREFIXES, Store

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    """rdflib's in-memory store: the reference every other backend must agree with."""

    name = "memory"

    def __init__(self) -> None:
        super().__init__()
        self._graph = Graph()

    def _replace(
        self,
        graph: Graph,
        *,
        files: Sequence[Path] | None,
        version: str,
        metadata: dict[str, Any],
    ) -> None:
        self._graph = graph

    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result:
        try:
            return self._graph.query(
                sparql, initNs=DEFAULT_PREFIXES, initBindings=dict(bindings or {})
            )
        except ParseException as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc

    def graph(self) -> Graph:
        return self._graph

    def __len__(self) -> int:
        return len(self._graph)
