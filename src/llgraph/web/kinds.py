"""The REST resource kinds, one declarative spec each, from which the API is derived.

A :class:`ResourceKind` joins what the API serves of one kind: its collection in the store
(:data:`llgraph.resources.KINDS`: path segment, classes, key rule, SPARQL of its filters and
sorts), its fields (:class:`FieldSpec`: model type, how each is read, JSON-LD term), from
which its summary and detail models, its builder and its part of the JSON-LD
:data:`CONTEXT` come, its filters as typed query parameters (:class:`Param`), and the
descriptions of its list and item routes. ``web/resources.py`` makes the routes of every
kind from :data:`REST_KINDS`; adding a kind is one entry here and one in ``resources.KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import Field, create_model
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


@dataclass(frozen=True)
class FieldSpec:
    """One field of a kind's summary: its type in the model, how it is read from the store's
    description, the RDF term it means in JSON-LD (None: plain JSON), its description."""

    type: Any
    read: Callable[[Linker, Description], Any]
    term: dict[str, str] | None = None
    description: str | None = None


def _link(p: URIRef) -> FieldSpec:
    """The one resource linked by ``p``."""
    return FieldSpec(m.Link | None, lambda lk, d: _one(lk, d, p), term(p))


def _links(p: URIRef, description: str | None = None) -> FieldSpec:
    """Every resource linked by ``p``."""
    return FieldSpec(list[m.Link], lambda lk, d: _many(lk, d, p), term(p), description)


def _integer(p: URIRef, description: str | None = None) -> FieldSpec:
    """The integer value of ``p``."""
    return FieldSpec(int | None, lambda lk, d: _int(d, p), term(p), description)


def _text(p: URIRef, description: str | None = None) -> FieldSpec:
    """The (smallest) literal value of ``p``."""
    return FieldSpec(str | None, lambda lk, d: d.value(p), term(p), description)


def _side(linker: Linker, d: Description) -> str | None:
    types = {r.uri for r in d.refs(RDF.type)}
    side = "domestic" if str(LLO.DomesticRegion) in types else None
    return "overseas" if str(LLO.OverseasRegion) in types else side


def _memberships(linker: Linker, d: Description) -> list[m.Link]:
    return [linker.link(r) for r in d.incoming.get(str(ORG.member), [])]


def _fiscal_years(linker: Linker, d: Description) -> list[int]:
    return sorted(int(v.value) for v in d.values(LLO.fiscalYear))


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
    about = (summary.__doc__ or "").rstrip(".")
    detail.__doc__ = f"{about} with every statement about it."
    return detail


def _summary_of(item: str, doc: str, fields: Mapping[str, FieldSpec]) -> type[m.Summary]:
    """The summary model of a kind (``region`` → ``RegionSummary``) with ``fields``."""
    name = "".join(part.title() for part in item.split("_")) + "Summary"
    definitions: dict[str, Any] = {
        key: (f.type, Field(description=f.description) if f.description else ...)
        for key, f in fields.items()
    }
    return create_model(name, __base__=m.Summary, __doc__=doc, __module__=m.__name__, **definitions)


def _kind(
    name: str,
    item: str,
    doc: str,
    fields: Mapping[str, FieldSpec],
    item_doc: str | None,
    **http: Any,
) -> ResourceKind:
    """A kind whose summary model, builder and JSON-LD terms all come from ``fields``."""
    summary = _summary_of(item, doc, fields)

    def build(store: Store, linker: Linker, d: Description) -> dict[str, Any]:
        return {key: f.read(linker, d) for key, f in fields.items()}

    terms = {key: f.term for key, f in fields.items()}
    return ResourceKind(
        KINDS[name], summary, _detail_of(summary), build, terms, item, item_doc, **http
    )


#: kind name → its spec, in the order the API lists them.
REST_KINDS: dict[str, ResourceKind] = {
    spec.name: spec
    for spec in (
        _kind(
            "regions",
            "region",
            "A region: domestic (Japan) or overseas, at a level, inside other regions.",
            {
                "side": FieldSpec(Literal["domestic", "overseas"] | None, _side),
                "level": _link(LLO.regionLevel),
                "country_code": _text(LLO.countryCode, "ISO 3166-1 alpha-2"),
                "prefecture_code": _text(LLO.prefectureCode, "JIS X 0401, two digits"),
                "contained_in": _links(SCHEMA.containedInPlace),
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
            "A partnership (a theme of a programme): who, where, which industry, when.",
            {
                "programme": _link(LLO.programme),
                "domestic_regions": _links(LLO.domesticRegion),
                "overseas_regions": _links(LLO.overseasRegion),
                "industries": _links(LLO.industry),
                "start_fiscal_year": _integer(
                    LLO.startFiscalYear, "Japanese fiscal year (April–March)"
                ),
                "end_fiscal_year": _integer(LLO.endFiscalYear),
                "fiscal_years": FieldSpec(
                    list[int],
                    _fiscal_years,
                    term(LLO.fiscalYear),
                    "fiscal years it is listed for (llo:fiscalYear)",
                ),
                "continuation_of": _links(
                    LLO.continuationOf, "earlier partnerships this one continues"
                ),
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
            "An industry of one of the report's classifications (a SKOS concept scheme).",
            {"schemes": _links(SKOS.inScheme), "notation": _text(SKOS.notation)},
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
            "An institution named in the report.",
            {
                "memberships": FieldSpec(
                    list[m.Link],
                    _memberships,
                    term(ORG.hasMembership),
                    "its roles in partnerships (org:Membership)",
                )
            },
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
            "A programme (LL or RIT).",
            {"operated_by": _links(LLO.operatedBy)},
            "One programme (``ll`` or ``rit``).",
            list_doc="The LL and RIT programmes.",
        ),
        _kind(
            "activities",
            "activity",
            "An exchange activity of a partnership.",
            {
                "partnership": _link(LLO.partnership),
                "activity_type": _link(LLO.activityType),
                "number_of_times": _integer(LLO.numberOfTimes),
                "number_of_participants": _integer(LLO.numberOfParticipants),
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
            "A concrete outcome of a partnership.",
            {"partnership": _link(LLO.partnership), "outcome_type": _link(LLO.outcomeType)},
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
            "One of the report's eight points for successful partnership.",
            {"phase": _link(LLO.phase), "notation": _text(SKOS.notation)},
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
