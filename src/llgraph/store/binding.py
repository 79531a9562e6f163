"""Parameters bound as terms in the query text: a ``VALUES`` block at the top of WHERE.

For SPARQL servers reached over HTTP (``store/remote.py``), which take no bindings beside
the query, and for Oxigraph when a SELECT does not project a parameter (it substitutes
only projected variables); the in-memory backends otherwise bind in the engine.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import BNode
from rdflib.term import Identifier

from llgraph.errors import QueryError

__all__ = ["bind_values"]


def _skip(text: str, i: int) -> int:
    """The index after the comment, string or IRI starting at ``i`` (else ``i + 1``)."""
    ch = text[i]
    if ch == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end + 1
    if ch == "<":
        end = text.find(">", i)
        return i + 1 if end < 0 or any(c.isspace() for c in text[i:end]) else end + 1
    if ch in "\"'":
        quote = ch * 3 if text.startswith(ch * 3, i) else ch
        j = i + len(quote)
        while j < len(text) and not text.startswith(quote, j):
            j += 2 if text[j] == "\\" else 1
        return j + len(quote)
    return i + 1


def _where_brace(sparql: str) -> int:
    """The index of the ``{`` opening the query's WHERE clause."""
    i, depth, braces = 0, 0, []
    while i < len(sparql):
        ch = sparql[i]
        if ch == "{":
            if depth == 0:
                braces.append(i)
            depth += 1
        elif ch == "}":
            depth -= 1
        i = _skip(sparql, i) if ch in "#<\"'" else i + 1
    if not braces:
        raise QueryError("the query has no WHERE clause to bind parameters in")
    head = sparql[: braces[0]].upper()
    is_template = "CONSTRUCT" in head and "WHERE" not in head.rsplit("CONSTRUCT", 1)[1]
    return braces[1] if is_template and len(braces) > 1 else braces[0]


def bind_values(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """``sparql`` with a ``VALUES`` block pre-binding ``bindings`` at the top of WHERE."""
    if not bindings:
        return sparql
    if any(isinstance(v, BNode) for v in bindings.values()):
        raise QueryError("a blank node cannot be a query parameter: bind an IRI or a literal")
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(v.n3() for v in bindings.values())
    at = _where_brace(sparql) + 1
    return f"{sparql[:at]} VALUES ({names}) {{ ({terms}) }} {sparql[at:]}"
