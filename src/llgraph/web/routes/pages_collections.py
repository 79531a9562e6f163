"""HTML twins of the REST collections (/partnerships, /regions, ... beside /api/...): the same
parameters, a table of the page's items, facets with counts, paging, and links to the JSON
and CSV of the same selection. Also /search, the HTML twin of /api/search."""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from rdflib import URIRef

from llgraph.resources import labels_of, sparql_values
from llgraph.web import resources as api
from llgraph.web.deps import app_state
from llgraph.web.routes import search as api_search
from llgraph.web.strict import strict_parameters
from llgraph.web.templating import page

__all__ = ["router"]

router = APIRouter(tags=["pages"], dependencies=[Depends(strict_parameters)])


@dataclass(frozen=True)
class Facet:
    """A facet: the item field counted, the filter parameter it sets, its id segment."""

    title: str
    field: str
    param: str
    segment: str = ""
    path: str = ""  # a SPARQL path from the item to the values the API's filter matches


FACETS: dict[str, list[Facet]] = {
    "partnerships": [
        Facet("Programme", "programme", "programme", "programme"),
        Facet(
            "Overseas country",
            "_overseas_country",
            "overseas_country",
            path="llo:overseasRegion/schema:containedInPlace*/llo:countryCode",
        ),
        Facet("Industry", "industries", "industry", "industry"),
        Facet("Fiscal year", "_years", "_year"),
    ],
    "regions": [
        Facet("Side", "side", "side"),
        Facet("Level", "level", "level", "region-level"),
        Facet("Country", "_country", "country", path="schema:containedInPlace*/llo:countryCode"),
    ],
    "industries": [Facet("Classification", "schemes", "scheme", "scheme/industry-")],
    "activities": [
        Facet("Activity type", "_type", "type", "activity-type", path="llo:activityType"),
        Facet("Partnership", "partnership", "partnership", "partnership"),
    ],
    "outcomes": [
        Facet("Outcome type", "_type", "type", "outcome-type", path="llo:outcomeType"),
        Facet("Partnership", "partnership", "partnership", "partnership"),
    ],
    "institutions": [Facet("Role", "_role", "role", "role", path="^org:member/org:role")],
}
TITLES = {
    "partnerships": ("Partnerships", "連携テーマ"),
    "regions": ("Regions", "地域"),
    "institutions": ("Institutions", "機関"),
    "industries": ("Industries", "産業分野"),
    "activities": ("Activities", "交流活動"),
    "outcomes": ("Outcomes", "成果"),
}
_PATH_VALUES = "SELECT DISTINCT ?s ?v WHERE { VALUES ?s { %s } ?s %s ?v }"


def _json(response: Response) -> dict[str, Any]:
    return json.loads(bytes(response.body))


def _values(item: dict[str, Any], field: str) -> list[tuple[str, str]]:
    """(value, label) pairs of one item's field."""
    value = item.get(field)
    values = value if isinstance(value, list) else [value] if value is not None else []
    out = []
    for v in values:
        if isinstance(v, dict):
            out.append((v["id"], v["label"].get("ja") or v["label"].get("en") or v["id"]))
        else:
            out.append((str(v), str(v)))
    return out


def _slug(request: Request, facet: Facet, value: str) -> str:
    if not facet.segment:
        return value
    prefix = f"{app_state(request).settings.base_uri}id/{facet.segment}"
    prefix += "" if facet.segment.endswith("-") else "/"
    return value[len(prefix) :] if value.startswith(prefix) else value


def _link(request: Request, **changes: str | None) -> str:
    params = {k: v for k, v in request.query_params.items() if k != "offset"}
    params.update({k: v for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        params.pop(key, None)
    return f"{request.url.path}?{urlencode(params)}" if params else request.url.path


def _facets(request: Request, kind: str, items: list[dict]) -> list[dict[str, Any]]:
    """Each facet's values with their counts over every matching item, most frequent first."""
    out = []
    for facet in FACETS.get(kind, []):
        counts: Counter[tuple[str, str]] = Counter()
        for item in items:
            counts.update(set(_values(item, facet.field)))
        chosen = request.query_params.get(facet.param)
        entries = []
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1]))
        if facet.param == "_year":  # years read best in order, newest first
            ordered = sorted(counts.items(), key=lambda kv: kv[0][1], reverse=True)
        for (value, label), n in ordered:
            slug = _slug(request, facet, value)
            if facet.param == "_year":
                href = _link(request, from_year=slug, to_year=slug)
            else:
                href = _link(request, **{facet.param: slug})
            entries.append({"label": label, "count": n, "href": href, "chosen": slug == chosen})
        if facet.param == "_year":
            chosen = request.query_params.get("from_year")
            clear = _link(request, from_year=None, to_year=None) if chosen else None
        else:
            clear = _link(request, **{facet.param: None}) if chosen else None
        out.append({"title": facet.title, "entries": entries[:30], "clear_href": clear})
    return out


def _years(item: dict[str, Any]) -> list[int]:
    """The fiscal years a partnership is active in, as the from_year/to_year filters count
    them: its listed years, else start to end (its start year alone when no end is known)."""
    start, end = item.get("start_fiscal_year"), item.get("end_fiscal_year")
    listed = set(item.get("fiscal_years") or [])
    if start is not None:
        listed |= set(range(start, (end if end is not None else start) + 1))
    return sorted(listed, reverse=True)


def _by_path(request: Request, kind: str, items: list[dict]) -> None:
    """Give each item the values of the facets counted along a SPARQL path (as the API's
    filters match them: a country counts the regions inside it, every type counts)."""
    store = app_state(request).store
    for item in items:
        item["_years"] = _years(item)
    facets = [f for f in FACETS.get(kind, []) if f.path]
    if not items or not facets:
        return
    uris = sparql_values([URIRef(i["id"]) for i in items])
    for facet in facets:
        found: dict[str, list[object]] = {}
        for s, v in store.select(_PATH_VALUES % (uris, facet.path)):
            found.setdefault(str(s), []).append(v)
        iris = [v for vs in found.values() for v in vs if isinstance(v, URIRef)]
        labels = labels_of(store, iris)
        for item in items:
            item[facet.field] = [
                {"id": str(v), "label": {"ja": labels[str(v)].ja, "en": labels[str(v)].en}}
                if isinstance(v, URIRef)
                else str(v)
                for v in found.get(item["id"], [])
            ]


def _html_twin(kind: str, endpoint: Callable[..., Response]) -> Callable[..., Response]:
    @functools.wraps(endpoint)
    def twin(request: Request, **kwargs: Any) -> Response:
        shown = kwargs["page"].model_copy(update={"format": "json"})
        everything = shown.model_copy(update={"limit": 500, "offset": 0})
        data = _json(endpoint(request=request, **{**kwargs, "page": shown}))
        every = _json(endpoint(request=request, **{**kwargs, "page": everything}))["items"]
        _by_path(request, kind, every)
        query = urlencode([(k, v) for k, v in request.query_params.multi_items()])
        context = {
            "kind": kind,
            "title": TITLES[kind],
            "data": data,
            "facets": _facets(request, kind, every),
            "api": f"/api/{kind}" + (f"?{query}" if query else ""),
            "csv": f"/api/{kind}?"
            + urlencode([*request.query_params.multi_items(), ("format", "csv")]),
            "next": _link(request, offset=str(data["offset"] + data["limit"]))
            if data["next"]
            else None,
            "previous": _link(request, offset=str(max(data["offset"] - data["limit"], 0)))
            if data["previous"]
            else None,
            "filters": {k: v for k, v in request.query_params.items() if k not in _PAGING},
        }
        return page(request, "collection.html", context)

    return twin


_PAGING = {"limit", "offset", "order", "format", "sort"}

for _kind, _endpoint in [
    ("partnerships", api.list_partnerships),
    ("regions", api.list_regions),
    ("institutions", api.list_institutions),
    ("industries", api.list_industries),
    ("activities", api.list_activities),
    ("outcomes", api.list_outcomes),
]:
    router.add_api_route(
        f"/{_kind}",
        _html_twin(_kind, _endpoint),
        methods=["GET"],
        include_in_schema=False,
        name=f"{_kind}_page",
    )


@router.get("/search", include_in_schema=False, name="search_page")
def search_page(request: Request, q: str = "", limit: int = 50) -> Response:
    """The search results as a page (its JSON twin: /api/search)."""
    context: dict[str, Any] = {"search_q": q, "q": q, "items": [], "total": 0, "error": None}
    status = 200
    if q.strip():
        state = app_state(request)
        store, settings = state.store, state.settings
        limit = min(max(limit, 1), 200)
        answer = api_search.search(request, store, settings, q=q[:200], limit=limit, kind=None)
        found = _json(answer)
        context |= {"items": found["items"], "total": found["total"]}
    context["api"] = "/api/search?" + urlencode({"q": q}) if q.strip() else "/api/search"
    return page(request, "search.html", context, status_code=status)
