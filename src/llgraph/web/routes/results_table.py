"""SPARQL JSON results as rows of cells for an HTML table: IRIs of ours linked with labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import URIRef

from llgraph.namespaces import curie
from llgraph.resources import labels_of
from llgraph.store import Store
from llgraph.web.templating import safe_href

__all__ = ["Cell", "table_of"]

_NUMERIC = ("integer", "decimal", "double", "float", "int", "long", "gYear")


@dataclass(frozen=True)
class Cell:
    """One shown value: its text, a link (ours or http(s) only), a title, language, alignment."""

    text: str
    href: str | None = None
    title: str = ""
    lang: str = ""
    numeric: bool = False


def _cell(term: dict[str, Any] | None, labels: dict, base: str) -> Cell:
    if not term:
        return Cell("")
    value = term["value"]
    if term["type"] == "uri":
        ref = labels.get(value)
        text = (ref.ja or ref.en) if ref and (ref.ja or ref.en) else curie(URIRef(value))
        local = "/" + value[len(base) :] if value.startswith(base) else None
        return Cell(text, local or safe_href(value), title=curie(URIRef(value)))
    numeric = term.get("datatype", "").rsplit("#", 1)[-1] in _NUMERIC
    return Cell(value, lang=term.get("xml:lang", ""), numeric=numeric)


def table_of(
    store: Store, results: dict[str, Any], base: str
) -> tuple[list[str], list[list[Cell]]]:
    """The variables and rows of a SPARQL JSON SELECT answer (an ASK is one boolean cell)."""
    if "boolean" in results:
        return ["answer"], [[Cell(str(results["boolean"]).lower())]]
    names = results["head"]["vars"]
    bindings = results["results"]["bindings"]
    ours = {
        URIRef(t["value"])
        for row in bindings
        for t in row.values()
        if t["type"] == "uri" and t["value"].startswith(base)
    }
    labels = labels_of(store, ours)
    rows = [[_cell(row.get(name), labels, base) for name in names] for row in bindings]
    return names, rows
