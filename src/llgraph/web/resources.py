"""REST collections and items under /api: JSON, JSON-LD or CSV, with ETags and filters."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from rdflib import Literal as RDFLiteral
from rdflib import URIRef

from llgraph import resources
from llgraph.config import Settings
from llgraph.namespaces import LLO
from llgraph.resources import KINDS
from llgraph.web import models as m
from llgraph.web.deps import SettingsDep, StoreDep
from llgraph.web.handlers import collection as _collection
from llgraph.web.handlers import item
from llgraph.web.kinds import CONTEXT, REST_KINDS
from llgraph.web.representation import (
    CSV,
    JSONLD,
)
from llgraph.web.strict import check_filters, strict_parameters

__all__ = ["router"]

# Every route refuses parameters it does not declare, and repeated ones (see web/strict.py).
router = APIRouter(prefix="/api", tags=["resources"], dependencies=[Depends(strict_parameters)])

SLUG = f"^{resources.SLUG}$"
Slug = Annotated[str, Field(pattern=SLUG, max_length=120)]
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
Sort = Literal["id", "label", "label_en"]
RegionLevel = Literal[
    "bureau-area",
    "prefecture",
    "municipality",
    "cluster-area",
    "country",
    "state-province",
    "city",
    "area",
]
Country = Annotated[
    str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 country code")
]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="a Japanese fiscal year")]


def collection(
    request: Request, store: StoreDep, settings: Settings, kind: str, **options: Any
) -> Response:
    """A page of ``kind`` after the filters were checked (a 422 for one naming nothing)."""
    check_filters(store, options["filters"])
    return _collection(request, store, settings, kind, **options)


def _uri(settings: Settings, segment: str, slug: str | None) -> URIRef | None:
    return URIRef(f"{settings.base_uri}id/{segment}/{slug}") if slug is not None else None


def _lit(value: str | int | None) -> RDFLiteral | None:
    return RDFLiteral(value) if value is not None else None


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
        response_model=m.Page[REST_KINDS[kind].summary],  # type: ignore[misc]
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


@_list_route("regions", "regions")
def list_regions(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    page: PageDep,
    side: Annotated[
        Literal["domestic", "overseas"] | None, Query(description="Japan or abroad")
    ] = None,
    level: Annotated[RegionLevel | None, Query(description="region level")] = None,
    country: Country = None,
    prefecture: Annotated[
        str | None, Query(pattern=r"^[0-9]{2}$", description="JIS X 0401 prefecture code")
    ] = None,
    within: Annotated[
        Slug | None, Query(description="regions inside this region (e.g. cn)")
    ] = None,
    sort: Sort = "id",
) -> Response:
    """Regions, domestic and overseas; ``country`` and ``prefecture`` include regions inside."""
    sides = {"domestic": LLO.DomesticRegion, "overseas": LLO.OverseasRegion}
    filters = {
        "side": sides[side] if side else None,
        "level": _uri(settings, "region-level", level),
        "country": _lit(country.upper() if country else None),
        "prefecture": _lit(prefecture),
        "within": _uri(settings, "region", within),
    }
    return collection(request, store, settings, "regions", filters=filters, sort=sort, **vars(page))


_add_item_route("regions")


@_list_route("partnerships", "partnerships")
def list_partnerships(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    page: PageDep,
    programme: Annotated[Literal["ll", "rit"] | None, Query(description="LL or RIT")] = None,
    domestic_region: Annotated[
        Slug | None, Query(description="a domestic region id (its sub-regions count)")
    ] = None,
    overseas_region: Annotated[
        Slug | None, Query(description="an overseas region id (its sub-regions count)")
    ] = None,
    overseas_country: Country = None,
    industry: Annotated[
        str | None,
        Query(
            pattern=f"^{KINDS['industries'].key_pattern}$",
            max_length=120,
            description="an industry id such as ll/food; narrower and matched industries count",
        ),
    ] = None,
    from_year: Year = None,
    to_year: Year = None,
    sort: Literal["id", "label", "label_en", "start_fiscal_year", "end_fiscal_year"] = "id",
) -> Response:
    """Partnerships; ``from_year``/``to_year`` keep those active in part of that range
    (a partnership with no end year counts as active in its start year only)."""
    filters = {
        "programme": _uri(settings, "programme", programme),
        "domestic_region": _uri(settings, "region", domestic_region),
        "overseas_region": _uri(settings, "region", overseas_region),
        "overseas_country": _lit(overseas_country.upper() if overseas_country else None),
        "industry": _uri(settings, "industry", industry),
        "from_year": _lit(from_year),
        "to_year": _lit(to_year),
    }
    return collection(
        request, store, settings, "partnerships", filters=filters, sort=sort, **vars(page)
    )


_add_item_route("partnerships")


IndustryScheme = Literal["ll", "survey", "theme"]


@_list_route("industries", "industries")
def list_industries(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    page: PageDep,
    scheme: Annotated[
        IndustryScheme | None, Query(description="LL 11 categories, survey 9 groups or themes")
    ] = None,
    sort: Literal["id", "label", "label_en", "notation"] = "id",
) -> Response:
    """Industries of the report's three classifications."""
    filters = {"scheme": _uri(settings, "scheme", f"industry-{scheme}" if scheme else None)}
    return collection(
        request, store, settings, "industries", filters=filters, sort=sort, **vars(page)
    )


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


@_list_route("institutions", "institutions")
def list_institutions(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    page: PageDep,
    role: Annotated[
        Literal["domestic-implementing-body", "overseas-implementing-body", "participant"] | None,
        Query(description="their role in some partnership"),
    ] = None,
    sort: Sort = "id",
) -> Response:
    """Institutions named in the report."""
    filters = {"role": _uri(settings, "role", role)}
    return collection(
        request, store, settings, "institutions", filters=filters, sort=sort, **vars(page)
    )


_add_item_route("institutions")


@_list_route("programmes", "programmes")
def list_programmes(
    request: Request, store: StoreDep, settings: SettingsDep, page: PageDep, sort: Sort = "id"
) -> Response:
    """The LL and RIT programmes."""
    return collection(request, store, settings, "programmes", filters={}, sort=sort, **vars(page))


_add_item_route("programmes")


PartnershipId = Annotated[Slug | None, Query(description="a partnership id")]


@_list_route("activities", "activities")
def list_activities(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    page: PageDep,
    partnership: PartnershipId = None,
    type: Annotated[Slug | None, Query(description="an activity type id")] = None,
    sort: Sort = "id",
) -> Response:
    """Exchange activities of partnerships."""
    filters = {
        "partnership": _uri(settings, "partnership", partnership),
        "type": _uri(settings, "activity-type", type),
    }
    return collection(
        request, store, settings, "activities", filters=filters, sort=sort, **vars(page)
    )


_add_item_route("activities")


@_list_route("outcomes", "outcomes")
def list_outcomes(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    page: PageDep,
    partnership: PartnershipId = None,
    type: Annotated[Slug | None, Query(description="an outcome type id")] = None,
    sort: Sort = "id",
) -> Response:
    """Concrete outcomes of partnerships."""
    filters = {
        "partnership": _uri(settings, "partnership", partnership),
        "type": _uri(settings, "outcome-type", type),
    }
    return collection(
        request, store, settings, "outcomes", filters=filters, sort=sort, **vars(page)
    )


_add_item_route("outcomes")


@_list_route("success-factors", "success_factors")
def list_success_factors(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    page: PageDep,
    phase: Annotated[
        Literal["conception", "organisation", "action"] | None, Query(description="the phase")
    ] = None,
    sort: Literal["id", "label", "label_en", "notation"] = "id",
) -> Response:
    """The report's eight points for successful international industrial partnership."""
    filters = {"phase": _uri(settings, "phase", phase)}
    return collection(
        request, store, settings, "success-factors", filters=filters, sort=sort, **vars(page)
    )


_add_item_route("success-factors")


@_list_route("datasets", "datasets")
def list_datasets(
    request: Request, store: StoreDep, settings: SettingsDep, page: PageDep, sort: Sort = "id"
) -> Response:
    """The report's statistical tables (RDF Data Cube data sets) with their structure."""
    return collection(request, store, settings, "datasets", filters={}, sort=sort, **vars(page))


_add_item_route("datasets")
