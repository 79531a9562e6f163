"""REST collections and items under /api: JSON, JSON-LD or CSV, with ETags and filters."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from llgraph import resources
from llgraph.config import Settings
from llgraph.web import models as m
from llgraph.web.deps import SettingsDep, StoreDep
from llgraph.web.handlers import collection as _collection
from llgraph.web.handlers import item
from llgraph.web.kinds import CONTEXT, REST_KINDS, IndustryScheme
from llgraph.web.representation import (
    CSV,
    JSONLD,
)
from llgraph.web.strict import check_filters, strict_parameters

__all__ = ["router"]

# Every route refuses parameters it does not declare, and repeated ones (see web/strict.py).
router = APIRouter(prefix="/api", tags=["resources"], dependencies=[Depends(strict_parameters)])

SLUG = f"^{resources.SLUG}$"
Format = Literal["json", "jsonld", "csv"]
Order = Literal["asc", "desc"]


# ------------------------------------------------------------------------- routes


class PageQuery(BaseModel):
    """Paging, order and format: the query parameters every collection takes."""

    limit: int = Field(50, ge=1, le=500, description="items per page")
    offset: int = Field(0, ge=0, le=1_000_000, description="items to skip")
    order: Order = Field("asc", description="sort direction")
    format: Format | None = Field(None, description="overrides the Accept header")


PageDep = Annotated[PageQuery, Query()]
ItemFormat = Annotated[
    Literal["json", "jsonld"] | None, Query(description="overrides the Accept header")
]
Key = Annotated[str, Path(pattern=SLUG, max_length=120, description="the last part of the id")]


def collection(
    request: Request, store: StoreDep, settings: Settings, kind: str, **options: Any
) -> Response:
    """A page of ``kind`` after the filters were checked (a 422 for one naming nothing)."""
    check_filters(store, options["filters"])
    return _collection(request, store, settings, kind, **options)


def _responses(kind: str, *, collection: bool) -> dict[int | str, dict[str, Any]]:
    spec = REST_KINDS[kind]
    name = f"Page_{spec.summary.__name__}_" if collection else spec.detail.__name__
    content: dict[str, Any] = {JSONLD: {"schema": {"$ref": f"#/components/schemas/{name}"}}}
    if collection:
        content[CSV] = {"schema": {"type": "string"}}
    codes = (304, 422) if collection else (304, 404, 422)
    return {200: {"content": content}, **m.problem_responses(*codes)}


def _list_route(kind: str, name: str) -> Callable[[Callable[..., Response]], Any]:
    return router.get(
        f"/{kind}",
        operation_id=f"list_{name}",
        response_model=m.page_of(REST_KINDS[kind].summary),
        responses=_responses(kind, collection=True),
        summary=f"List {kind.replace('-', ' ')}",
    )


def _item_route(kind: str, name: str, path: str = "{key}") -> Callable[..., Any]:
    return router.get(
        f"/{kind}/{path}",
        operation_id=f"get_{name}",
        response_model=REST_KINDS[kind].detail,
        responses=_responses(kind, collection=False),
        summary=f"One of the {kind.replace('-', ' ')}",
    )


#: kind → its list route's endpoint.
_LIST: dict[str, Callable[..., Response]] = {}
_KEYWORD = inspect.Parameter.KEYWORD_ONLY


def _add_list_route(kind: str) -> None:
    """The list route of ``kind`` (``/api/{kind}``): paging, then the kind's filters as
    query parameters (their order is the OpenAPI contract's), then ``sort``."""
    spec = REST_KINDS[kind]

    def list_items(
        request: Request,
        store: StoreDep,
        settings: SettingsDep,
        page: PageDep,
        sort: str = "id",
        **values: Any,
    ) -> Response:
        filters = {name: p.term(settings, values.get(name)) for name, p in spec.params.items()}
        return collection(request, store, settings, kind, filters=filters, sort=sort, **vars(page))

    shared = [
        inspect.Parameter(name, _KEYWORD, annotation=annotation)
        for name, annotation in (
            ("request", Request),
            ("store", StoreDep),
            ("settings", SettingsDep),
            ("page", PageDep),
        )
    ]
    filters = [
        inspect.Parameter(name, _KEYWORD, annotation=p.annotation, default=None)
        for name, p in spec.params.items()
    ]
    sort = inspect.Parameter("sort", _KEYWORD, annotation=spec.sort, default="id")
    # FastAPI reads the parameters from __signature__
    list_items.__signature__ = inspect.Signature(  # type: ignore[attr-defined]  # not declared
        [*shared, *filters, sort], return_annotation=Response
    )
    list_items.__name__ = list_items.__qualname__ = f"list_{kind.replace('-', '_')}"
    list_items.__doc__ = spec.list_doc
    _LIST[kind] = _list_route(kind, kind.replace("-", "_"))(list_items)


def _add_item_route(kind: str) -> None:
    """The item route of ``kind`` (``/api/{kind}/{key}``), from its :class:`ResourceKind`."""
    spec = REST_KINDS[kind]

    def get_item(
        request: Request,
        store: StoreDep,
        settings: SettingsDep,
        key: Key,
        format: ItemFormat = None,
    ) -> Response:
        return item(request, store, settings, kind, key, format)

    get_item.__name__ = get_item.__qualname__ = f"get_{spec.item}"
    get_item.__doc__ = spec.item_doc
    _item_route(kind, spec.item)(get_item)


class JsonLdContext(BaseModel):
    """The JSON-LD context mapping the API's JSON keys to RDF terms."""

    context: dict[str, Any] = Field(alias="@context")


@router.get(
    "/context.jsonld",
    operation_id="get_context",
    response_model=JsonLdContext,
    responses={
        200: {"content": {JSONLD: {"schema": {"$ref": "#/components/schemas/JsonLdContext"}}}}
    },
    summary="The JSON-LD context of the API's answers",
)
def get_context() -> Response:
    """The context the JSON-LD answers refer to (so no remote context is ever needed)."""
    body = json.dumps(CONTEXT, ensure_ascii=False)
    return Response(body, media_type=JSONLD, headers={"Cache-Control": "max-age=86400"})


_add_list_route("regions")
_add_item_route("regions")
_add_list_route("partnerships")
_add_item_route("partnerships")
_add_list_route("industries")


@_item_route("industries", "industry", "{scheme}/{key}")
def get_industry(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    scheme: Annotated[IndustryScheme, Path(description="the classification")],
    key: Key,
    format: ItemFormat = None,
) -> Response:
    """One industry (e.g. ``ll/medical-welfare-equipment``)."""
    return item(request, store, settings, "industries", f"{scheme}/{key}", format)


for _kind in [*REST_KINDS][3:]:  # institutions … datasets
    _add_list_route(_kind)
    _add_item_route(_kind)

#: The list routes by their operation id, for the pages that render them as HTML.
list_regions = _LIST["regions"]
list_partnerships = _LIST["partnerships"]
list_industries = _LIST["industries"]
list_institutions = _LIST["institutions"]
list_activities = _LIST["activities"]
list_outcomes = _LIST["outcomes"]
