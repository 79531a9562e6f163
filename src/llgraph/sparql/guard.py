"""The guard: read a query's tokens and refuse updates, SERVICE and FROM before it runs."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import pyoxigraph as ox
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery

from llgraph.errors import QueryRefused, QuerySyntaxError, QueryTooComplex
from llgraph.sparql.lexer import LexError, Token, expand_codepoints, tokens
from llgraph.store.base import DEFAULT_PREFIXES

__all__ = [
    "FORMS",
    "LARGE_QUERY",
    "MAX_NESTING",
    "SparqlQuery",
    "check_syntax",
    "classify",
    "engine_syntax_error",
    "explain",
    "query_form",
]

#: The query forms.
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: The first keyword of a SPARQL Update operation.
UPDATES = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
#: How deeply groups, brackets and parentheses may nest (the engine's recursive parser
#: overflows its stack, killing the worker, at a few thousand).
MAX_NESTING = 200
#: Text this long or longer is guarded off the event loop (see :func:`classify`).
LARGE_QUERY = 64 << 10
_SERVICE = re.compile(r"service", re.ASCII | re.IGNORECASE)
_FROM = re.compile(r"from", re.ASCII | re.IGNORECASE)
#: A prefix of a prefixed name that begins with keywords a parser may split off: what
#: may stand glued before SERVICE in a group (an object ``true``/``false``) or before
#: FROM (``ASK``, ``CONSTRUCT``), then the keyword, then the rest (after SILENT/NAMED).
_GLUED_SERVICE = re.compile(
    r"(?:true|false)?service(?P<rest>(?:silent)?(?P<tail>.*))", re.ASCII | re.IGNORECASE
)
_GLUED_FROM = re.compile(
    r"(?:ask|construct)?from(?P<rest>(?:named)?(?P<tail>.*))", re.ASCII | re.IGNORECASE
)
#: An IRI that a parser may also read as ``<`` ... ``>`` operators around code: a ``)``
#: ending an expression, then SERVICE or FROM, then ``#`` commenting out the ``>``.
_AMBIGUOUS_IRI = re.compile(r"\).*(?:service|from).*#", re.ASCII | re.IGNORECASE)


@dataclass(frozen=True)
class SparqlQuery:
    """A query that passed :func:`classify`: its text and its form (SELECT, ASK, ...)."""

    text: str
    form: str


def _place(text: str, offset: int) -> tuple[int, int]:
    """The line and column (from 1) of ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _tokens(text: str) -> list[Token]:
    """The tokens of ``text``; a character no terminal starts with is a syntax error."""
    try:
        return list(tokens(text))
    except LexError as exc:
        line, column = _place(text, exc.offset)
        raise QuerySyntaxError(
            f"SPARQL syntax error at line {line}, column {column}: {exc}", line, column
        ) from None


def _body(found: list[Token]) -> tuple[list[Token], set[str]]:
    """The tokens after the prologue (PREFIX and BASE lines), and the prefixes declared
    there together with the default ones."""
    declared, i = set(DEFAULT_PREFIXES), 0
    while i < len(found) and found[i].text.upper() in ("PREFIX", "BASE"):
        if found[i].text.upper() == "PREFIX" and i + 1 < len(found):
            declared.add(found[i + 1].prefix)
            i += 1
        i += 2
    return found[i:], declared


def _glued(prefix: str, pattern: re.Pattern[str], declared: set[str]) -> bool:
    """Whether a parser that backtracks (Oxigraph's does) may read the prefixed name
    ``prefix:...`` as keywords then a declared ``rest:...``: it reads ``SERVICE:x`` as
    ``SERVICE :x`` and ``trueSERVICEex:x`` as ``true SERVICE ex:x``."""
    found = pattern.match(prefix)
    return found is not None and (found["rest"] in declared or found["tail"] in declared)


def _outbound(token: Token, declared: set[str]) -> str | None:
    """``SERVICE`` or ``FROM`` where ``token`` is, or may be read as, that keyword."""
    if token.kind == "word":
        text = token.text
    elif token.kind == "iri":
        text = token.text if _AMBIGUOUS_IRI.search(token.text) else ""
    elif token.kind == "pname":
        if _glued(token.prefix, _GLUED_SERVICE, declared):
            return "SERVICE"
        return "FROM" if _glued(token.prefix, _GLUED_FROM, declared) else None
    else:
        return None
    return "SERVICE" if _SERVICE.search(text) else "FROM" if _FROM.search(text) else None


def _nesting(text: str, found: list[Token]) -> None:
    """Refuse groups, brackets or parentheses nested deeper than :data:`MAX_NESTING`."""
    depth = 0
    for token in found:
        if token.kind == "punct" and token.text in "{[(":
            depth += 1
            if depth > MAX_NESTING:
                line, column = _place(text, token.start)
                raise QueryTooComplex(
                    f"the query nests groups, brackets or parentheses more than "
                    f"{MAX_NESTING} deep (line {line}, column {column}): flatten it"
                )
        elif token.kind == "punct" and token.text in "}])":
            depth -= 1


def _refuse_outbound(body: list[Token], declared: set[str]) -> None:
    """Raise :class:`QueryRefused` at the first SERVICE or FROM of ``body``."""
    for i, token in enumerate(body):
        keyword = _outbound(token, declared)
        if keyword == "SERVICE":
            target = " ".join(t.text for t in body[i : i + 3] if t.text not in "{")
            raise QueryRefused(
                f"{target} is refused: SERVICE is not allowed, this server never opens "
                "outbound connections (no federated queries)"
            )
        if keyword == "FROM":
            raise QueryRefused(
                "FROM and FROM NAMED are refused: all data is in the default graph and this "
                "server never fetches graphs; drop the clause"
            )


def _expanded_tokens(text: str) -> list[Token]:
    """The tokens of ``text`` read as an engine that expands ``\\u`` escapes first reads it,
    up to the first character that starts no token (such an engine stops there)."""
    found: list[Token] = []
    with contextlib.suppress(LexError):
        found.extend(tokens(expand_codepoints(text)))
    return found


def query_form(text: str) -> str:
    """The form of ``text`` (SELECT, ASK, CONSTRUCT, DESCRIBE) read on SPARQL's terminals
    past its prologue, or ``""``; it refuses nothing (see :func:`classify`)."""
    body, _ = _body(_tokens(text))
    first = body[0].text.upper() if body and body[0].kind == "word" else ""
    return first if first in FORMS else ""


def classify(text: str) -> SparqlQuery:
    """Name the form of ``text`` and refuse what this read-only, offline endpoint must not run.

    Raises :class:`QueryRefused` for SPARQL Update, ``SERVICE`` and ``FROM``/``FROM NAMED``
    (an engine would fetch a ``FROM`` graph or a ``SERVICE`` from the web; every fact here
    is in the one default graph), and :class:`QueryTooComplex` past :data:`MAX_NESTING`.
    The decision is made on SPARQL's own terminals (:mod:`llgraph.sparql.lexer`), read as
    written and with ``\\u`` escapes expanded, and counts the keyword where a backtracking
    parser may find it as well (``trueSERVICE``, ``SERVICE:x``). It costs about a
    microsecond per token; the engine parses the query when it runs, in a worker under the
    time limit. A text with no query form is a :class:`QuerySyntaxError`.
    """
    if not text.strip():
        raise QuerySyntaxError("the query is empty", 1, 1)
    found = _tokens(text)
    _nesting(text, found)
    body, declared = _body(found)
    first = body[0].text.upper() if body and body[0].kind == "word" else ""
    if first in UPDATES:
        raise QueryRefused("SPARQL Update is refused: this endpoint is read-only")
    _refuse_outbound(body, declared)
    expanded = _expanded_tokens(text) if "\\" in text else []
    if expanded:
        _refuse_outbound(*_body(expanded))
    if first not in FORMS:
        line, column = _place(text, body[0].start) if body else (1, 1)
        shown = repr(body[0].text[:20]) if body else "nothing"
        raise QuerySyntaxError(
            f"SPARQL syntax error at line {line}, column {column}: a query starts with "
            f"SELECT, ASK, CONSTRUCT or DESCRIBE (after any PREFIX and BASE), not {shown}",
            line,
            column,
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
