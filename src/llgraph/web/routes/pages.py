"""The home page at GET /: a portal saying what the graph holds, with its entry points."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from llgraph import resources
from llgraph.network import PROJECTIONS
from llgraph.resources import KINDS
from llgraph.web.deps import SettingsDep, StoreDep
from llgraph.web.representation import conditional
from llgraph.web.routes.queries import get_catalogue
from llgraph.web.templating import page

__all__ = ["router"]

router = APIRouter(tags=["pages"])

#: The collections shown on the portal, with their Japanese names.
SHOWN = {
    "partnerships": "連携テーマ",
    "regions": "地域",
    "institutions": "機関",
    "industries": "産業分野",
    "activities": "交流活動",
    "outcomes": "成果",
}


@router.get("/", include_in_schema=False, response_class=Response)
def home(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """What the graph holds and where to start: programmes, collections, tables, queries."""

    def build() -> Response:
        counts = {
            kind: resources.select_page(store, KINDS[kind], limit=1)[0]
            for kind in [*SHOWN, "datasets", "success-factors"]
        }
        context = {
            "triples": len(store),
            "timeout": settings.query_timeout,
            "queries": list(get_catalogue(request).values()),
            "counts": counts,
            "shown": SHOWN,
            "kinds": sorted(KINDS),
            "projections": PROJECTIONS,
            "report": settings.base_uri + "id/report/jetro-2008",
        }
        return page(request, "home.html", context)

    return conditional(request, store, "home-html", build)
