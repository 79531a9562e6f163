"""The model of each kind of resource, built from a store description: summaries and details."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rdflib import URIRef

from llgraph import resources
from llgraph.namespaces import DCTERMS, LLO, ORG, QB, RDF, RDFS, SCHEMA, SKOS
from llgraph.resources import Description, Ref
from llgraph.store import Store
from llgraph.web import models as m
from llgraph.web.representation import Linker

__all__ = ["SHAPES", "detail", "summarise"]


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
