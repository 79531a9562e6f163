"""The HTML home page at GET /: links to the endpoint, the API docs, the queries and the data."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from llgraph.network import PROJECTIONS
from llgraph.resources import KINDS
from llgraph.web.deps import SettingsDep, StoreDep
from llgraph.web.queries import get_catalogue
from llgraph.web.templating import page

__all__ = ["router"]

router = APIRouter(tags=["pages"])

EXAMPLE = """SELECT ?partnership ?label WHERE {
  ?partnership a llo:Partnership ; rdfs:label ?label .
  FILTER (lang(?label) = "ja")
} ORDER BY ?partnership"""


@router.get("/", include_in_schema=False, response_class=HTMLResponse)
def home(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """A small page linking to everything the server offers."""
    context = {
        "triples": len(store),
        "timeout": settings.query_timeout,
        "queries": get_catalogue(request).values(),
        "kinds": sorted(KINDS),
        "projections": PROJECTIONS,
        "example": EXAMPLE,
        "report": settings.base_uri + "id/report/jetro-2008",
    }
    return page(request, "home.html", context)
