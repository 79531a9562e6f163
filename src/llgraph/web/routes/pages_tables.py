"""The report's tables as pages: /tables lists them (and the charts whose figures the report
does not give); each qb:DataSet's page (/id/dataset/...) shows the table as printed, with
shading, a bar chart, association figures and a CSV twin at /tables/{name}.csv."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from rdflib import URIRef

from llgraph.errors import NotFound
from llgraph.resources import labels_of
from llgraph.store import Store
from llgraph.web.deps import app_state
from llgraph.web.representation import conditional
from llgraph.web.routes.cube_table import CubeTable, cube_table, table_query
from llgraph.web.templating import page

__all__ = ["dataset_page", "router"]

router = APIRouter(tags=["pages"])

_DATASETS = "SELECT ?ds WHERE { ?ds a qb:DataSet }"
_NUMBERLESS = """
SELECT ?section ?comment ?base WHERE {
  ?section a llo:ReportSection ; llo:responseBase ?base .
  OPTIONAL { ?section rdfs:comment ?comment FILTER(lang(?comment) = "en") }
  FILTER NOT EXISTS { ?ds a qb:DataSet ; dcterms:source ?section }
}"""
_CAVEAT = (
    "These are multiple-response tables (a respondent may count in several rows) with many "
    "small expected counts, so the chi-square test's assumptions fail: no p-value is shown, "
    "and the figures below only describe the pattern of the printed counts."
)


def _table(request: Request, uri: str) -> CubeTable | None:
    from llgraph.web.routes.queries import get_catalogue  # here: it imports routes.sparql

    settings = app_state(request).settings
    query = table_query(get_catalogue(request), uri)
    return cube_table(app_state(request).store, uri, query, settings.base_uri)


def _chart(table: CubeTable) -> list[dict[str, Any]]:
    """Bars: each row's total column where the report prints one, else every cell."""
    totals = [c for c in table.columns if table.is_total(c.uri)]
    rows = [r for r in table.rows if not table.is_total(r.uri)]
    if totals:
        pairs = [(r.ja or r.en or r.uri, table.value(r.uri, totals[0].uri)) for r in rows]
    else:
        pairs = [
            (f"{r.ja or r.en} × {c.ja or c.en}", table.value(r.uri, c.uri))
            for r in rows
            for c in table.columns
        ]
    top = max((v or 0 for _, v in pairs), default=0) or 1
    return [
        {"label": label, "value": value, "width": round(440 * (value or 0) / top, 1), "y": 26 * i}
        for i, (label, value) in enumerate(pairs)
        if value is not None
    ]


def dataset_page(request: Request, store: Store, uri: str) -> Response | None:
    """The page of a qb:DataSet as its printed table, or None when it is no two-way table."""
    if not _is_dataset(store, uri):
        return None
    table = _table(request, uri)
    if table is None:
        return None
    stats = table.stats()
    name = uri.rsplit("/", 1)[-1]
    context = {
        "t": table,
        "label": labels_of(store, [URIRef(uri)])[uri],
        "stats": stats,
        "caveat": _CAVEAT,
        "bars": _chart(table),
        "csv": f"/tables/{name}.csv",
        "api": f"/api/datasets/{name}",
        "name": name,
        "residuals": _residual_rows(table, stats) if stats else [],
    }
    return page(request, "dataset.html", context)


def _is_dataset(store: Store, uri: str) -> bool:
    return store.ask("ASK { ?ds a qb:DataSet }", bindings={"ds": URIRef(uri)})


def _residual_rows(table: CubeTable, stats: Any) -> list[tuple[Any, list[float | None]]]:
    columns = [c for c in table.columns if not table.is_total(c.uri)]
    return [
        (r, [stats.residuals.get((r.uri, c.uri)) for c in columns])
        for r in table.rows
        if not table.is_total(r.uri)
    ]


@router.get("/tables", include_in_schema=False, name="tables_page")
def tables_page(request: Request) -> Response:
    """Every data set of the report, and the charts the report gives no figures for."""
    store: Store = app_state(request).store

    def build() -> Response:
        uris = sorted(str(row[0]) for row in store.select(_DATASETS))
        labels = labels_of(store, [URIRef(u) for u in uris])
        numberless = [
            {"section": labels_of(store, [s])[str(s)], "comment": str(c or ""), "base": int(b)}
            for s, c, b in store.select(_NUMBERLESS)
        ]
        context = {"datasets": [labels[u] for u in uris], "numberless": numberless}
        return page(request, "tables.html", context)

    return conditional(request, store, "tables-html", build)


@router.get("/tables/{name}.csv", include_in_schema=False, name="table_csv")
def table_csv(
    request: Request, name: Annotated[str, Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
) -> Response:
    """The table as printed, as CSV: a row per printed row (labels ja, en), a column per
    printed column (headed by its Japanese label); empty where the report prints nothing."""
    uri = f"{app_state(request).settings.base_uri}id/dataset/{name}"
    if not _is_dataset(app_state(request).store, uri):
        raise NotFound(f"no data set {name!r}: see /tables")
    table = _table(request, uri)
    if table is None:
        raise NotFound(f"{name!r} is not a two-way table")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["row_ja", "row_en", *[c.ja or c.en or c.uri for c in table.columns]])
    for r in table.rows:
        values = [table.value(r.uri, c.uri) for c in table.columns]
        writer.writerow([r.ja or "", r.en or "", *["" if v is None else v for v in values]])
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
