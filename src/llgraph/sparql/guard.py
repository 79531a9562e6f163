"""The guard: parse a query with rdflib's parser and refuse updates, SERVICE and FROM."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from llgraph.errors import QueryError

__all__ = [
    "FORMS",
    "NotAcceptable",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "ResultTooLarge",
    "SparqlQuery",
    "classify",
]

#: rdflib's parse-tree names of the query forms.
FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


class QuerySyntaxError(QueryError):
    """The query is not SPARQL 1.1; ``line`` and ``column`` say where the parser stopped."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line, self.column = line, column


class QueryRefused(QueryError):
    """The query is valid but not allowed here (an update, SERVICE, FROM)."""


class QueryTimeout(QueryError):
    """The query ran longer than the time limit and was stopped."""


class ResultTooLarge(QueryError):
    """The result has more rows or triples than the result-size limit."""


class NotAcceptable(QueryError):
    """None of the formats the client accepts can represent this kind of result."""


@dataclass(frozen=True)
class SparqlQuery:
    """A query that passed :func:`classify`: its text and its form (SELECT, ASK, ...)."""

    text: str
    form: str


def _walk(node: Any) -> Any:
    """Every parse-tree node under ``node`` (rdflib's CompValue is a dict subclass)."""
    yield node
    children = node.values() if isinstance(node, dict) else node
    if isinstance(node, dict | list | tuple) or type(node).__name__ == "ParseResults":
        for child in children:
            if not isinstance(child, str):
                yield from _walk(child)


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseBaseException:
        return False
    return True


def classify(text: str) -> SparqlQuery:
    """Parse ``text`` and refuse what this read-only, offline endpoint must not run.

    Raises :class:`QuerySyntaxError` (with line and column), or :class:`QueryRefused`
    for SPARQL Update, ``SERVICE`` and ``FROM``/``FROM NAMED`` (rdflib would fetch
    a ``FROM`` graph from the web; every fact here is in the one default graph).
    """
    if not text.strip():
        raise QuerySyntaxError("the query is empty", 1, 1)
    try:
        tree = parseQuery(text)
    except ParseBaseException as exc:
        if _is_update(text):
            raise QueryRefused("SPARQL Update is refused: this endpoint is read-only") from exc
        where = f"line {exc.lineno}, column {exc.col}"
        message = f"SPARQL syntax error at {where}: {exc.msg}"
        raise QuerySyntaxError(message, exc.lineno, exc.col) from None
    query = tree[1]
    if "datasetClause" in query:
        raise QueryRefused(
            "FROM and FROM NAMED are refused: all data is in the default graph and this "
            "server never fetches graphs; drop the clause"
        )
    for node in _walk(query):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            raise QueryRefused(
                f"SERVICE <{node.get('term')}> is refused: this server never opens "
                "outbound connections (no federated queries)"
            )
    return SparqlQuery(text, FORMS[query.name])
