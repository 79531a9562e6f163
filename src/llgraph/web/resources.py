"""REST collections and items under /api: JSON, JSON-LD or CSV, with ETags and filters."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from rdflib import Literal as RDFLiteral
from rdflib import URIRef
from rdflib.term import Identifier

from llgraph import resources
from llgraph.config import Settings
from llgraph.namespaces import DCTERMS, ID, LLO, ORG, QB, RDF, RDFS, SCHEMA, SKOS
from llgraph.resources import KINDS, Description, Ref
from llgraph.store import Store
from llgraph.web import models as m
from llgraph.web.deps import SettingsDep, StoreDep
from llgraph.web.problems import problem

__all__ = ["CONTEXT", "JSON", "JSONLD", "Linker", "cached", "json_response", "negotiate", "router"]

router = APIRouter(prefix="/api", tags=["resources"])

JSON = "application/json"
JSONLD = "application/ld+json"
CSV = "text/csv"
MEDIA = {"json": JSON, "jsonld": JSONLD, "csv": CSV}

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG, max_length=120)]
Format = Literal["json", "jsonld", "csv"]
Order = Literal["asc", "desc"]


# ------------------------------------------------------------------ links and urls


class Linker:
    """Maps URIs under ``{base_uri}id/`` to where this server dereferences them."""

    def __init__(self, request: Request, settings: Settings) -> None:
        self.base = settings.base_uri + "id/"
        self.server = str(request.base_url) + "id/"

    def url(self, uri: str) -> str | None:
        """This server's URL of ``uri``, or None when the URI is not ours."""
        return self.server + uri[len(self.base) :] if uri.startswith(self.base) else None

    def link(self, ref: Ref) -> m.Link:
        """``ref`` as an ``{id, url, label}`` summary."""
        return m.Link(id=ref.uri, url=self.url(ref.uri), label=m.Labels(ja=ref.ja, en=ref.en))


# ------------------------------------------------------------ content negotiation


def _accepted(accept: str) -> list[tuple[float, str]]:
    ranked = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranked.append((q, media.lower()))
    return sorted(ranked, key=lambda r: -r[0])


def negotiate(request: Request, offered: Mapping[str, str], default: str) -> str:
    """The key of ``offered`` (key → media type) the Accept header prefers, else ``default``."""
    for q, media in _accepted(request.headers.get("accept", "")):
        if q <= 0:
            continue
        for key, offer in offered.items():
            if media == offer:
                return key
    return default


def _etag(store: Store, representation: str) -> str:
    return f'"{store.version}-{representation}"'


def _not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags or "*" in tags


def cached(request: Request, store: Store, rep: str, build: Callable[[], Response]) -> Response:
    """304 when the client has this representation of this data version, else ``build()``."""
    etag = _etag(store, rep)
    headers = {"ETag": etag, "Vary": "Accept", "Cache-Control": "no-cache"}
    if _not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    response = build()
    response.headers.update(headers if response.status_code == 200 else {"Vary": "Accept"})
    return response


def _context_url(request: Request) -> str:
    return str(request.url_for("get_context"))


def json_response(request: Request, rep: str, body: BaseModel) -> Response:
    """``body`` as JSON, or as JSON-LD (``rep == "jsonld"``) referring to the API's context."""
    data = body.model_dump(mode="json", by_alias=True)
    if rep == "jsonld":
        data = {"@context": _context_url(request), **data}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(text, media_type=MEDIA[rep])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("id", ""))
    if isinstance(value, list):
        return " ".join(_cell(v) for v in value)
    return str(value)


def _csv_response(model: type[m.Summary], items: list[m.Summary]) -> Response:
    buffer = io.StringIO()
    rows = [item.model_dump(mode="json") for item in items]
    fields = list(model.model_fields)
    columns = [c for f in fields for c in (("label_ja", "label_en") if f == "label" else (f,))]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        label = row.pop("label", {}) or {}
        cells = {k: _cell(v) for k, v in row.items()}
        writer.writerow(
            {**cells, "label_ja": label.get("ja") or "", "label_en": label.get("en") or ""}
        )
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8")


# ------------------------------------------------------------------ summaries


def _int(desc: Description, predicate: URIRef) -> int | None:
    value = desc.value(predicate)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _one(linker: Linker, desc: Description, predicate: URIRef) -> m.Link | None:
    refs = desc.refs(predicate)
    return linker.link(refs[0]) if refs else None


def _many(linker: Linker, desc: Description, predicate: URIRef) -> list[m.Link]:
    return [linker.link(r) for r in desc.refs(predicate)]


def _base(linker: Linker, desc: Description) -> dict[str, Any]:
    return {
        "id": desc.ref.uri,
        "url": linker.url(desc.ref.uri) or desc.ref.uri,
        "label": m.Labels(ja=desc.ref.ja, en=desc.ref.en),
        "types": [r.uri for r in desc.refs(RDF.type)],
    }


def _region(linker: Linker, d: Description) -> dict[str, Any]:
    types = {r.uri for r in d.refs(RDF.type)}
    side = "domestic" if str(LLO.DomesticRegion) in types else None
    side = "overseas" if str(LLO.OverseasRegion) in types else side
    return {
        "side": side,
        "level": _one(linker, d, LLO.regionLevel),
        "country_code": d.value(LLO.countryCode),
        "prefecture_code": d.value(LLO.prefectureCode),
        "contained_in": _many(linker, d, SCHEMA.containedInPlace),
    }


def _partnership(linker: Linker, d: Description) -> dict[str, Any]:
    return {
        "programme": _one(linker, d, LLO.programme),
        "domestic_regions": _many(linker, d, LLO.domesticRegion),
        "overseas_regions": _many(linker, d, LLO.overseasRegion),
        "industries": _many(linker, d, LLO.industry),
        "start_fiscal_year": _int(d, LLO.startFiscalYear),
        "end_fiscal_year": _int(d, LLO.endFiscalYear),
        "fiscal_years": sorted(int(v.value) for v in d.values(LLO.fiscalYear)),
    }


def _institution(linker: Linker, d: Description) -> dict[str, Any]:
    members = d.incoming.get(str(ORG.member), [])
    return {"memberships": [linker.link(r) for r in members]}


def _activity(linker: Linker, d: Description) -> dict[str, Any]:
    return {
        "partnership": _one(linker, d, LLO.partnership),
        "activity_type": _one(linker, d, LLO.activityType),
        "number_of_times": _int(d, LLO.numberOfTimes),
        "number_of_participants": _int(d, LLO.numberOfParticipants),
    }


def _dataset(store: Store, linker: Linker, d: Description) -> dict[str, Any]:
    dims, measures = resources.dataset_structure(store, URIRef(d.ref.uri))
    labels = resources.labels_of(store, [*dims, *measures])
    return {
        "dimensions": [linker.link(labels[str(p)]) for p in dims],
        "measures": [linker.link(labels[str(p)]) for p in measures],
        "observation_count": len(d.incoming.get(str(QB.dataSet), [])),
    }


Builder = Callable[[Store, Linker, Description], dict[str, Any]]

#: kind → (summary model, detail model, builder of the kind's own fields)
SHAPES: dict[str, tuple[type[m.Summary], type[m.Summary], Builder]] = {}


def _shape(kind: str, summary: type[m.Summary], build: Builder) -> None:
    detail = type(f"{summary.__name__.removesuffix('Summary')}Detail", (m.Detail, summary), {})
    detail.__doc__ = f"{summary.__doc__.rstrip('.')} with every statement about it."  # type: ignore[union-attr]
    SHAPES[kind] = (summary, detail, build)


_shape("regions", m.RegionSummary, lambda s, lk, d: _region(lk, d))
_shape("partnerships", m.PartnershipSummary, lambda s, lk, d: _partnership(lk, d))
_shape(
    "industries",
    m.IndustrySummary,
    lambda s, lk, d: {"schemes": _many(lk, d, SKOS.inScheme), "notation": d.value(SKOS.notation)},
)
_shape("institutions", m.InstitutionSummary, lambda s, lk, d: _institution(lk, d))
_shape(
    "programmes",
    m.ProgrammeSummary,
    lambda s, lk, d: {"operated_by": _many(lk, d, LLO.operatedBy)},
)
_shape("activities", m.ActivitySummary, lambda s, lk, d: _activity(lk, d))
_shape(
    "outcomes",
    m.OutcomeSummary,
    lambda s, lk, d: {
        "partnership": _one(lk, d, LLO.partnership),
        "outcome_type": _one(lk, d, LLO.outcomeType),
    },
)
_shape(
    "success-factors",
    m.SuccessFactorSummary,
    lambda s, lk, d: {"phase": _one(lk, d, LLO.phase), "notation": d.value(SKOS.notation)},
)
SHAPES["datasets"] = (m.DatasetSummary, m.DatasetDetail, _dataset)


def summarise(store: Store, linker: Linker, kind: str, desc: Description) -> m.Summary:
    """The summary model of ``desc`` as a ``kind``."""
    summary, _, build = SHAPES[kind]
    return summary(**_base(linker, desc), **build(store, linker, desc))


def _statements(linker: Linker, d: Description, table: Mapping[str, list[Any]]) -> list[Any]:
    out = []
    for prop in sorted(table):
        values = [
            linker.link(v) if isinstance(v, Ref) else m.LiteralValue(**vars(v)) for v in table[prop]
        ]
        out.append(m.PropertyValues(property=linker.link(d.prop(prop)), values=values))
    return out


def _description(d: Description) -> m.Labels:
    texts: dict[str, str | None] = {}
    for lang in ("ja", "en"):
        texts[lang] = d.value(RDFS.comment, lang) or d.value(SKOS.definition, lang)
    return m.Labels(**texts)


def detail(store: Store, linker: Linker, kind: str, desc: Description) -> m.Summary:
    """The detail model of ``desc`` as a ``kind``: summary, description, sources, statements."""
    _, model, build = SHAPES[kind]
    fields: dict[str, Any] = {
        **_base(linker, desc),
        **build(store, linker, desc),
        "description": _description(desc),
        "sources": _many(linker, desc, DCTERMS.source),
        "properties": _statements(linker, desc, desc.outgoing),
        "referenced_by": _statements(linker, desc, desc.incoming),
    }
    if kind == "datasets":
        fields["observations"] = _observations(store, linker, URIRef(desc.ref.uri))
    return model(**fields)


def _observations(store: Store, linker: Linker, dataset: URIRef) -> list[m.Observation]:
    dims, measures = resources.dataset_structure(store, dataset)
    out = []
    for obs in resources.describe(store, resources.observations(store, dataset)):
        values: dict[str, float] = {}
        for p in measures:
            found = obs.values(p)
            if found:
                values[str(p)] = float(found[0].value)
        dimensions = {str(p): linker.link(r[0]) for p in dims if (r := obs.refs(p))}
        url = linker.url(obs.ref.uri) or obs.ref.uri
        out.append(m.Observation(id=obs.ref.uri, url=url, dimensions=dimensions, measures=values))
    return out


# ------------------------------------------------------------------ generic handlers


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
            return _csv_response(SHAPES[kind][0], items)
        nxt = offset + limit if offset + limit < total else None
        prev = max(offset - limit, 0) if offset > 0 else None
        page = m.Page[SHAPES[kind][0]](  # type: ignore[misc]
            total=total,
            limit=limit,
            offset=offset,
            items=items,
            next=_page_link(request, nxt),
            previous=_page_link(request, prev),
        )
        return json_response(request, rep, page)

    return cached(request, store, rep, build)


def item(
    request: Request, store: Store, settings: Settings, kind: str, key: str, format: str | None
) -> Response:
    """One resource of ``kind`` in JSON or JSON-LD; 404 when the store knows nothing of it."""
    rep = format or negotiate(request, {"json": JSON, "jsonld": JSONLD}, "json")
    if rep == "csv":
        rep = "json"
    uri = KINDS[kind].uri(key)

    def build() -> Response:
        if not resources.is_a(store, uri, KINDS[kind]):
            return problem(404, "Not found", f"there is no {kind} with the id {key!r}")
        linker = Linker(request, settings)
        body = detail(store, linker, kind, resources.describe(store, [uri])[0])
        return json_response(request, rep, body)

    return cached(request, store, rep, build)


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


def _uri(segment: str, slug: str | None) -> URIRef | None:
    return ID[f"{segment}/{slug}"] if slug is not None else None


def _lit(value: str | int | None) -> RDFLiteral | None:
    return RDFLiteral(value) if value is not None else None


def _responses(kind: str, *, collection: bool) -> dict[int | str, dict[str, Any]]:
    summary, detail_model, _ = SHAPES[kind]
    name = f"Page_{summary.__name__}_" if collection else detail_model.__name__
    content: dict[str, Any] = {JSONLD: {"schema": {"$ref": f"#/components/schemas/{name}"}}}
    if collection:
        content[CSV] = {"schema": {"type": "string"}}
    codes = (304, 422) if collection else (304, 404, 422)
    return {200: {"content": content}, **m.problem_responses(*codes)}


def _list_route(kind: str, name: str) -> Callable[[Callable[..., Response]], Any]:
    return router.get(
        f"/{kind}",
        operation_id=f"list_{name}",
        response_model=m.Page[SHAPES[kind][0]],  # type: ignore[misc]
        responses=_responses(kind, collection=True),
        summary=f"List {kind.replace('-', ' ')}",
    )


def _item_route(kind: str, name: str, path: str = "{key}") -> Callable[..., Any]:
    return router.get(
        f"/{kind}/{path}",
        operation_id=f"get_{name}",
        response_model=SHAPES[kind][1],
        responses=_responses(kind, collection=False),
        summary=f"One of the {kind.replace('-', ' ')}",
    )


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
        "level": _uri("region-level", level),
        "country": _lit(country.upper() if country else None),
        "prefecture": _lit(prefecture),
        "within": _uri("region", within),
    }
    return collection(request, store, settings, "regions", filters=filters, sort=sort, **vars(page))


@_item_route("regions", "region")
def get_region(
    request: Request, store: StoreDep, settings: SettingsDep, key: Key, format: ItemFormat = None
) -> Response:
    """One region (e.g. ``jp-fukushima``, ``cn-dalian``)."""
    return item(request, store, settings, "regions", key, format)


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
            pattern=r"^(ll|survey|theme)/[a-z0-9]+(-[a-z0-9]+)*$",
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
        "programme": _uri("programme", programme),
        "domestic_region": _uri("region", domestic_region),
        "overseas_region": _uri("region", overseas_region),
        "overseas_country": _lit(overseas_country.upper() if overseas_country else None),
        "industry": _uri("industry", industry),
        "from_year": _lit(from_year),
        "to_year": _lit(to_year),
    }
    return collection(
        request, store, settings, "partnerships", filters=filters, sort=sort, **vars(page)
    )


@_item_route("partnerships", "partnership")
def get_partnership(
    request: Request, store: StoreDep, settings: SettingsDep, key: Key, format: ItemFormat = None
) -> Response:
    """One partnership (e.g. ``ll-fukushima-sweden``)."""
    return item(request, store, settings, "partnerships", key, format)


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
    filters = {"scheme": _uri("scheme", f"industry-{scheme}" if scheme else None)}
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
    filters = {"role": _uri("role", role)}
    return collection(
        request, store, settings, "institutions", filters=filters, sort=sort, **vars(page)
    )


@_item_route("institutions", "institution")
def get_institution(
    request: Request, store: StoreDep, settings: SettingsDep, key: Key, format: ItemFormat = None
) -> Response:
    """One institution (e.g. ``fukushima-prefecture``)."""
    return item(request, store, settings, "institutions", key, format)


@_list_route("programmes", "programmes")
def list_programmes(
    request: Request, store: StoreDep, settings: SettingsDep, page: PageDep, sort: Sort = "id"
) -> Response:
    """The LL and RIT programmes."""
    return collection(request, store, settings, "programmes", filters={}, sort=sort, **vars(page))


@_item_route("programmes", "programme")
def get_programme(
    request: Request, store: StoreDep, settings: SettingsDep, key: Key, format: ItemFormat = None
) -> Response:
    """One programme (``ll`` or ``rit``)."""
    return item(request, store, settings, "programmes", key, format)


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
        "partnership": _uri("partnership", partnership),
        "type": _uri("activity-type", type),
    }
    return collection(
        request, store, settings, "activities", filters=filters, sort=sort, **vars(page)
    )


@_item_route("activities", "activity")
def get_activity(
    request: Request, store: StoreDep, settings: SettingsDep, key: Key, format: ItemFormat = None
) -> Response:
    """One activity (e.g. ``ll-fukushima-sweden-1``)."""
    return item(request, store, settings, "activities", key, format)


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
    filters = {"partnership": _uri("partnership", partnership), "type": _uri("outcome-type", type)}
    return collection(
        request, store, settings, "outcomes", filters=filters, sort=sort, **vars(page)
    )


@_item_route("outcomes", "outcome")
def get_outcome(
    request: Request, store: StoreDep, settings: SettingsDep, key: Key, format: ItemFormat = None
) -> Response:
    """One outcome (e.g. ``ll-suwa-dalian-1``)."""
    return item(request, store, settings, "outcomes", key, format)


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
    filters = {"phase": _uri("phase", phase)}
    return collection(
        request, store, settings, "success-factors", filters=filters, sort=sort, **vars(page)
    )


@_item_route("success-factors", "success_factor")
def get_success_factor(
    request: Request, store: StoreDep, settings: SettingsDep, key: Key, format: ItemFormat = None
) -> Response:
    """One success factor (``1`` to ``8``)."""
    return item(request, store, settings, "success-factors", key, format)


@_list_route("datasets", "datasets")
def list_datasets(
    request: Request, store: StoreDep, settings: SettingsDep, page: PageDep, sort: Sort = "id"
) -> Response:
    """The report's statistical tables (RDF Data Cube data sets) with their structure."""
    return collection(request, store, settings, "datasets", filters={}, sort=sort, **vars(page))


@_item_route("datasets", "dataset")
def get_dataset(
    request: Request, store: StoreDep, settings: SettingsDep, key: Key, format: ItemFormat = None
) -> Response:
    """One statistical table with all its observations."""
    return item(request, store, settings, "datasets", key, format)


def _term(prop: URIRef, *, link: bool = False, container: str | None = None) -> dict[str, str]:
    entry = {"@id": str(prop)}
    if link:
        entry["@type"] = "@id"
    if container:
        entry["@container"] = container
    return entry


HYDRA = "http://www.w3.org/ns/hydra/core#"

#: The JSON-LD context of every JSON-LD answer: the API's keys as RDF terms.
CONTEXT: dict[str, Any] = {
    "@context": {
        "@version": 1.1,
        "id": "@id",
        "types": {"@id": "@type", "@container": "@set"},
        "label": _term(RDFS.label, container="@language"),
        "description": _term(RDFS.comment, container="@language"),
        "url": _term(RDFS.seeAlso, link=True),
        "items": {"@id": f"{HYDRA}member"},
        "total": {"@id": f"{HYDRA}totalItems"},
        "next": {"@id": f"{HYDRA}next", "@type": "@id"},
        "previous": {"@id": f"{HYDRA}previous", "@type": "@id"},
        "sources": _term(DCTERMS.source),
        "side": None,
        "level": _term(LLO.regionLevel),
        "country_code": _term(LLO.countryCode),
        "prefecture_code": _term(LLO.prefectureCode),
        "contained_in": _term(SCHEMA.containedInPlace),
        "programme": _term(LLO.programme),
        "domestic_regions": _term(LLO.domesticRegion),
        "overseas_regions": _term(LLO.overseasRegion),
        "industries": _term(LLO.industry),
        "start_fiscal_year": _term(LLO.startFiscalYear),
        "fiscal_years": _term(LLO.fiscalYear),
        "end_fiscal_year": _term(LLO.endFiscalYear),
        "schemes": _term(SKOS.inScheme),
        "notation": _term(SKOS.notation),
        "memberships": _term(ORG.hasMembership),
        "operated_by": _term(LLO.operatedBy),
        "partnership": _term(LLO.partnership),
        "activity_type": _term(LLO.activityType),
        "number_of_times": _term(LLO.numberOfTimes),
        "number_of_participants": _term(LLO.numberOfParticipants),
        "outcome_type": _term(LLO.outcomeType),
        "phase": _term(LLO.phase),
        "observations": {"@reverse": str(QB.dataSet)},
        **{
            key: None
            for key in (
                "limit",
                "offset",
                "properties",
                "referenced_by",
                "dimensions",
                "measures",
                "observation_count",
                "q",
                "match",
                "matched_label",
                "ja",
                "en",
            )
        },
    }
}
