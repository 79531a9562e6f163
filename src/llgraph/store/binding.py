"""Parameters bound as terms in the query text: a ``VALUES`` block at the top of WHERE.

For SPARQL servers reached over HTTP (``store/remote.py``), which take no bindings beside
the query, and for Oxigraph when a SELECT does not project a parameter (it substitutes
only projected variables); the in-memory backends otherwise bind in the engine. The place
is found by SPARQL's own terminals (:mod:`llgraph.sparql.lexer`), never by a look-alike.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import BNode
from rdflib.term import Identifier

from llgraph.errors import QueryError
from llgraph.sparql.lexer import LexError, Token, tokens

__all__ = ["bind_values"]

_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


def _top_braces(found: list[Token]) -> list[int]:
    """The indexes of the ``{`` tokens that open a top-level group."""
    depth, braces = 0, []
    for i, token in enumerate(found):
        if token.text == "{":
            if depth == 0:
                braces.append(i)
            depth += 1
        elif token.text == "}":
            depth -= 1
    return braces


def _where_brace(sparql: str) -> int:
    """The offset of the ``{`` opening the query's WHERE clause."""
    try:
        found = list(tokens(sparql))
    except LexError as exc:
        raise QueryError(f"cannot bind parameters in this query: {exc}") from None
    braces = _top_braces(found)
    if not braces:
        raise QueryError("the query has no WHERE clause to bind parameters in")
    form = next(
        (i for i, t in enumerate(found) if t.kind == "word" and t.text.upper() in _FORMS), -1
    )
    template = (
        form >= 0
        and found[form].text.upper() == "CONSTRUCT"
        and form + 1 < len(found)
        and found[form + 1].text == "{"
    )
    return found[braces[1] if template and len(braces) > 1 else braces[0]].start


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
