"""The named-query catalogue: queries/*.rq with a ``#+`` header; parameters bound as RDF terms.

A query file opens with comment lines in the spirit of grlc's decorators::

    #+ title: Partnerships by overseas country
    #+ description: Every LL and RIT partnership whose overseas region lies in a country.
    #+ param: country iri id:region/cn  the overseas country (an IRI or prefixed name)
    #+ param: from gYear 1996  first fiscal year
    #+ example: country=id:region/se
    #+ table: 具体的成果を出す際の障害・課題

``title`` is required; ``description`` lines add up; ``param`` is ``NAME TYPE DEFAULT
DESCRIPTION`` (quote a default holding spaces); ``example`` is a query string of
parameter values; ``table`` names the report table a query reproduces. The query
text uses ``?NAME`` for each parameter; its value is bound as a typed RDF term, never
pasted into the text, so no value can change what the query does.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from llgraph.errors import LoadError, ParameterError, QueryError
from llgraph.namespaces import PREFIXES, XSD
from llgraph.sparql import SparqlQuery, check_syntax

__all__ = ["PARAM_TYPES", "NamedQuery", "Param", "ParameterError", "load_catalogue", "parse_file"]

_HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*)$")
_IRI = re.compile(r"^(https?|urn):[^\s<>\"{}|\\^`]+$")
_PREFIXED = re.compile(r"^([A-Za-z][\w-]*):(\S*)$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_GYEAR = re.compile(r"^\d{4}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iri(value: str) -> Identifier:
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    match = _PREFIXED.match(value)
    if match and match.group(1) in PREFIXES:
        value = str(PREFIXES[match.group(1)]) + match.group(2)
    if not _IRI.match(value):
        raise ValueError("an IRI such as https://w3id.org/llgraph/id/region/cn or id:region/cn")
    return URIRef(value)


def _typed(pattern: re.Pattern[str], datatype: URIRef, hint: str) -> Callable[[str], Identifier]:
    def convert(value: str) -> Identifier:
        if not pattern.match(value):
            raise ValueError(hint)
        return Literal(value, datatype=datatype)

    return convert


def _boolean(value: str) -> Identifier:
    if value.lower() not in ("true", "false"):
        raise ValueError("true or false")
    return Literal(value.lower() == "true")


#: Parameter types: name → converter from the text a user gives to an RDF term.
PARAM_TYPES: dict[str, Callable[[str], Identifier]] = {
    "iri": _iri,
    "string": Literal,
    "integer": _typed(_INTEGER, XSD.integer, "an integer such as 3"),
    "decimal": _typed(_DECIMAL, XSD.decimal, "a decimal number such as 0.5"),
    "gYear": _typed(_GYEAR, XSD.gYear, "a four-digit year such as 2004"),
    "date": _typed(_DATE, XSD.date, "a date such as 2007-11-30"),
    "boolean": _boolean,
}


@dataclass(frozen=True)
class Param:
    """One declared parameter: ``?name`` in the query, of ``type``, with a ``default``."""

    name: str
    type: str
    default: str
    description: str = ""

    def term(self, value: str) -> Identifier:
        """``value`` as an RDF term of this parameter's type, else :class:`ParameterError`."""
        try:
            return PARAM_TYPES[self.type](value)
        except ValueError as exc:
            raise ParameterError(
                f"parameter {self.name!r}: {value!r} is not a valid {self.type} (give {exc})",
                self.name,
            ) from None


@dataclass(frozen=True)
class NamedQuery:
    """A query of the catalogue: its metadata, parameters and checked text."""

    name: str
    title: str
    description: str
    query: SparqlQuery
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()
    table: str | None = None

    def bindings(self, values: Mapping[str, str] | None = None) -> dict[str, Identifier]:
        """Every parameter bound to a term: the given ``values``, else the defaults."""
        values = dict(values or {})
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            names = ", ".join(declared) or "none"
            raise ParameterError(
                f"unknown parameter {unknown[0]!r} for query {self.name!r} (parameters: {names})",
                unknown[0],
            )
        return {name: p.term(values.get(name, p.default)) for name, p in declared.items()}


def _param(path: Path, line: int, value: str) -> Param:
    try:
        name, kind, default, *rest = shlex.split(value)
    except ValueError:
        raise LoadError(path, "a param needs NAME TYPE DEFAULT [DESCRIPTION]", line) from None
    if kind not in PARAM_TYPES:
        raise LoadError(
            path, f"unknown parameter type {kind!r}: use {', '.join(PARAM_TYPES)}", line
        )
    param = Param(name, kind, default, " ".join(rest))
    try:
        param.term(default)
    except ParameterError as exc:
        raise LoadError(path, f"bad default: {exc}", line) from None
    return param


def parse_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file: its ``#+`` header and its query (checked by :func:`check_syntax`)."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, list[str]] = {}
    params: list[Param] = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            params.append(_param(path, number, value))
        else:
            header.setdefault(key, []).append(value)
    if "title" not in header:
        raise LoadError(path, "the header has no '#+ title:' line")
    try:
        query = check_syntax(text)
    except QueryError as exc:
        raise LoadError(path, str(exc)) from None
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    unused = [p.name for p in params if not re.search(rf"[?$]{re.escape(p.name)}\b", body)]
    if unused:
        raise LoadError(
            path, f"parameter {unused[0]!r} is declared but the query has no ?{unused[0]}"
        )
    return NamedQuery(
        name=path.stem,
        title=" ".join(header["title"]),
        description=" ".join(header.get("description", [])),
        query=query,
        params=tuple(params),
        examples=tuple(header.get("example", [])),
        table=" ".join(header["table"]) if "table" in header else None,
    )


def load_catalogue(directory: Path) -> dict[str, NamedQuery]:
    """Every ``*.rq`` file of ``directory`` by name (the file name without ``.rq``), sorted."""
    if not directory.is_dir():
        raise LoadError(directory, "the query directory does not exist (set LLGRAPH_QUERIES)")
    return {q.name: q for q in map(parse_file, sorted(directory.glob("*.rq")))}
