"""GET /api/search: label search across every resource, Japanese and English, ranked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from llgraph import resources
from llgraph.search import search as search_labels
from llgraph.web import models as m
from llgraph.web.deps import SettingsDep, StoreDep
from llgraph.web.representation import JSON, JSONLD, Linker, conditional, json_response, negotiate
from llgraph.web.strict import strict_parameters

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["search"], dependencies=[Depends(strict_parameters)])

MATCHES: dict[int, Literal["exact", "prefix", "substring"]] = {
    3: "exact",
    2: "prefix",
    1: "substring",
}
if TYPE_CHECKING:
    KindName = str
else:  # the collections' names, for FastAPI's check and the OpenAPI enum
    KindName = Literal[tuple(resources.KINDS)]


@router.get(
    "/search",
    operation_id="search",
    response_model=m.SearchResult,
    responses={
        200: {"content": {JSONLD: {"schema": {"$ref": "#/components/schemas/SearchResult"}}}},
        **m.problem_responses(304, 422),
    },
    summary="Search labels",
)
def search(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            pattern=r"\S",
            description="text to find in labels (ja or en; case-insensitive, partial)",
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=200, description="hits to return")] = 20,
    kind: Annotated[
        KindName | None,
        Query(description="only resources of this collection"),
    ] = None,
) -> Response:
    """Resources whose label contains ``q``: exact matches first, then prefixes, then the rest."""
    rep = negotiate(request, {"json": JSON, "jsonld": JSONLD}, "json")

    def build() -> Response:
        only = resources.KINDS[kind] if kind else None
        total, hits = search_labels(store, q, limit=limit, kind=only, base=settings.base_uri)
        linker = Linker(request, settings)
        items = [
            m.SearchHit(
                **linker.link(hit.ref).model_dump(),
                api_url=linker.api(hit.ref.uri),
                types=list(hit.types),
                match=MATCHES[hit.rank],
                matched_label=hit.matched,
            )
            for hit in hits
        ]
        return json_response(request, rep, m.SearchResult(q=q, total=total, items=items))

    return conditional(request, store, rep, build)
