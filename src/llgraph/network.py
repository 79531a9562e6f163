"""Knowledge graph → networkx: the named projections (region-region, region-industry, ...)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx
from rdflib import Literal

from llgraph.errors import ProjectionError
from llgraph.namespaces import DEFAULT_NAMESPACES, Namespaces
from llgraph.store import Store

__all__ = [
    "BIPARTITE_PROJECTIONS",
    "LEVELS",
    "PROJECTIONS",
    "KnowledgeGraphData",
    "Level",
    "ProjectionError",
    "build_projection",
    "fetch_data",
    "projection_graph",
]

#: The projections a user can pick, with what their nodes and edges are.
PROJECTIONS: dict[str, str] = {
    "region-region": "domestic region ↔ overseas region; weight = number of partnerships",
    "region-industry": "region ↔ industry (bipartite); weight = number of partnerships",
    "institution": "institution ↔ institution (co-participation); weight = shared partnerships",
    "full": "every region, institution, industry, programme and partnership, typed",
}
#: Projections whose nodes fall into two sets (node attribute ``bipartite`` = 0 or 1).
BIPARTITE_PROJECTIONS = frozenset({"region-region", "region-industry"})
#: Region levels a roll-up can stop at, per side (slugs of id/region-level/...).
DOMESTIC_LEVELS = ("country", "bureau-area", "prefecture", "cluster-area", "municipality")
OVERSEAS_LEVELS = ("country", "state-province", "area", "city")
LEVELS = tuple(dict.fromkeys(DOMESTIC_LEVELS + OVERSEAS_LEVELS))

_PARTNERSHIPS = """
SELECT ?p ?prop ?o WHERE {
  ?p a llo:Partnership ; ?prop ?o .
  VALUES ?prop { llo:programme llo:domesticRegion llo:overseasRegion llo:industry
                 llo:startFiscalYear llo:endFiscalYear llo:fiscalYear }
}"""
_REGIONS = """
SELECT ?r ?class ?level ?parent ?pcode ?ccode WHERE {
  VALUES ?class { llo:DomesticRegion llo:OverseasRegion }
  ?r a ?class .
  OPTIONAL { ?r llo:regionLevel ?level }
  OPTIONAL { ?r schema:containedInPlace ?parent }
  OPTIONAL { ?r llo:prefectureCode ?pcode }
  OPTIONAL { ?r llo:countryCode ?ccode }
}"""
_MEMBERS = """
SELECT ?inst ?p ?role WHERE {
  ?m org:member ?inst ; org:organization ?p .
  ?p a llo:Partnership .
  OPTIONAL { ?m org:role ?role }
}"""
_PERIOD = """
SELECT (MIN(?y) AS ?first) (MAX(?y) AS ?last) WHERE {
  ?g a llo:Programme ; ?prop ?y .
  VALUES ?prop { llo:startFiscalYear llo:endFiscalYear llo:fiscalYear }
}"""
_LABELS = """
SELECT ?s ?prop ?label WHERE {
  VALUES ?prop { skos:prefLabel rdfs:label }
  ?s ?prop ?label .
  FILTER(isIRI(?s) && (lang(?label) = "ja" || lang(?label) = "en"))
}"""


@dataclass(frozen=True)
class Level:
    """Where regions roll up to: a level for the domestic side and one for the overseas side.

    Parse it with :meth:`parse`: ``"prefecture:country"`` (domestic:overseas), or one
    level such as ``"country"`` for every side that has it (``"prefecture"`` leaves
    overseas regions as they are).
    """

    domestic: str | None = None
    overseas: str | None = None

    @classmethod
    def parse(cls, spec: str | None) -> Level:
        """``spec`` as a Level; raises :class:`ProjectionError` on an unknown level."""
        if not spec:
            return cls()
        domestic, sep, overseas = spec.partition(":")
        if not sep:
            overseas = domestic
            domestic = domestic if domestic in DOMESTIC_LEVELS else ""
            overseas = overseas if overseas in OVERSEAS_LEVELS else ""
            if not domestic and not overseas:
                raise ProjectionError(
                    f"unknown region level {spec!r}: use {', '.join(LEVELS)}", parameter="level"
                )
        for name, known in ((domestic, DOMESTIC_LEVELS), (overseas, OVERSEAS_LEVELS)):
            if name and name not in known:
                raise ProjectionError(
                    f"unknown region level {name!r} in {spec!r}: domestic levels are "
                    f"{', '.join(DOMESTIC_LEVELS)}; overseas levels {', '.join(OVERSEAS_LEVELS)}",
                    parameter="level",
                )
        return cls(domestic or None, overseas or None)

    def __bool__(self) -> bool:
        return bool(self.domestic or self.overseas)

    def __str__(self) -> str:
        if self.domestic == self.overseas:
            return self.domestic or ""
        return f"{self.domestic or ''}:{self.overseas or ''}"


@dataclass
class Partnership:
    """What a projection needs to know of one partnership."""

    uri: str
    programmes: set[str] = field(default_factory=set)
    domestic: set[str] = field(default_factory=set)
    overseas: set[str] = field(default_factory=set)
    industries: set[str] = field(default_factory=set)
    start: int | None = None
    end: int | None = None
    years: set[int] = field(default_factory=set)

    @property
    def fiscal_years(self) -> list[int]:
        """The fiscal years it was active: start..end when both are stated, plus each
        llo:fiscalYear; a start without an end counts only the start year."""
        years = set(self.years)
        if self.start is not None:
            years.update(range(self.start, (self.end or self.start) + 1))
        elif self.end is not None:
            years.add(self.end)
        return sorted(years)


@dataclass
class KnowledgeGraphData:
    """A snapshot of the partnerships, regions, memberships and labels (read once per build)."""

    partnerships: dict[str, Partnership]
    region_class: dict[str, str]
    region_level: dict[str, str]
    parents: dict[str, set[str]]
    codes: dict[str, set[str]]
    members: list[tuple[str, str, str | None]]
    labels: dict[str, dict[str, str]]
    #: The first and last fiscal year the programmes state (LL from FY1996).
    period: tuple[int, int] | None = None
    #: The base the data's IRIs are under (roles, programmes and levels are read by prefix).
    ns: Namespaces = DEFAULT_NAMESPACES

    def ancestors(self, region: str) -> list[str]:
        """``region`` and the regions containing it, nearest first (breadth first)."""
        seen, queue = [region], [region]
        while queue:
            for parent in sorted(self.parents.get(queue.pop(0), ())):
                if parent not in seen:
                    seen.append(parent)
                    queue.append(parent)
        return seen

    def roll_up(self, region: str, level: Level) -> str:
        """The nearest region at ``level`` (for its side) that contains ``region`` or is
        it; ``region`` itself when its side has no level or no such region exists."""
        domestic = self.region_class.get(region) == "DomesticRegion"
        target = level.domestic if domestic else level.overseas
        if target is None:
            return region
        for candidate in self.ancestors(region):
            if self.region_level.get(candidate, "").removeprefix(self.ns.region_level) == target:
                return candidate
        return region

    def most_specific(self, regions: Iterable[str]) -> set[str]:
        """``regions`` without those that contain another of them (Sweden and Skåne → Skåne)."""
        regions = set(regions)
        return {r for r in regions if not any(r in self.ancestors(o)[1:] for o in regions - {r})}


def _year(value: Any) -> int:
    return int(str(value)[:4])


def _fetch_partnerships(store: Store, ns: Namespaces) -> dict[str, Partnership]:
    slots = {"domesticRegion": "domestic", "overseasRegion": "overseas", "industry": "industries"}
    out: dict[str, Partnership] = {}
    for p, prop, o in store.select(_PARTNERSHIPS):
        rec = out.setdefault(str(p), Partnership(str(p)))
        name = str(prop).rsplit("#", 1)[-1]
        if name in slots:
            getattr(rec, slots[name]).add(str(o))
        elif name == "programme":
            rec.programmes.add(str(o).removeprefix(ns.programme))
        elif name == "startFiscalYear":
            rec.start = _year(o)
        elif name == "endFiscalYear":
            rec.end = _year(o)
        else:
            rec.years.add(_year(o))
    return out


def fetch_data(store: Store, ns: Namespaces = DEFAULT_NAMESPACES) -> KnowledgeGraphData:
    """Read what the projections need from ``store`` with four SPARQL queries (``ns``: the
    base its IRIs are under)."""
    data = KnowledgeGraphData(
        _fetch_partnerships(store, ns), {}, {}, defaultdict(set), {}, [], {}, ns=ns
    )
    for r, cls, level, parent, pcode, ccode in store.select(_REGIONS):
        key = str(r)
        data.region_class[key] = str(cls).rsplit("#", 1)[-1]
        data.codes.setdefault(key, set()).update(str(c) for c in (pcode, ccode) if c is not None)
        if level is not None:
            data.region_level[key] = str(level)
        if parent is not None:
            data.parents[key].add(str(parent))
    data.members = [
        (str(i), str(p), str(role) if role is not None else None)
        for i, p, role in store.select(_MEMBERS)
    ]
    preferred: dict[tuple[str, str], str] = {}
    for s, prop, label in store.select(_LABELS):
        if not isinstance(label, Literal) or label.language is None:
            continue  # the query asks for ja and en labels only
        slot = (str(s), label.language)
        if str(prop).endswith("prefLabel") or slot not in preferred:
            preferred[slot] = str(label)
    for (uri, lang), text in preferred.items():
        data.labels.setdefault(uri, {})[lang] = text
    for first, last in store.select(_PERIOD):
        if first is not None and last is not None:
            data.period = (_year(first), _year(last))
    return data


def _node_attrs(data: KnowledgeGraphData, uri: str, node_type: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {"id": uri, "type": node_type}
    for lang, text in sorted(data.labels.get(uri, {}).items()):
        attrs[f"label_{lang}"] = text
    if uri in data.region_level:
        attrs["level"] = data.region_level[uri].removeprefix(data.ns.region_level)
    if data.codes.get(uri):
        attrs["codes"] = sorted(data.codes[uri])
    return attrs


def _region_type(data: KnowledgeGraphData, uri: str) -> str:
    return (
        "domestic-region" if data.region_class.get(uri) == "DomesticRegion" else "overseas-region"
    )


class _EdgeTally:
    """Accumulates partnerships on edges and nodes, then writes them into a graph."""

    def __init__(self) -> None:
        self.edges: dict[tuple[str, str], list[Partnership]] = defaultdict(list)
        self.nodes: dict[str, list[Partnership]] = defaultdict(list)

    def add(self, a: str, b: str, p: Partnership) -> None:
        if p not in self.edges[(a, b)]:
            self.edges[(a, b)].append(p)
        for node in (a, b):
            if p not in self.nodes[node]:
                self.nodes[node].append(p)

    def fill(self, graph: nx.Graph) -> None:
        for node, ps in self.nodes.items():
            graph.nodes[node].update(_summary(ps, with_weight=False))
        for (a, b), ps in self.edges.items():
            graph.add_edge(a, b, **_summary(ps, with_weight=True))


def _summary(ps: list[Partnership], *, with_weight: bool) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "partnerships": sorted(p.uri for p in ps),
        "programmes": sorted({g for p in ps for g in p.programmes}),
        "fiscal_years": sorted({y for p in ps for y in p.fiscal_years}),
    }
    if with_weight:
        attrs = {
            "weight": len(ps),
            **attrs,
            "industries": sorted({i for p in ps for i in p.industries}),
        }
    return attrs


def _sides(data: KnowledgeGraphData, p: Partnership, level: Level) -> tuple[set, set]:
    def side(regions: set[str]) -> set[str]:
        return {data.roll_up(r, level) for r in data.most_specific(regions)}

    return side(p.domestic), side(p.overseas)


def _region_region(data: KnowledgeGraphData, level: Level) -> nx.Graph:
    graph: nx.Graph[str] = nx.Graph()
    tally = _EdgeTally()
    for p in data.partnerships.values():
        domestic, overseas = _sides(data, p, level)
        for d in sorted(domestic):
            graph.add_node(d, **_node_attrs(data, d, _region_type(data, d)), bipartite=0)
            for o in sorted(overseas):
                graph.add_node(o, **_node_attrs(data, o, _region_type(data, o)), bipartite=1)
                tally.add(d, o, p)
    tally.fill(graph)
    return graph


def _region_industry(data: KnowledgeGraphData, level: Level) -> nx.Graph:
    graph: nx.Graph[str] = nx.Graph()
    tally = _EdgeTally()
    for p in data.partnerships.values():
        domestic, overseas = _sides(data, p, level)
        for r in sorted(domestic | overseas):
            graph.add_node(r, **_node_attrs(data, r, _region_type(data, r)), bipartite=0)
            for i in sorted(p.industries):
                graph.add_node(i, **_node_attrs(data, i, "industry"), bipartite=1)
                tally.add(r, i, p)
    tally.fill(graph)
    return graph


def _institution(data: KnowledgeGraphData) -> nx.Graph:
    graph: nx.Graph[str] = nx.Graph()
    tally = _EdgeTally()
    by_partnership: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, set[str]] = defaultdict(set)
    for inst, p, role in data.members:
        if p not in data.partnerships:
            continue
        by_partnership[p].add(inst)
        if role:
            roles[inst].add(role.removeprefix(data.ns.role))
        graph.add_node(inst, **_node_attrs(data, inst, "institution"))
        if data.partnerships[p] not in tally.nodes[inst]:
            tally.nodes[inst].append(data.partnerships[p])
    for p, insts in by_partnership.items():
        for a, b in combinations(sorted(insts), 2):
            tally.add(a, b, data.partnerships[p])
    tally.fill(graph)
    for inst, rs in roles.items():
        graph.nodes[inst]["roles"] = sorted(rs)
    return graph


def _full(data: KnowledgeGraphData) -> nx.Graph:
    graph: nx.Graph[str] = nx.Graph()
    for r in data.region_class:
        graph.add_node(r, **_node_attrs(data, r, _region_type(data, r)))
    for r, parents in data.parents.items():
        for parent in parents:
            graph.add_edge(r, parent, relation="containedInPlace", weight=1)
    for p in data.partnerships.values():
        graph.add_node(p.uri, **_node_attrs(data, p.uri, "partnership"))
        graph.nodes[p.uri].update(_summary([p], with_weight=False))
        links: list[tuple[str, str, str | None]] = [
            ("programme", data.ns.programme + g, "programme") for g in p.programmes
        ]
        links += [("domesticRegion", r, None) for r in p.domestic]
        links += [("overseasRegion", r, None) for r in p.overseas]
        links += [("industry", i, "industry") for i in p.industries]
        for relation, target, node_type in links:
            if node_type:
                graph.add_node(target, **_node_attrs(data, target, node_type))
            graph.add_edge(p.uri, target, relation=relation, weight=1)
    for inst, member_of, role in data.members:
        if member_of in data.partnerships:
            graph.add_node(inst, **_node_attrs(data, inst, "institution"))
            relation = role.removeprefix(data.ns.role) if role else "member"
            graph.add_edge(inst, member_of, relation=relation, weight=1)
    return graph


def _names(data: KnowledgeGraphData, graph: nx.Graph) -> dict[str, dict[str, str]]:
    """The labels (``ja``, ``en``) of the partnerships, industries and programmes the
    nodes' and edges' list attributes name by URI or slug, so exports can print names."""
    keys = ("partnerships", "industries", "programmes")
    items = [a for _, a in graph.nodes(data=True)] + [a for _, _, a in graph.edges(data=True)]
    values = {v for attrs in items for k in keys for v in attrs.get(k, ())}
    names = {}
    for value in sorted(values):
        uri = value if value.startswith(data.ns.id) else data.ns.programme + value
        if data.labels.get(uri):
            names[value] = dict(sorted(data.labels[uri].items()))
    return names


def _check(projection: str, level: Level) -> None:
    if projection not in PROJECTIONS:
        known = ", ".join(PROJECTIONS)
        raise ProjectionError(
            f"unknown projection {projection!r}: use one of {known}", parameter="projection"
        )
    if level and projection not in BIPARTITE_PROJECTIONS:
        raise ProjectionError(
            "a region level rolls up the regions of region-region and region-industry "
            f"only, not of {projection}",
            parameter="level",
        )


def projection_graph(
    data: KnowledgeGraphData, projection: str, *, level: Level | None = None
) -> nx.Graph:
    """Build ``projection`` from ``data``, rolling regions up to ``level``.

    Each region is replaced by the nearest region containing it at the level of its
    side (``Level.parse("prefecture:country")`` gives prefecture ↔ country); a region
    with no such ancestor stays as it is. When a partnership names a region and a region
    inside it (Sweden and Skåne), only the inner one is used. Nodes are keyed by URI.
    """
    level = level or Level()
    _check(projection, level)
    builders = {
        "region-region": lambda: _region_region(data, level),
        "region-industry": lambda: _region_industry(data, level),
        "institution": lambda: _institution(data),
        "full": lambda: _full(data),
    }
    graph = builders[projection]()
    graph.graph.update(
        projection=projection,
        level=str(level),
        bipartite=projection in BIPARTITE_PROJECTIONS,
    )
    graph.graph["names"] = _names(data, graph)
    years = [y for p in data.partnerships.values() for y in p.fiscal_years]
    years += list(data.period or ())
    if years:
        graph.graph["first_fiscal_year"], graph.graph["last_fiscal_year"] = min(years), max(years)
    return graph


def build_projection(
    store: Store,
    projection: str,
    *,
    level: Level | None = None,
    ns: Namespaces = DEFAULT_NAMESPACES,
) -> nx.Graph:
    """Read the store (its IRIs under ``ns``) and build ``projection`` (see
    :func:`projection_graph`)."""
    _check(projection, level or Level())
    return projection_graph(fetch_data(store, ns), projection, level=level)
