"""A qb:DataSet of two dimensions as the table the report printed: rows, columns, totals,
unit, respondent base, the report's shading by share of the column base, and descriptive
association figures (Cramér's V, standardised residuals) with scipy.

The printed order of rows and columns is the one of the dataset's named query (the
``queries/table-*.rq`` that reproduces it); without one, labels order them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from rdflib import Literal, URIRef
from scipy.stats.contingency import association, expected_freq

from llgraph.queries import NamedQuery
from llgraph.resources import Ref, labels_of
from llgraph.store import Store

__all__ = ["CubeTable", "Stats", "cube_table", "shade_of"]


_STRUCTURE = """
SELECT ?dim ?order ?measure WHERE {
  ?ds qb:structure/qb:component ?c .
  OPTIONAL { ?c qb:dimension ?dim . OPTIONAL { ?c qb:order ?order } }
  OPTIONAL { ?c qb:measure ?measure }
}"""
_OBSERVATIONS = "SELECT ?obs ?p ?o WHERE { ?obs qb:dataSet ?ds ; ?p ?o }"
_ABOUT = """
SELECT ?p ?o WHERE {
  ?ds ?p ?o .
  VALUES ?p { rdfs:comment llo:unit llo:responseBase dcterms:source }
}"""


@dataclass
class Stats:
    """Descriptive association of the inner cells (no totals): Cramér's V and the
    standardised (Pearson) residual of each cell, with the smallest expected count."""

    cramers_v: float
    residuals: dict[tuple[str, str], float]
    min_expected: float
    small_expected_share: float


@dataclass
class CubeTable:
    """The table of one data set, in printed order."""

    uri: str
    rows: list[Ref]
    columns: list[Ref]
    cells: dict[tuple[str, str], int]
    row_dimension: Ref
    column_dimension: Ref
    measure: Ref
    comment: dict[str, str] = field(default_factory=dict)
    unit: Ref | None = None
    base: int | None = None
    sources: list[Ref] = field(default_factory=list)
    query: str | None = None
    totals: str = "https://w3id.org/llgraph/id/total/"

    def value(self, row: str, column: str) -> int | None:
        """The printed cell, or None when the report prints none there."""
        return self.cells.get((row, column))

    def column_base(self, column: str) -> int | None:
        """The 全体 (all respondents) count of a column, the base of its shares."""
        return self.cells.get((self.totals + "respondents", column))

    def is_total(self, uri: str) -> bool:
        """Whether a row or column is a printed total (全体, 合計, 総計)."""
        return uri.startswith(self.totals)

    def shade(self, row: str, column: str) -> int:
        """The report's shading class of a cell: 0 none, 1 33–50 %, 2 50–66 %, 3 66 % or more
        of the column base (only tables with a 全体 row are shaded, as in the report)."""
        if self.is_total(row):
            return 0
        return shade_of(self.value(row, column), self.column_base(column))

    def stats(self) -> Stats | None:
        """Cramér's V and residuals of the inner table, or None where they cannot be had."""
        inner_rows = [r.uri for r in self.rows if not self.is_total(r.uri)]
        inner_cols = [c.uri for c in self.columns if not self.is_total(c.uri)]
        counts = np.array([[self.value(r, c) or 0 for c in inner_cols] for r in inner_rows])
        keep_r, keep_c = counts.sum(axis=1) > 0, counts.sum(axis=0) > 0
        counts = counts[keep_r][:, keep_c]
        if counts.shape[0] < 2 or counts.shape[1] < 2:
            return None
        rows = [r for r, k in zip(inner_rows, keep_r, strict=True) if k]
        cols = [c for c, k in zip(inner_cols, keep_c, strict=True) if k]
        expected = expected_freq(counts)
        residual = (counts - expected) / np.sqrt(expected)
        return Stats(
            cramers_v=float(association(counts, method="cramer")),
            residuals={
                (r, c): float(residual[i, j])
                for i, r in enumerate(rows)
                for j, c in enumerate(cols)
            },
            min_expected=float(expected.min()),
            small_expected_share=float((expected < 5).mean()),
        )


def shade_of(count: int | None, base: int | None) -> int:
    """The shading class of ``count`` out of ``base`` (legend 33–50 %, 50–66 %, 66 % and more)."""
    if count is None or not base:
        return 0
    share = count / base
    return 3 if share >= 0.66 else 2 if share >= 0.5 else 1 if share >= 0.33 else 0


def _order(query: NamedQuery | None) -> tuple[list[str], list[str]]:
    """The row and column IRIs in the order the table query prints them."""
    if query is None:
        return [], []
    text = query.query.text
    prefixes = dict(re.findall(r"PREFIX\s+(\w*):\s*<([^>]*)>", text, re.IGNORECASE))

    def expand(name: str) -> str:
        if name.startswith("<"):
            return name[1:-1]
        prefix, _, local = name.partition(":")
        return prefixes.get(prefix, prefix + ":") + local

    columns = [expand(n) for n in re.findall(r"\?column\s*=\s*([^\s,)]+)", text)]
    rows = [expand(n) for n in re.findall(r"\(\s*\d+\s+([^\s)]+)\s*\)", text)]
    return rows, columns


def table_query(catalogue: Mapping[str, NamedQuery], uri: str) -> NamedQuery | None:
    """The named query that reproduces the data set ``uri`` (it names it in its text)."""
    local = uri.rsplit("/", 1)[-1]
    for query in catalogue.values():
        if query.table and re.search(
            rf"dataset:{re.escape(local)}\b|<{re.escape(uri)}>", query.query.text
        ):
            return query
    return None


def _structure(store: Store, ds: URIRef) -> tuple[list[str], str | None]:
    dims: list[tuple[int, str]] = []
    measure = None
    for dim, order, meas in store.select(_STRUCTURE, bindings={"ds": ds}):
        if dim is not None:
            dims.append((int(order) if order is not None else 99, str(dim)))
        if meas is not None:
            measure = str(meas)
    return [d for _, d in sorted(dims)], measure


def _cells(store: Store, ds: URIRef, dims: list[str], measure: str) -> dict[tuple[str, str], int]:
    observations: dict[str, dict[str, object]] = {}
    for obs, p, o in store.select(_OBSERVATIONS, bindings={"ds": ds}):
        observations.setdefault(str(obs), {})[str(p)] = o
    cells = {}
    for values in observations.values():
        row, column, count = values.get(dims[0]), values.get(dims[1]), values.get(measure)
        if row is not None and column is not None and isinstance(count, Literal):
            cells[(str(row), str(column))] = int(count.toPython())
    return cells


def _ordered(found: set[str], printed: list[str], labels: dict[str, Ref]) -> list[Ref]:
    known = [u for u in printed if u in found]
    rest = sorted(found - set(known), key=lambda u: labels[u].ja or labels[u].en or u)
    return [labels[u] for u in known + rest]


def cube_table(store: Store, uri: str, query: NamedQuery | None, base: str) -> CubeTable | None:
    """The table of data set ``uri`` (None unless it has two dimensions and one measure);
    ``query`` gives the printed order, ``base`` is
    the graph's base URI (its totals are ``{base}id/total/...``)."""
    ds = URIRef(uri)
    dims, measure = _structure(store, ds)
    if len(dims) != 2 or measure is None:
        return None
    cells = _cells(store, ds, dims, measure)
    row_uris, col_uris = {r for r, _ in cells}, {c for _, c in cells}
    about: dict[str, list] = {}
    for p, o in store.select(_ABOUT, bindings={"ds": ds}):
        about.setdefault(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1], []).append(o)
    refs = row_uris | col_uris | set(dims) | {measure}
    refs |= {str(o) for o in about.get("unit", []) + about.get("source", [])}
    labels = labels_of(store, [URIRef(u) for u in refs])
    printed_rows, printed_cols = _order(query)
    response_base = about.get("responseBase")
    unit = about.get("unit")
    return CubeTable(
        uri=uri,
        rows=_ordered(row_uris, printed_rows, labels),
        columns=_ordered(col_uris, printed_cols, labels),
        cells=cells,
        row_dimension=labels[dims[0]],
        column_dimension=labels[dims[1]],
        measure=labels[measure],
        comment={c.language or "": str(c) for c in about.get("comment", [])},
        unit=labels[str(unit[0])] if unit else None,
        base=int(response_base[0].toPython()) if response_base else None,
        sources=[labels[str(s)] for s in about.get("source", [])],
        query=query.name if query else None,
        totals=f"{base}id/total/",
    )
