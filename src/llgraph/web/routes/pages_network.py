"""GET /network: the partnership network drawn in the browser (sigma.js + graphology).

The page reads a projection from ``/api/network/{projection}.json`` (the same graph and
spells as the GEXF) with the fast scores only, fetches others from ``/scores`` when they
are picked, lays it out with ForceAtlas2 in a worker of its own (``static/network-layout.js``)
and filters it by fiscal year; its settings (projections, levels, metrics, colours, the base
URI) are written into the page as JSON.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from llgraph.centrality import FAST_METRICS, METRICS
from llgraph.export import OTHER_COLOR, PALETTE, TYPE_COLORS
from llgraph.layout import LAYOUT_MAX_NODES
from llgraph.network import DOMESTIC_LEVELS, OVERSEAS_LEVELS, PROJECTIONS
from llgraph.web.deps import app_state
from llgraph.web.templating import CSP, page

__all__ = ["NETWORK_CSP", "network_config", "router"]

router = APIRouter(tags=["pages"])

#: The layout runs in a worker from this server (``/static/network-layout.js``).
NETWORK_CSP = CSP + "; worker-src 'self'"
#: The first picture: the projection and level that draw one connected network.
DEFAULT_VIEW = {"projection": "region-region", "domestic": "bureau-area", "overseas": "country"}


def _hex(colour: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def network_config(request: Request) -> dict[str, Any]:
    """What the page's script needs: choices, colours, defaults and the base URI."""
    return {
        "base": app_state(request).settings.base_uri,
        "projections": PROJECTIONS,
        "levels": {"domestic": list(DOMESTIC_LEVELS), "overseas": list(OVERSEAS_LEVELS)},
        "bipartite": ["region-region", "region-industry"],
        "metrics": METRICS,
        "fastMetrics": list(FAST_METRICS),
        "typeColors": {name: _hex(rgb) for name, rgb in TYPE_COLORS.items()},
        "otherColor": _hex(OTHER_COLOR),
        "palette": [_hex(rgb) for rgb in PALETTE],
        "layoutMaxNodes": LAYOUT_MAX_NODES,
        "defaults": DEFAULT_VIEW,
    }


@router.get("/network", include_in_schema=False, name="network_page")
def network_page(request: Request) -> HTMLResponse:
    """The network viewer; its choices live in the query string, so a view is a link."""
    config = network_config(request)
    return page(request, "network.html", {"config": config}, csp=NETWORK_CSP)
