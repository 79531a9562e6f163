"""Our namespaces: the ontology (closed: a typo raises), the IRIs minted under a base, and
the vocabularies we reuse."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Namespace, URIRef
from rdflib.namespace import ORG, QB, SDO, SH, DefinedNamespace

from llgraph.config import DEFAULT_BASE_URI

__all__ = [
    "DCTERMS",
    "DEFAULT_NAMESPACES",
    "DQV",
    "ID",
    "LLO",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "XSD",
    "Namespaces",
    "curie",
]

SCHEMA = SDO
DQV = Namespace("http://www.w3.org/ns/dqv#")
ID = Namespace(DEFAULT_BASE_URI + "id/")


class LLO(DefinedNamespace):
    """The llgraph ontology (``ontology/llgraph.ttl``); a test keeps the two in step."""

    _NS = Namespace(DEFAULT_BASE_URI + "ontology#")
    _fail = True

    Activity: URIRef
    ActivityType: URIRef
    AnalysisStep: URIRef
    Chart: URIRef
    CitedExample: URIRef
    DomesticRegion: URIRef
    Finding: URIRef
    Industry: URIRef
    Interview: URIRef
    Outcome: URIRef
    OutcomeType: URIRef
    OverseasRegion: URIRef
    Partnership: URIRef
    Phase: URIRef
    PolicyMeasure: URIRef
    Programme: URIRef
    Region: URIRef
    RegionLevel: URIRef
    ReportSection: URIRef
    SpilloverEffect: URIRef
    SuccessFactor: URIRef
    SupportTool: URIRef
    Survey: URIRef
    ThemeAdoption: URIRef
    activityType: URIRef
    bureauArea: URIRef
    continuationOf: URIRef
    costsBorneByJetro: URIRef
    countryCode: URIRef
    domesticRegion: URIRef
    endFiscalYear: URIRef
    endYear: URIRef
    example: URIRef
    figuresStated: URIRef
    fiscalPeriodLabel: URIRef
    fiscalYear: URIRef
    industry: URIRef
    institutionCategory: URIRef
    involvedOrganization: URIRef
    involvementLevel: URIRef
    llIndustry: URIRef
    maturityLevel: URIRef
    method: URIRef
    numberOfAgreedAreas: URIRef
    numberOfParticipants: URIRef
    numberOfParticipantsInclSelfFunded: URIRef
    numberOfTargetAreaExpansions: URIRef
    numberOfTargets: URIRef
    numberOfThemes: URIRef
    numberOfTimes: URIRef
    numberOfValidResponses: URIRef
    numberSent: URIRef
    obstacle: URIRef
    operatedBy: URIRef
    outcomeTiming: URIRef
    outcomeType: URIRef
    overseasRegion: URIRef
    partnerExpectation: URIRef
    partnership: URIRef
    periodEnd: URIRef
    periodStart: URIRef
    phase: URIRef
    policy: URIRef
    prefectureCode: URIRef
    programme: URIRef
    purpose: URIRef
    region: URIRef
    regionLevel: URIRef
    responseBase: URIRef
    responseCount: URIRef
    responseRate: URIRef
    startFiscalYear: URIRef
    startYear: URIRef
    subdivisionCode: URIRef
    surveyIndustry: URIRef
    targetGroup: URIRef
    themeCount: URIRef
    unit: URIRef


PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "llo": LLO,
    "id": ID,
    "org": ORG,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "schema": SCHEMA,
    "qb": QB,
    "dqv": DQV,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
}


def curie(uri: str) -> str:
    """``uri`` as ``prefix:local`` when one of :data:`PREFIXES` covers it, else unchanged."""
    for prefix, ns in PREFIXES.items():
        if uri.startswith(str(ns)):
            return f"{prefix}:{uri[len(str(ns)) :]}"
    return uri


@dataclass(frozen=True)
class Namespaces:
    """The IRIs llgraph reads and mints under one base (``LLGRAPH_BASE_URI``): resources
    ``{base}id/...``; the ontology's terms (:class:`LLO`) do not change with the base."""

    base: str = DEFAULT_BASE_URI

    @property
    def id(self) -> Namespace:
        """Resources: ``{base}id/``."""
        return Namespace(self.base + "id/")

    @property
    def role(self) -> str:
        """The prefix of membership roles (``{base}id/role/``)."""
        return self.id + "role/"

    @property
    def programme(self) -> str:
        """The prefix of the programmes (``{base}id/programme/``)."""
        return self.id + "programme/"

    @property
    def region_level(self) -> str:
        """The prefix of region levels (``{base}id/region-level/``)."""
        return self.id + "region-level/"


#: The namespaces under the default base (``https://w3id.org/llgraph/``).
DEFAULT_NAMESPACES = Namespaces()
