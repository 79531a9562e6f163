"""Test helper: the data with its resources moved under another base (LLGRAPH_BASE_URI)."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node

from llgraph.config import DEFAULT_BASE_URI

#: A base other than the default, for the tests of LLGRAPH_BASE_URI.
OTHER_BASE = "https://example.org/kg/"


def rebased(graph: Graph, base: str) -> Graph:
    """``graph`` with every IRI under ``{DEFAULT_BASE_URI}id/`` moved under ``{base}id/``."""
    old, new = DEFAULT_BASE_URI + "id/", base + "id/"

    def move(term: Node) -> Node:
        if isinstance(term, URIRef) and term.startswith(old):
            return URIRef(new + term.removeprefix(old))
        return term

    out = Graph()
    for s, p, o in graph:
        out.add((move(s), move(p), move(o)))
    return out
