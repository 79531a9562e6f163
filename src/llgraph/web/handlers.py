"""The answer every REST kind shares: one page of a collection, or one item, negotiated."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request
from fastapi.responses import Response
from rdflib.term import Identifier

from llgraph import resources
from llgraph.config import Settings
from llgraph.resources import KINDS
from llgraph.store import Store
from llgraph.web import models as m
from llgraph.web.kinds import REST_KINDS, detail, summarise
from llgraph.web.problems import problem
from llgraph.web.representation import (
    JSON,
    JSONLD,
    MEDIA,
    Linker,
    conditional,
    csv_response,
    json_response,
    negotiate,
)

__all__ = ["collection", "item"]


def _page_link(request: Request, offset: int | None) -> str | None:
    if offset is None:
        return None
    return str(request.url.include_query_params(offset=offset))


def collection(
    request: Request,
    store: Store,
    settings: Settings,
    kind: str,
    *,
    filters: Mapping[str, Identifier | None],
    sort: str,
    order: str,
    limit: int,
    offset: int,
    format: str | None,
) -> Response:
    """One page of the ``kind`` collection in the representation the client asked for."""
    rep = format or negotiate(request, MEDIA, "json")
    bound = {k: v for k, v in filters.items() if v is not None}

    def build() -> Response:
        total, uris = resources.select_page(
            store,
            KINDS[kind],
            filters=bound,
            sort=sort,
            descending=order == "desc",
            limit=limit,
            offset=offset,
        )
        linker = Linker(request, settings)
        items = [summarise(store, linker, kind, d) for d in resources.describe(store, uris)]
        if rep == "csv":
            return csv_response(REST_KINDS[kind].summary, items)
        nxt = offset + limit if offset + limit < total else None
        prev = max(offset - limit, 0) if offset > 0 else None
        page = m.page_of(REST_KINDS[kind].summary)(
            total=total,
            limit=limit,
            offset=offset,
            items=items,
            next=_page_link(request, nxt),
            previous=_page_link(request, prev),
        )
        return json_response(request, rep, page)

    return conditional(request, store, rep, build)


def item(
    request: Request, store: Store, settings: Settings, kind: str, key: str, format: str | None
) -> Response:
    """One resource of ``kind`` in JSON or JSON-LD; 404 when the store knows nothing of it."""
    rep = format or negotiate(request, {"json": JSON, "jsonld": JSONLD}, "json")
    if rep == "csv":
        rep = "json"
    uri = KINDS[kind].uri(key, base=settings.base_uri)

    def build() -> Response:
        if not resources.is_a(store, uri, KINDS[kind]):
            return problem(404, "Not found", f"there is no {kind} with the id {key!r}")
        linker = Linker(request, settings)
        body = detail(store, linker, kind, resources.describe(store, [uri])[0])
        return json_response(request, rep, body)

    return conditional(request, store, rep, build)
