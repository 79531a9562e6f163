"""The REST resource kinds, one declarative spec each: collection, models, fields, item route.

A :class:`ResourceKind` joins what the API serves of one kind: its collection in the store
(:data:`llgraph.resources.KINDS`: path segment, classes, key rule, filters, sorts), its
summary and detail models, the builder of its own fields from a store description, and
its item route (operation id and description). The routes, the handlers and the CSV and
JSON answers all read :data:`REST_KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import Field
from rdflib import Literal as RDFLiteral
from rdflib import URIRef
from rdflib.term import Identifier

from llgraph import resources
from llgraph.config import Settings
from llgraph.namespaces import DCTERMS, LLO, ORG, QB, RDF, RDFS, SCHEMA, SKOS
from llgraph.resources import KINDS, Description, Kind, Ref
from llgraph.store import Store
from llgraph.web import models as m
from llgraph.web.representation import PLAIN_KEYS, SHARED_TERMS, Linker, term

__all__ = [
    "CONTEXT",
    "REST_KINDS",
    "IndustryScheme",
    "Param",
    "ResourceKind",
    "detail",
    "summarise",
]


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
        "continuation_of": _many(linker, d, LLO.continuationOf),
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

# ------------------------------------------------------------ filters as query parameters

SLUG = f"^{resources.SLUG}$"
Slug = Annotated[str, Field(pattern=SLUG, max_length=120)]
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
IndustryScheme = Literal["ll", "survey", "theme"]
PartnershipId = Annotated[Slug | None, Query(description="a partnership id")]


@dataclass(frozen=True)
class Param:
    """A collection filter as a query parameter: its type (with its ``Query`` metadata) and
    the RDF term a given value filters by."""

    annotation: Any
    term: Callable[[Settings, Any], Identifier | None]


def _id(segment: str, prefix: str = "") -> Callable[[Settings, Any], URIRef | None]:
    """A key under ``{base}id/{segment}/`` (``prefix`` before it): the term of an id filter."""
    return lambda s, v: URIRef(f"{s.base_uri}id/{segment}/{prefix}{v}") if v is not None else None


def _lit(settings: Settings, value: str | int | None) -> RDFLiteral | None:
    return RDFLiteral(value) if value is not None else None


def _code(settings: Settings, value: str | None) -> RDFLiteral | None:
    return RDFLiteral(value.upper()) if value else None


_SIDES = {"domestic": LLO.DomesticRegion, "overseas": LLO.OverseasRegion}


@dataclass(frozen=True)
class ResourceKind:
    """One kind of REST resource: everything the API derives its routes and answers from.

    ``terms`` are the JSON-LD terms of the fields ``build`` fills (None: plain JSON);
    ``item`` names the item in operation ids (``get_{item}``); ``item_doc`` describes the
    item route (None: the kind writes its own item route, as industries do). The list
    route takes ``params`` (the collection's filters, in this order) and ``sort`` and is
    described by ``list_doc``.
    """

    collection: Kind
    summary: type[m.Summary]
    detail: type[m.Summary]
    build: Builder
    terms: Mapping[str, Any]
    item: str
    item_doc: str | None = None
    list_doc: str = ""
    params: Mapping[str, Param] = field(default_factory=dict)
    sort: Any = Sort

    @property
    def name(self) -> str:
        """The kind's path under ``/api`` (``regions``, ``success-factors``, ...)."""
        return self.collection.name


def _detail_of(summary: type[m.Summary]) -> type[m.Summary]:
    """The detail model of ``summary`` (``RegionSummary`` → ``RegionDetail``)."""
    detail = type(f"{summary.__name__.removesuffix('Summary')}Detail", (m.Detail, summary), {})
    detail.__doc__ = f"{summary.__doc__.rstrip('.')} with every statement about it."  # type: ignore[union-attr]
    return detail


def _kind(
    name: str,
    item: str,
    summary: type[m.Summary],
    build: Builder,
    terms: Mapping[str, Any],
    doc: str | None,
    **http: Any,
) -> ResourceKind:
    return ResourceKind(KINDS[name], summary, _detail_of(summary), build, terms, item, doc, **http)


#: kind name → its spec, in the order the API lists them.
REST_KINDS: dict[str, ResourceKind] = {
    spec.name: spec
    for spec in (
        _kind(
            "regions",
            "region",
            m.RegionSummary,
            lambda s, lk, d: _region(lk, d),
            {
                "side": None,
                "level": term(LLO.regionLevel),
                "country_code": term(LLO.countryCode),
                "prefecture_code": term(LLO.prefectureCode),
                "contained_in": term(SCHEMA.containedInPlace),
            },
            "One region (e.g. ``jp-fukushima``, ``cn-dalian``).",
            list_doc="Regions, domestic and overseas; ``country`` and ``prefecture`` include "
            "regions inside.",
            params={
                "side": Param(
                    Annotated[
                        Literal["domestic", "overseas"] | None, Query(description="Japan or abroad")
                    ],
                    lambda s, v: _SIDES[v] if v else None,
                ),
                "level": Param(
                    Annotated[RegionLevel | None, Query(description="region level")],
                    _id("region-level"),
                ),
                "country": Param(Country, _code),
                "prefecture": Param(
                    Annotated[
                        str | None,
                        Query(pattern=r"^[0-9]{2}$", description="JIS X 0401 prefecture code"),
                    ],
                    _lit,
                ),
                "within": Param(
                    Annotated[
                        Slug | None, Query(description="regions inside this region (e.g. cn)")
                    ],
                    _id("region"),
                ),
            },
        ),
        _kind(
            "partnerships",
            "partnership",
            m.PartnershipSummary,
            lambda s, lk, d: _partnership(lk, d),
            {
                "programme": term(LLO.programme),
                "domestic_regions": term(LLO.domesticRegion),
                "overseas_regions": term(LLO.overseasRegion),
                "industries": term(LLO.industry),
                "start_fiscal_year": term(LLO.startFiscalYear),
                "fiscal_years": term(LLO.fiscalYear),
                "continuation_of": term(LLO.continuationOf),
                "end_fiscal_year": term(LLO.endFiscalYear),
            },
            "One partnership (e.g. ``ll-fukushima-sweden``).",
            list_doc="Partnerships; ``from_year``/``to_year`` keep those active in part of that "
            "range\n    (a partnership with no end year counts as active in its start year only).",
            params={
                "programme": Param(
                    Annotated[Literal["ll", "rit"] | None, Query(description="LL or RIT")],
                    _id("programme"),
                ),
                "domestic_region": Param(
                    Annotated[
                        Slug | None,
                        Query(description="a domestic region id (its sub-regions count)"),
                    ],
                    _id("region"),
                ),
                "overseas_region": Param(
                    Annotated[
                        Slug | None,
                        Query(description="an overseas region id (its sub-regions count)"),
                    ],
                    _id("region"),
                ),
                "overseas_country": Param(Country, _code),
                "industry": Param(
                    Annotated[
                        str | None,
                        Query(
                            pattern=f"^{KINDS['industries'].key_pattern}$",
                            max_length=120,
                            description="an industry id such as ll/food; narrower and matched "
                            "industries count",
                        ),
                    ],
                    _id("industry"),
                ),
                "from_year": Param(Year, _lit),
                "to_year": Param(Year, _lit),
            },
            sort=Literal["id", "label", "label_en", "start_fiscal_year", "end_fiscal_year"],
        ),
        _kind(
            "industries",
            "industry",
            m.IndustrySummary,
            lambda s, lk, d: {
                "schemes": _many(lk, d, SKOS.inScheme),
                "notation": d.value(SKOS.notation),
            },
            {"schemes": term(SKOS.inScheme), "notation": term(SKOS.notation)},
            None,
            list_doc="Industries of the report's three classifications.",
            params={
                "scheme": Param(
                    Annotated[
                        IndustryScheme | None,
                        Query(description="LL 11 categories, survey 9 groups or themes"),
                    ],
                    _id("scheme", "industry-"),
                )
            },
            sort=Literal["id", "label", "label_en", "notation"],
        ),
        _kind(
            "institutions",
            "institution",
            m.InstitutionSummary,
            lambda s, lk, d: _institution(lk, d),
            {"memberships": term(ORG.hasMembership)},
            "One institution (e.g. ``fukushima-prefecture``).",
            list_doc="Institutions named in the report.",
            params={
                "role": Param(
                    Annotated[
                        Literal[
                            "domestic-implementing-body",
                            "overseas-implementing-body",
                            "participant",
                        ]
                        | None,
                        Query(description="their role in some partnership"),
                    ],
                    _id("role"),
                )
            },
        ),
        _kind(
            "programmes",
            "programme",
            m.ProgrammeSummary,
            lambda s, lk, d: {"operated_by": _many(lk, d, LLO.operatedBy)},
            {"operated_by": term(LLO.operatedBy)},
            "One programme (``ll`` or ``rit``).",
            list_doc="The LL and RIT programmes.",
        ),
        _kind(
            "activities",
            "activity",
            m.ActivitySummary,
            lambda s, lk, d: _activity(lk, d),
            {
                "partnership": term(LLO.partnership),
                "activity_type": term(LLO.activityType),
                "number_of_times": term(LLO.numberOfTimes),
                "number_of_participants": term(LLO.numberOfParticipants),
            },
            "One activity (e.g. ``ll-fukushima-sweden-1``).",
            list_doc="Exchange activities of partnerships.",
            params={
                "partnership": Param(PartnershipId, _id("partnership")),
                "type": Param(
                    Annotated[Slug | None, Query(description="an activity type id")],
                    _id("activity-type"),
                ),
            },
        ),
        _kind(
            "outcomes",
            "outcome",
            m.OutcomeSummary,
            lambda s, lk, d: {
                "partnership": _one(lk, d, LLO.partnership),
                "outcome_type": _one(lk, d, LLO.outcomeType),
            },
            {"partnership": term(LLO.partnership), "outcome_type": term(LLO.outcomeType)},
            "One outcome (e.g. ``ll-suwa-dalian-1``).",
            list_doc="Concrete outcomes of partnerships.",
            params={
                "partnership": Param(PartnershipId, _id("partnership")),
                "type": Param(
                    Annotated[Slug | None, Query(description="an outcome type id")],
                    _id("outcome-type"),
                ),
            },
        ),
        _kind(
            "success-factors",
            "success_factor",
            m.SuccessFactorSummary,
            lambda s, lk, d: {"phase": _one(lk, d, LLO.phase), "notation": d.value(SKOS.notation)},
            {"phase": term(LLO.phase), "notation": term(SKOS.notation)},
            "One success factor (``1`` to ``8``).",
            list_doc="The report's eight points for successful international industrial "
            "partnership.",
            params={
                "phase": Param(
                    Annotated[
                        Literal["conception", "organisation", "action"] | None,
                        Query(description="the phase"),
                    ],
                    _id("phase"),
                )
            },
            sort=Literal["id", "label", "label_en", "notation"],
        ),
        ResourceKind(
            KINDS["datasets"],
            m.DatasetSummary,
            m.DatasetDetail,
            _dataset,
            {
                "observations": {"@reverse": str(QB.dataSet)},
                "dimensions": None,
                "measures": None,
                "observation_count": None,
            },
            "dataset",
            "One statistical table with all its observations.",
            list_doc="The report's statistical tables (RDF Data Cube data sets) with their "
            "structure.",
        ),
    )
}


def _context() -> dict[str, Any]:
    """The JSON-LD context: the shared keys, each kind's fields, then the plain JSON keys.

    A field two kinds share (``partnership``, ``notation``) must mean the same term.
    """
    terms: dict[str, Any] = dict(SHARED_TERMS)
    for spec in REST_KINDS.values():
        for key, definition in spec.terms.items():
            if terms.setdefault(key, definition) != definition:
                raise ValueError(f"{spec.name}: the JSON key {key!r} means two RDF terms")
    return {"@context": {**terms, **PLAIN_KEYS}}


#: The JSON-LD context of every JSON-LD answer: the API's keys as RDF terms.
CONTEXT: dict[str, Any] = _context()


def summarise(store: Store, linker: Linker, kind: str, desc: Description) -> m.Summary:
    """The summary model of ``desc`` as a ``kind``."""
    spec = REST_KINDS[kind]
    return spec.summary(**_base(linker, desc), **spec.build(store, linker, desc))


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
    spec = REST_KINDS[kind]
    fields: dict[str, Any] = {
        **_base(linker, desc),
        **spec.build(store, linker, desc),
        "description": _description(desc),
        "sources": _many(linker, desc, DCTERMS.source),
        "properties": _statements(linker, desc, desc.outgoing),
        "referenced_by": _statements(linker, desc, desc.incoming),
    }
    if kind == "datasets":
        fields["observations"] = _observations(store, linker, URIRef(desc.ref.uri))
    return spec.detail(**fields)


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
