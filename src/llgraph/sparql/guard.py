"""The guard: read a query's tokens and refuse updates, SERVICE and FROM before it runs."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery

from llgraph.errors import QueryError, ResultTooLarge
from llgraph.store.base import DEFAULT_PREFIXES

__all__ = [
    "FORMS",
    "NotAcceptable",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "ResultTooLarge",
    "SparqlQuery",
    "check_syntax",
    "classify",
    "engine_syntax_error",
    "explain",
]

#: The query forms.
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: The first keyword of a SPARQL Update operation.
UPDATES = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
#: SPARQL's terminals that can hold a keyword-like word without it being one (strings,
#: IRIs, comments, variables, prefixed names, language tags, numbers), then bare words.
_TOKEN = re.compile(
    r"""
      (?P<skip>'''(?:[^'\\]|\\.|'(?!''))*'''
             | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             | '(?:[^'\\\n\r]|\\.)*'
             | "(?:[^"\\\n\r]|\\.)*"
             | \#[^\n\r]*
             | [?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+
             | @[A-Za-z]+(?:-[A-Za-z0-9]+)*
             | (?:[^\W\d][\w.\-]*)?:[\w.:%\\\-]*
             | \d[\w.]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<word>[A-Za-z_]\w*)
    """,
    re.VERBOSE,
)


class QuerySyntaxError(QueryError):
    """The query is not SPARQL 1.1; ``line`` and ``column`` say where the parser stopped."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line, self.column = line, column


class QueryRefused(QueryError):
    """The query is valid but not allowed here (an update, SERVICE, FROM)."""


class QueryTimeout(QueryError):
    """The query ran longer than the time limit and was stopped."""


class NotAcceptable(QueryError):
    """None of the formats the client accepts can represent this kind of result."""


@dataclass(frozen=True)
class SparqlQuery:
    """A query that passed :func:`classify`: its text and its form (SELECT, ASK, ...)."""

    text: str
    form: str


def _keywords(text: str) -> list[tuple[str, list[str]]]:
    """The bare words of ``text`` (upper-cased), each with the two tokens after it."""
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(text) if m.lastgroup != "skip"]
    return [
        (value.upper(), [v for _, v in tokens[i + 1 : i + 3]])
        for i, (kind, value) in enumerate(tokens)
        if kind == "word"
    ]


def classify(text: str) -> SparqlQuery:
    """Name the form of ``text`` and refuse what this read-only, offline endpoint must not run.

    Raises :class:`QueryRefused` for SPARQL Update, ``SERVICE`` and ``FROM``/``FROM NAMED``
    (an engine would fetch a ``FROM`` graph or a ``SERVICE`` from the web; every fact here
    is in the one default graph). This reads tokens only, so it costs microseconds; the
    engine parses the query when it runs, and :func:`explain` locates its syntax errors.
    A text with no query form is a :class:`QuerySyntaxError`.
    """
    if not text.strip():
        raise QuerySyntaxError("the query is empty", 1, 1)
    words = _keywords(text)
    first = next((w for w, _ in words if w not in ("PREFIX", "BASE")), "")
    if first in UPDATES:
        raise QueryRefused("SPARQL Update is refused: this endpoint is read-only")
    for word, after in words:
        if word == "SERVICE":
            silent = after[:1] and after[0].upper() == "SILENT"
            target = " ".join(after[:2] if silent else after[:1])
            raise QueryRefused(
                f"SERVICE {target} is refused: this server never opens outbound "
                "connections (no federated queries)"
            )
        if word == "FROM":
            raise QueryRefused(
                "FROM and FROM NAMED are refused: all data is in the default graph and this "
                "server never fetches graphs; drop the clause"
            )
    if first not in FORMS:
        raise explain(text) or QuerySyntaxError(
            "SPARQL syntax error: a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE "
            "(after any PREFIX and BASE)",
            1,
            1,
        )
    return SparqlQuery(text, first)


def explain(text: str) -> QuerySyntaxError | None:
    """Where SPARQL's grammar rejects ``text`` (line and column), or None if it does not.

    Run on the error path only (the grammar takes milliseconds to apply): engines report
    syntax errors in their own words, this says where the text stops being SPARQL.
    """
    try:
        parseQuery(text)
    except ParseBaseException as exc:
        where = f"line {exc.lineno}, column {exc.col}"
        return QuerySyntaxError(f"SPARQL syntax error at {where}: {exc.msg}", exc.lineno, exc.col)
    return None


def check_syntax(text: str) -> SparqlQuery:
    """:func:`classify` ``text`` and check its syntax now, for trusted text (the named queries).

    Oxigraph parses it against an empty store: under a millisecond, where rdflib's grammar
    takes 30 ms a query; :func:`explain` then says where a rejected text goes wrong. An
    empty store still evaluates what needs no data (``VALUES``, ``BIND``), so this is not
    for a client's query.
    """
    query = classify(text)
    try:
        ox.Store().query(text, prefixes=DEFAULT_PREFIXES)
    except SyntaxError as exc:
        error = explain(text) or engine_syntax_error(str(exc))
        raise error or QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
    return query


_OXIGRAPH_ERROR = re.compile(r"error at (\d+):(\d+): (?:expected one of |expected )?(.*)", re.S)


def engine_syntax_error(message: str) -> QuerySyntaxError | None:
    """Oxigraph's report of a query it refused (``error at L:C: expected one of ...``) as a
    :class:`QuerySyntaxError`: its place, and the reason where it gives one (an unknown
    prefix, an unbound variable) rather than the list of tokens it expected. None for
    another message."""
    found = _OXIGRAPH_ERROR.search(message)
    if not found:
        return None
    line, column, expected = int(found[1]), int(found[2]), found[3]
    reasons = [r for r in re.findall(r"(?:^|, )([A-Z][a-z]+(?: [\w-]+)+)", expected) if r]
    detail = reasons[0] if reasons else "unexpected text here"
    return QuerySyntaxError(
        f"SPARQL syntax error at line {line}, column {column}: {detail}", line, column
    )
