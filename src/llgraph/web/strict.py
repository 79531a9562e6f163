"""Strict REST parameters: an unknown, misspelt or repeated parameter, a filter naming nothing
in the graph, or ``from_year > to_year`` is a 422 saying which and why (never ignored)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from rdflib import Literal, URIRef
from rdflib.term import Identifier

from llgraph import resources
from llgraph.store import Store

__all__ = ["check_filters", "declared_parameters", "strict_parameters"]


def _invalid(name: str, message: str) -> RequestValidationError:
    return RequestValidationError(
        [{"loc": ("query", name), "msg": message, "type": "value_error", "input": None}]
    )


def declared_parameters(dependant: Dependant) -> set[str]:
    """The query parameter names a route declares (fields of query models included)."""
    names: set[str] = set()
    for param in dependant.query_params:
        annotation = param.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= {f.alias or n for n, f in annotation.model_fields.items()}
        else:
            names.add(param.alias)
    for sub in dependant.dependencies:
        names |= declared_parameters(sub)
    return names


async def strict_parameters(request: Request) -> None:
    """Refuse parameters the route does not declare, and repeated ones (all are single)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    allowed = declared_parameters(dependant)
    given = [k for k, _ in request.query_params.multi_items()]
    for name in given:
        if name not in allowed:
            close = difflib.get_close_matches(name, sorted(allowed), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            known = ", ".join(sorted(allowed)) or "none"
            raise _invalid(name, f"unknown parameter {name!r}{hint} (parameters: {known})")
    for name in dict.fromkeys(given):
        if given.count(name) > 1:
            raise _invalid(name, f"{name!r} is given {given.count(name)} times; give it once")


def check_filters(store: Store, filters: Mapping[str, Identifier | None]) -> None:
    """A 422 for a filter naming nothing in the graph, or a year range that is empty."""
    for name, value in filters.items():
        if isinstance(value, URIRef) and not resources.exists(store, value):
            raise _invalid(name, f"{name}: nothing in the graph is <{value}>")
    low, high = filters.get("from_year"), filters.get("to_year")
    if isinstance(low, Literal) and isinstance(high, Literal) and int(low) > int(high):
        raise _invalid("from_year", f"from_year {low} is after to_year {high}")
    _check_codes(store, filters.items())


_CODES = {
    "country": "llo:countryCode",
    "overseas_country": "llo:countryCode",
    "prefecture": "llo:prefectureCode",
}


def _check_codes(store: Store, filters: Iterable[tuple[str, Identifier | None]]) -> None:
    for name, value in filters:
        if name in _CODES and isinstance(value, Literal):
            ask = f"ASK {{ ?r {_CODES[name]} ?code }}"
            if not store.ask(ask, bindings={"code": value}):
                raise _invalid(name, f"{name}: no region of the graph has the code {str(value)!r}")
