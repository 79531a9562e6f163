"""Comparable forms of query answers: what "the same answer" means across engines."""

from __future__ import annotations

from decimal import Decimal

from rdflib import BNode, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.query import Result


def term_key(term: object) -> str:
    """A comparable form of a term: numbers by value (Oxigraph stores every integer type
    as ``xsd:integer`` and numbers in canonical form: see test_oxigraph_canonical_numbers)."""
    if isinstance(term, BNode):
        return "_:"  # labels differ from one parse to the next
    if isinstance(term, Literal) and term.datatype is None and term.language is None:
        return " ".join(sorted(term.split()))  # GROUP_CONCAT's order is the engine's choice
    if isinstance(term, Literal) and isinstance(term.value, int | float | Decimal):
        family = "integer" if isinstance(term.value, int) else term.datatype
        return f"{float(term.value)!r}^^{family}"
    return term.n3() if term is not None else "UNBOUND"  # type: ignore[attr-defined]


def canonical_rows(result: Result) -> list[tuple[str, ...]]:
    """A SELECT answer's rows as sorted tuples of :func:`term_key`."""
    return sorted(tuple(term_key(v) for v in row) for row in result)  # type: ignore[union-attr]


def canonical_triples(graph: Graph) -> list[tuple[str, ...]]:
    """A graph's triples as sorted tuples of :func:`term_key` (blank nodes all alike)."""
    return sorted(tuple(term_key(term) for term in triple) for triple in graph)


def same_answer(actual: Result, expected: Result) -> None:
    """Assert two answers are the same: ASK by value, graphs by isomorphism, rows by key."""
    assert actual.type == expected.type
    if expected.type == "ASK":
        assert actual.askAnswer == expected.askAnswer
    elif expected.type in ("CONSTRUCT", "DESCRIBE"):
        assert isomorphic(actual.graph, expected.graph)
    else:
        assert [str(v) for v in actual.vars] == [str(v) for v in expected.vars]
        assert canonical_rows(actual) == canonical_rows(expected)
