"""A graph cut into bounded N-Triples documents, each blank node whole in one of them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import BNode, Graph
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

__all__ = ["ntriples_chunks"]

Triple = tuple[Node, Node, Node]


def _root(parent: dict[BNode, BNode], node: BNode) -> BNode:
    while (up := parent.setdefault(node, node)) != node:
        parent[node] = node = parent.setdefault(up, up)
    return node


def _bnode_groups(triples: Iterable[Triple]) -> tuple[list[Triple], dict[BNode, list[Triple]]]:
    """Triples without blank nodes, and the others grouped by connected blank nodes.

    A blank node's label only holds within one request, so every triple naming a
    blank node must travel with every other triple naming it (or a node linked to it).
    """
    plain: list[Triple] = []
    linked: list[tuple[BNode, Triple]] = []
    parent: dict[BNode, BNode] = {}
    for triple in triples:
        s, _, o = triple
        blanks = [n for n in (s, o) if isinstance(n, BNode)]
        if not blanks:
            plain.append(triple)
            continue
        roots = [_root(parent, n) for n in blanks]
        if len(roots) == 2 and roots[0] != roots[1]:
            parent[roots[1]] = roots[0]
        linked.append((blanks[0], triple))
    groups: dict[BNode, list[Triple]] = {}
    for node, triple in linked:
        groups.setdefault(_root(parent, node), []).append(triple)
    return plain, groups


def ntriples_chunks(graph: Graph, size: int) -> Iterator[tuple[bytes, int]]:
    """``graph`` as N-Triples documents of about ``size`` triples each, with their counts.

    A group of triples sharing blank nodes is never split (it may make a chunk longer).
    """
    plain, groups = _bnode_groups(graph)
    rows: list[str] = []

    def flush() -> tuple[bytes, int]:
        chunk = ("".join(rows).encode("utf-8"), len(rows))
        rows.clear()
        return chunk

    for triple in plain:
        rows.append(_nt_row(triple))
        if len(rows) >= size:
            yield flush()
    for group in groups.values():
        rows.extend(_nt_row(t) for t in group)
        if len(rows) >= size:
            yield flush()
    if rows:
        yield flush()
