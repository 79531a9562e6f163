"""The SPARQL behind the REST resources: the kinds, filtered paged collections, labels,
descriptions of items, data cube structures and vocabularies (label search: ``search.py``)."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from string import Template

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from llgraph.config import DEFAULT_BASE_URI
from llgraph.namespaces import LLO, ORG, QB
from llgraph.store import Store

__all__ = [
    "KINDS",
    "SLUG",
    "Description",
    "Filter",
    "Kind",
    "Ref",
    "Value",
    "dataset_structure",
    "describe",
    "describe_graph",
    "exists",
    "is_a",
    "kind_of",
    "labels_of",
    "observations",
    "select_page",
    "sparql_values",
    "vocabulary_graph",
]


@dataclass(frozen=True)
class Filter:
    """A collection filter: a SPARQL pattern over ``?s`` with two named slots.

    ``$value`` is the variable bound to the caller's term and ``$own`` the prefix of the
    pattern's private variables (``?${own}c``): :meth:`pattern_for` fills them, so that
    two filters of one query never share a variable. Its FILTERs stay at the top level of
    the WHERE clause: a backend may bind the value with a VALUES block there, which a
    FILTER inside a nested group would not see.
    """

    template: str

    def pattern_for(self, var: str) -> str:
        """The pattern with its value bound to ``?{var}`` and private variables ``?{var}_*``."""
        return Template(self.template).substitute(value=f"?{var}", own=f"{var}_")


#: The last part of most of our URIs (lowercase ASCII words joined by hyphens).
SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"


@dataclass(frozen=True)
class Kind:
    """A kind of resource served as a collection: its path, its class and its filters."""

    name: str
    segment: str
    classes: tuple[URIRef, ...]
    filters: Mapping[str, Filter] = field(default_factory=dict)
    sorts: Mapping[str, str] = field(default_factory=dict)
    key_pattern: str = SLUG

    def uri(self, key: str, *, base: str = DEFAULT_BASE_URI) -> URIRef:
        """The URI of the item called ``key`` in this collection (URIs under ``{base}id/``)."""
        return URIRef(f"{base}id/{self.segment}/{key}")

    def key(self, uri: str, *, base: str = DEFAULT_BASE_URI) -> str | None:
        """The key of ``uri`` in this collection, or None when it is not one of ours."""
        prefix = f"{base}id/{self.segment}/"
        key = uri[len(prefix) :] if uri.startswith(prefix) else ""
        return key if re.fullmatch(self.key_pattern, key) else None


_CONTAINED = "schema:containedInPlace*"
_YEAR_END = "COALESCE(?${own}end, ?${own}start)"

#: Sort keys every collection offers: SPARQL expressions over ``?s``.
_BASE_SORTS = {"id": "STR(?s)", "label": "?_label_ja", "label_en": "?_label_en"}

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "regions",
            "region",
            (LLO.Region,),
            {
                "side": Filter("?s a $value ."),
                "level": Filter("?s llo:regionLevel $value ."),
                "country": Filter(
                    f"?s {_CONTAINED} ?${{own}}c . ?${{own}}c llo:countryCode $value ."
                ),
                "prefecture": Filter(
                    f"?s {_CONTAINED} ?${{own}}p . ?${{own}}p llo:prefectureCode $value ."
                ),
                "within": Filter(f"?s {_CONTAINED} $value ."),
            },
        ),
        Kind(
            "partnerships",
            "partnership",
            (LLO.Partnership,),
            {
                "programme": Filter("?s llo:programme $value ."),
                "domestic_region": Filter(f"?s llo:domesticRegion/{_CONTAINED} $value ."),
                "overseas_region": Filter(f"?s llo:overseasRegion/{_CONTAINED} $value ."),
                "overseas_country": Filter(
                    f"?s llo:overseasRegion/{_CONTAINED} ?${{own}}c . "
                    "?${own}c llo:countryCode $value ."
                ),
                "industry": Filter(
                    "?s llo:industry/(skos:broader|skos:broadMatch|skos:exactMatch)* $value ."
                ),
                "from_year": Filter(
                    "OPTIONAL { ?s llo:startFiscalYear ?${own}start } "
                    "OPTIONAL { ?s llo:endFiscalYear ?${own}end } "
                    "OPTIONAL { ?s llo:fiscalYear ?${own}year } "
                    f"FILTER(xsd:integer(STR({_YEAR_END})) >= $value "
                    "|| xsd:integer(STR(?${own}year)) >= $value)"
                ),
                "to_year": Filter(
                    "OPTIONAL { ?s llo:startFiscalYear ?${own}start } "
                    "OPTIONAL { ?s llo:fiscalYear ?${own}year } "
                    "FILTER(xsd:integer(STR(?${own}start)) <= $value "
                    "|| xsd:integer(STR(?${own}year)) <= $value)"
                ),
            },
            {
                "start_fiscal_year": "?_sort_start",
                "end_fiscal_year": "?_sort_end",
            },
        ),
        Kind(
            "industries",
            "industry",
            (LLO.Industry,),
            {"scheme": Filter("?s skos:inScheme $value .")},
            {"notation": "?_notation"},
            key_pattern=f"(ll|survey|theme)/{SLUG}",
        ),
        Kind(
            "institutions",
            "org",
            (ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit),
            {"role": Filter("?${own}m org:member ?s ; org:role $value .")},
        ),
        Kind("programmes", "programme", (LLO.Programme,)),
        Kind(
            "activities",
            "activity",
            (LLO.Activity,),
            {
                "partnership": Filter("?s llo:partnership $value ."),
                "type": Filter("?s llo:activityType $value ."),
            },
        ),
        Kind(
            "outcomes",
            "outcome",
            (LLO.Outcome,),
            {
                "partnership": Filter("?s llo:partnership $value ."),
                "type": Filter("?s llo:outcomeType $value ."),
            },
        ),
        Kind(
            "success-factors",
            "success-factor",
            (LLO.SuccessFactor,),
            {"phase": Filter("?s llo:phase $value .")},
            {"notation": "?_notation"},
        ),
        Kind("datasets", "dataset", (QB.DataSet,)),
    )
}

#: Optional patterns binding the sort keys a kind may use.
_SORT_PATTERNS = {
    "?_label_ja": "OPTIONAL { ?s rdfs:label ?_label_ja FILTER(LANG(?_label_ja) = 'ja') }",
    "?_label_en": "OPTIONAL { ?s rdfs:label ?_label_en FILTER(LANG(?_label_en) = 'en') }",
    "?_sort_start": "OPTIONAL { ?s llo:startFiscalYear ?_sort_start }",
    "?_sort_end": "OPTIONAL { ?s llo:endFiscalYear ?_sort_end }",
    "?_notation": "OPTIONAL { ?s skos:notation ?_notation }",
}


def kind_of(uri: str, *, base: str = DEFAULT_BASE_URI) -> Kind | None:
    """The collection ``uri`` belongs to, judged by its path (``{base}id/{segment}/...``)."""
    return next((k for k in KINDS.values() if k.key(uri, base=base)), None)


def _where(kind: Kind, filters: Mapping[str, Identifier]) -> tuple[str, dict[str, Identifier]]:
    """The WHERE body selecting ``kind`` with ``filters``, and the bindings it needs.

    Instances of subclasses count when the ontology in the store declares them.
    """
    classes = sparql_values(kind.classes)
    parts = [f"VALUES ?_class {{ {classes} }} ?s a/rdfs:subClassOf* ?_class ."]
    bindings: dict[str, Identifier] = {}
    for i, (name, value) in enumerate(sorted(filters.items())):
        var = f"_f{i}"
        parts.append(kind.filters[name].pattern_for(var))
        bindings[var] = value
    return "\n".join(parts), bindings


def select_page(
    store: Store,
    kind: Kind,
    *,
    filters: Mapping[str, Identifier] | None = None,
    sort: str = "id",
    descending: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[URIRef]]:
    """The total number of matching resources and the URIs of one page, in order.

    Filter values are bound as RDF terms; ``limit`` and ``offset`` are integers.
    """
    where, bindings = _where(kind, filters or {})
    count = store.select(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {where} }}", bindings=bindings
    )
    total = int(next(iter(count))[0])
    key = {**_BASE_SORTS, **kind.sorts}[sort]
    optional = _SORT_PATTERNS.get(key, "")
    direction = "DESC" if descending else "ASC"
    sparql = (
        f"SELECT ?s (MIN({key}) AS ?_k) WHERE {{ {where}\n{optional} }} GROUP BY ?s\n"
        f"ORDER BY {direction}(?_k) ?s LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    rows = store.select(sparql, bindings=bindings)
    return total, [row[0] for row in rows if isinstance(row[0], URIRef)]


# ------------------------------------------------------------------ descriptions


@dataclass(frozen=True)
class Ref:
    """A resource named by its URI, with its labels (``ja``/``en``) when it has any."""

    uri: str
    ja: str | None = None
    en: str | None = None


@dataclass(frozen=True)
class Value:
    """A literal value: its lexical form, datatype and language."""

    value: str
    datatype: str | None = None
    lang: str | None = None


@dataclass
class Description:
    """Everything the store says about one resource, with labels of what it links to."""

    ref: Ref
    outgoing: dict[str, list[Ref | Value]] = field(default_factory=dict)
    incoming: dict[str, list[Ref]] = field(default_factory=dict)
    labels: dict[str, Ref] = field(default_factory=dict)

    def refs(self, predicate: URIRef) -> list[Ref]:
        """The resources this one links to by ``predicate``."""
        return [v for v in self.outgoing.get(str(predicate), []) if isinstance(v, Ref)]

    def values(self, predicate: URIRef) -> list[Value]:
        """The literal values of ``predicate``."""
        return [v for v in self.outgoing.get(str(predicate), []) if isinstance(v, Value)]

    def value(self, predicate: URIRef, lang: str | None = None) -> str | None:
        """One literal value of ``predicate`` (in ``lang`` when given), or None."""
        found = [v.value for v in self.values(predicate) if lang is None or v.lang == lang]
        return min(found) if found else None

    def prop(self, predicate: str) -> Ref:
        """``predicate`` with its labels."""
        return self.labels.get(predicate, Ref(predicate))


#: The labels of the resources listed in ``{values}`` (URIs out of the store).
_LABELS = """
SELECT ?x ?label WHERE {{
  VALUES ?x {{ {values} }} ?x rdfs:label|skos:prefLabel ?label . FILTER(isLITERAL(?label))
}}"""


def sparql_values(terms: Iterable[Node]) -> str:
    """A VALUES block of terms that came out of the store (never of user input)."""
    return " ".join(t.n3() for t in terms if isinstance(t, URIRef))


#: Labels already looked up, per store, for the data version they were read from.
_LABELS_SEEN: weakref.WeakKeyDictionary[Store, tuple[str, dict[str, Ref]]] = (
    weakref.WeakKeyDictionary()
)
#: At most this many labelled resources are remembered per store (then it starts afresh).
LABELS_REMEMBERED = 200_000


def _labels_seen(store: Store) -> dict[str, Ref]:
    version, seen = _LABELS_SEEN.get(store, ("", {}))
    if version != store.version or len(seen) > LABELS_REMEMBERED:
        seen = {}
        _LABELS_SEEN[store] = (store.version, seen)
    return seen


def labels_of(store: Store, uris: Iterable[Node]) -> dict[str, Ref]:
    """The ja/en labels of each URI (rdfs:label, else skos:prefLabel; the smallest wins).

    Labels read once are remembered until the data changes: the same classes,
    properties, programmes and regions are named in answer after answer.
    """
    seen = _labels_seen(store)
    wanted = {str(u) for u in uris if isinstance(u, URIRef)}
    missing = sorted(URIRef(u) for u in wanted if u not in seen)
    if missing:
        found: dict[str, dict[str, str]] = {str(u): {} for u in missing}
        for x, label in store.select(_LABELS.format(values=sparql_values(missing))):
            lang = (label.language or "").split("-")[0] if isinstance(label, Literal) else ""
            if lang in ("ja", "en"):
                current = found[str(x)].get(lang)
                found[str(x)][lang] = min(current, str(label)) if current else str(label)
        seen.update({u: Ref(u, ja=v.get("ja"), en=v.get("en")) for u, v in found.items()})
    return {u: seen[u] for u in sorted(wanted)}


def _as_value(term: Literal) -> Value:
    return Value(str(term), str(term.datatype) if term.datatype else None, term.language)


def describe(store: Store, uris: Sequence[URIRef]) -> list[Description]:
    """Describe each resource: its links and literals, and the resources linking to it."""
    if not uris:
        return []
    values = sparql_values(uris)
    out_rows = list(store.select(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"))
    in_rows = list(
        store.select(
            f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?o ?p ?s FILTER(isIRI(?o)) }}"
        )
    )
    named = {t for row in out_rows + in_rows for t in row}
    labels = labels_of(store, named)
    by_uri = {str(u): Description(labels.get(str(u), Ref(str(u))), labels=labels) for u in uris}
    for s, p, o in out_rows:
        if isinstance(o, URIRef | Literal):
            item = labels.get(str(o), Ref(str(o))) if isinstance(o, URIRef) else _as_value(o)
            by_uri[str(s)].outgoing.setdefault(str(p), []).append(item)
    for s, p, o in in_rows:
        by_uri[str(s)].incoming.setdefault(str(p), []).append(labels.get(str(o), Ref(str(o))))
    for d in by_uri.values():
        for items in d.outgoing.values():
            items.sort(key=_order)
        for refs in d.incoming.values():
            refs.sort(key=_order)
    return [by_uri[str(u)] for u in uris]


def _order(v: Ref | Value) -> tuple[str, str]:
    return (v.uri, "") if isinstance(v, Ref) else (v.value, v.lang or "")


def describe_graph(store: Store, uri: URIRef) -> Graph:
    """The RDF about ``uri``: its triples, plus the labels of the resources it links to."""
    sparql = """
    CONSTRUCT { ?s ?p ?o . ?o rdfs:label ?ol . ?p rdfs:label ?pl . }
    WHERE {
      ?s ?p ?o .
      OPTIONAL { ?o rdfs:label ?ol FILTER(isIRI(?o)) }
      OPTIONAL { ?p rdfs:label ?pl }
    }"""
    return store.construct(sparql, bindings={"s": uri})


def exists(store: Store, uri: URIRef) -> bool:
    """Whether the store says anything about ``uri`` (as a subject)."""
    return store.ask("ASK { ?s ?p ?o }", bindings={"s": uri})


def is_a(store: Store, uri: URIRef, kind: Kind) -> bool:
    """Whether ``uri`` is an instance of one of ``kind``'s classes (or their subclasses)."""
    sparql = f"ASK {{ VALUES ?c {{ {sparql_values(kind.classes)} }} ?s a/rdfs:subClassOf* ?c }}"
    return store.ask(sparql, bindings={"s": uri})


def dataset_structure(store: Store, dataset: URIRef) -> tuple[list[URIRef], list[URIRef]]:
    """The dimension and measure properties of a qb:DataSet's structure."""
    sparql = """
    SELECT ?kind ?p WHERE {
      ?ds qb:structure/qb:component ?c .
      { ?c qb:dimension ?p BIND("d" AS ?kind) } UNION { ?c qb:measure ?p BIND("m" AS ?kind) }
    } ORDER BY ?kind ?p"""
    rows = [
        (str(k), p)
        for k, p in store.select(sparql, bindings={"ds": dataset})
        if isinstance(p, URIRef)
    ]
    return [p for k, p in rows if k == "d"], [p for k, p in rows if k == "m"]


def observations(store: Store, dataset: URIRef) -> list[URIRef]:
    """The qb:Observations of a data set, in URI order."""
    sparql = "SELECT ?o WHERE { ?o qb:dataSet ?ds } ORDER BY ?o"
    rows = store.select(sparql, bindings={"ds": dataset})
    return [row[0] for row in rows if isinstance(row[0], URIRef)]


_VOCABULARY = """
CONSTRUCT { ?s ?p ?o } WHERE {
  ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(?ns)))
}"""


def vocabulary_graph(store: Store, namespace: str) -> Graph:
    """Every triple whose subject is ``namespace`` or a term in it (e.g. the ontology)."""
    return store.construct(_VOCABULARY, bindings={"ns": Literal(namespace)})
