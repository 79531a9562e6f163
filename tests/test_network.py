"""Projections of the knowledge graph: a small in-test graph, then the report's data."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Graph
from rebase import OTHER_BASE

from llgraph.namespaces import ID, Namespaces
from llgraph.network import (
    KnowledgeGraphData,
    Level,
    ProjectionError,
    build_projection,
    fetch_data,
    projection_graph,
)
from llgraph.store import MemoryStore, Store


@pytest.fixture(scope="module")
def store(backend_store: Store) -> Store:
    """Projections read the store with SPARQL: every backend."""
    return backend_store


R = str(ID["region/"])
P = str(ID["partnership/"])
ORG = str(ID["org/"])

SMALL = """
@prefix llo: <https://w3id.org/llgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix r: <https://w3id.org/llgraph/id/region/> .
@prefix lv: <https://w3id.org/llgraph/id/region-level/> .
@prefix p: <https://w3id.org/llgraph/id/partnership/> .
@prefix g: <https://w3id.org/llgraph/id/programme/> .
@prefix i: <https://w3id.org/llgraph/id/org/> .
@prefix t: <https://w3id.org/llgraph/id/industry/theme/> .
@prefix m: <https://w3id.org/llgraph/id/membership/> .
@prefix role: <https://w3id.org/llgraph/id/role/> .

g:ll a llo:Programme ; llo:startFiscalYear "1996"^^xsd:gYear .
r:jp a llo:DomesticRegion ; llo:regionLevel lv:country ; llo:countryCode "JP" .
r:jp-a a llo:DomesticRegion ; llo:regionLevel lv:prefecture ; llo:prefectureCode "01" ;
    schema:containedInPlace r:jp ; rdfs:label "A県"@ja , "A"@en .
r:jp-a-city a llo:DomesticRegion ; llo:regionLevel lv:municipality ;
    schema:containedInPlace r:jp-a ; rdfs:label "A市"@ja .
r:jp-b-area a llo:DomesticRegion ; llo:regionLevel lv:cluster-area ; schema:containedInPlace r:jp .
r:xx a llo:OverseasRegion ; llo:regionLevel lv:country ; llo:countryCode "XX" .
r:xx-city a llo:OverseasRegion ; llo:regionLevel lv:city ; schema:containedInPlace r:xx .

p:p1 a llo:Partnership ; llo:programme g:ll ; llo:industry t:t1 ;
    llo:domesticRegion r:jp-a-city ; llo:overseasRegion r:xx , r:xx-city ;
    llo:startFiscalYear "2001"^^xsd:gYear ; llo:endFiscalYear "2003"^^xsd:gYear .
p:p2 a llo:Partnership ; llo:programme g:rit ; llo:industry t:t2 ;
    llo:domesticRegion r:jp-a ; llo:overseasRegion r:xx-city ;
    llo:fiscalYear "2007"^^xsd:gYear , "2008"^^xsd:gYear .
p:p3 a llo:Partnership ; llo:programme g:rit ; llo:industry t:t2 ;
    llo:domesticRegion r:jp-b-area ; llo:overseasRegion r:xx ;
    llo:startFiscalYear "2007"^^xsd:gYear .

m:m1 org:member i:i1 ; org:organization p:p1 ; org:role role:domestic-implementing-body .
m:m2 org:member i:i2 ; org:organization p:p1 .
m:m3 org:member i:i1 ; org:organization p:p2 .
m:m4 org:member i:i3 ; org:organization p:p2 .
"""


@pytest.fixture(scope="module")
def small() -> KnowledgeGraphData:
    store = MemoryStore()
    store.replace(Graph().parse(data=SMALL, format="turtle"))
    return fetch_data(store)


def edges(graph: nx.Graph) -> dict[frozenset[str], int]:
    return {frozenset((a, b)): w for a, b, w in graph.edges(data="weight")}


def test_most_specific_region_of_a_side_and_fiscal_years(small: KnowledgeGraphData) -> None:
    graph = projection_graph(small, "region-region")
    assert edges(graph) == {
        frozenset((R + "jp-a-city", R + "xx-city")): 1,  # xx and xx-city → xx-city
        frozenset((R + "jp-a", R + "xx-city")): 1,
        frozenset((R + "jp-b-area", R + "xx")): 1,
    }
    p1 = graph.edges[R + "jp-a-city", R + "xx-city"]
    assert p1["fiscal_years"] == [2001, 2002, 2003]
    assert p1["programmes"] == ["ll"]
    assert p1["industries"] == [str(ID["industry/theme/t1"])]
    assert graph.edges[R + "jp-b-area", R + "xx"]["fiscal_years"] == [2007]  # start, no end
    assert graph.nodes[R + "xx-city"]["fiscal_years"] == [2001, 2002, 2003, 2007, 2008]
    assert graph.nodes[R + "jp-a"]["codes"] == ["01"]
    assert graph.nodes[R + "jp-a-city"]["label_ja"] == "A市"
    assert "label_en" not in graph.nodes[R + "jp-a-city"]  # absent stays absent
    assert graph.graph["first_fiscal_year"] == 1996
    assert graph.graph["last_fiscal_year"] == 2008


def test_roll_up_counts_each_partnership_once(small: KnowledgeGraphData) -> None:
    graph = projection_graph(small, "region-region", level=Level.parse("prefecture:country"))
    # p1 and p2 both become A ↔ XX; jp-b-area has no prefecture above it and stays
    assert edges(graph) == {
        frozenset((R + "jp-a", R + "xx")): 2,
        frozenset((R + "jp-b-area", R + "xx")): 1,
    }
    assert graph.edges[R + "jp-a", R + "xx"]["programmes"] == ["ll", "rit"]
    both = projection_graph(small, "region-region", level=Level.parse("country"))
    assert edges(both) == {frozenset((R + "jp", R + "xx")): 3}


def test_level_parse() -> None:
    assert Level.parse("prefecture:country") == Level("prefecture", "country")
    assert Level.parse("prefecture") == Level("prefecture", None)
    assert Level.parse("city") == Level(None, "city")
    assert Level.parse("country") == Level("country", "country")
    assert not Level.parse(None)
    for bad in ("galaxy", "city:country", "prefecture:prefecture"):
        with pytest.raises(ProjectionError, match="unknown region level"):
            Level.parse(bad)


def test_region_industry_is_bipartite(small: KnowledgeGraphData) -> None:
    graph = projection_graph(small, "region-industry")
    t2 = str(ID["industry/theme/t2"])
    assert graph.graph["bipartite"] is True
    assert graph.nodes[t2]["bipartite"] == 1 and graph.nodes[t2]["type"] == "industry"
    assert {n for n in graph[t2]} == {R + "jp-a", R + "xx-city", R + "jp-b-area", R + "xx"}
    assert nx.is_bipartite(graph)


def test_institution_co_participation(small: KnowledgeGraphData) -> None:
    graph = projection_graph(small, "institution")
    assert edges(graph) == {
        frozenset((ORG + "i1", ORG + "i2")): 1,
        frozenset((ORG + "i1", ORG + "i3")): 1,
    }
    assert graph.nodes[ORG + "i1"]["roles"] == ["domestic-implementing-body"]
    assert graph.nodes[ORG + "i1"]["partnerships"] == [P + "p1", P + "p2"]


def test_full_graph_is_typed(small: KnowledgeGraphData) -> None:
    graph = projection_graph(small, "full")
    types = nx.get_node_attributes(graph, "type")
    assert types[P + "p1"] == "partnership"
    assert types[str(ID["programme/rit"])] == "programme"
    assert types[ORG + "i3"] == "institution"
    assert graph.edges[R + "jp-a-city", R + "jp-a"]["relation"] == "containedInPlace"
    assert graph.edges[ORG + "i1", P + "p1"]["relation"] == "domestic-implementing-body"
    assert graph.edges[ORG + "i2", P + "p1"]["relation"] == "member"


def test_unknown_projection_and_misplaced_level(small: KnowledgeGraphData) -> None:
    with pytest.raises(ProjectionError, match="unknown projection 'regions'"):
        projection_graph(small, "regions")
    with pytest.raises(ProjectionError, match="not of institution"):
        projection_graph(small, "institution", level=Level.parse("country"))


# ------------------------------------------------------------------ the report's data


def label(graph: nx.Graph, node: str) -> str:
    return graph.nodes[node]["label_ja"]


def neighbours_by_label(graph: nx.Graph, prefix: str) -> dict[str, list[str]]:
    """Neighbour label → programmes of the edge, for every node labelled ``prefix…``."""
    return {
        label(graph, m): graph.edges[n, m]["programmes"]
        for n in graph
        if label(graph, n).startswith(prefix)
        for m in graph[n]
    }


def test_dalian_is_linked_to_suwa_by_ll_and_iwate_by_rit(store: Store) -> None:
    graph = build_projection(store, "region-region")
    linked = neighbours_by_label(graph, "大連")
    assert linked["諏訪地域"] == ["ll"]
    assert linked["岩手地域"] == ["rit"]
    suwa = graph.edges[R + "jp-nagano-suwa-area", R + "cn-dalian"]
    assert suwa["partnerships"] == [P + "ll-suwa-dalian"]
    assert suwa["fiscal_years"] == [2004, 2005, 2006]
    iwate = graph.edges[R + "jp-iwate-area", R + "cn-dalian-area"]
    assert iwate["partnerships"] == [P + "rit-iwate-dalian"] and iwate["fiscal_years"] == [
        2007,
        2008,
    ]


def test_shimane_texas_is_weighted_by_both_programmes(store: Store) -> None:
    graph = build_projection(store, "region-region")
    edge = graph.edges[R + "jp-shimane", R + "us-texas"]
    assert edge["weight"] == 2
    assert edge["programmes"] == ["ll", "rit"]
    assert edge["partnerships"] == [P + "ll-shimane-texas", P + "rit-shimane-texas"]
    assert edge["fiscal_years"] == [2004, 2005, 2006, 2007]


def test_country_level_weights_are_partnership_counts(store: Store) -> None:
    """Japan ↔ each country: as many partnerships as have an overseas region in it."""
    graph = build_projection(store, "region-region", level=Level.parse("country"))
    expected = {
        str(country): int(n)
        for country, n in store.query(
            """SELECT ?c (COUNT(DISTINCT ?p) AS ?n) WHERE {
                 ?p a llo:Partnership ; llo:overseasRegion/schema:containedInPlace* ?c .
                 ?c llo:regionLevel <https://w3id.org/llgraph/id/region-level/country> .
               } GROUP BY ?c"""
        )
    }
    assert expected[R + "cn"] >= 7  # Suwa, Nagasaki, Kyushu, Ibaraki, Kansai, Mie, Iwate
    got = {next(iter(edge - {R + "jp"})): weight for edge, weight in edges(graph).items()}
    assert got == expected
    assert set(graph[R + "jp"]) == set(expected)


def test_prefecture_to_country_keeps_areas_without_a_prefecture(store: Store) -> None:
    graph = build_projection(store, "region-region", level=Level.parse("prefecture:country"))
    linked = neighbours_by_label(graph, "中国")
    assert linked["長野県"] == ["ll"]
    assert linked["岩手地域"] == ["rit"]  # the Kitakami basin is not inside one prefecture
    assert graph.graph["level"] == "prefecture:country"


def test_institutions_of_fukushima_sweden_co_participate(store: Store) -> None:
    graph = build_projection(store, "institution")
    fukushima = ORG + "fukushima-prefecture"
    assert {ORG + "lund-university", ORG + "umea-university"} <= set(graph[fukushima])
    assert graph.edges[fukushima, ORG + "lund-university"]["partnerships"] == [
        P + "ll-fukushima-sweden"
    ]
    assert graph.nodes[ORG + "dalian-city"]["roles"] == ["overseas-implementing-body"]


def test_full_graph_holds_every_partnership(store: Store) -> None:
    graph = build_projection(store, "full")
    partnerships = {str(p) for (p,) in store.query("SELECT ?p WHERE { ?p a llo:Partnership }")}
    typed = {n for n, t in graph.nodes(data="type") if t == "partnership"}
    assert typed == partnerships and len(partnerships) >= 25
    assert graph.nodes[P + "ll-suwa-dalian"]["fiscal_years"] == [2004, 2005, 2006]


def test_names_of_partnerships_industries_and_programmes(store: Store) -> None:
    """Exports print names: every partnership, industry and programme a node or edge
    names has its labels in graph.graph["names"]."""
    for projection in ("region-region", "region-industry", "institution", "full"):
        graph = build_projection(store, projection)
        names = graph.graph["names"]
        keys = ("partnerships", "industries", "programmes")
        items = [a for _, a in graph.nodes(data=True)] + [a for *_, a in graph.edges(data=True)]
        named = {v for attrs in items for k in keys for v in attrs.get(k, ())}
        assert named and named <= set(names), projection
    assert names[P + "ll-suwa-dalian"]["ja"] == "長野県諏訪地域－中国大連市（金属機械加工）"
    assert set(names["ll"]) == {"ja", "en"}


def test_readme_level_gives_one_main_component(store: Store) -> None:
    """The README's picture (bureau areas ↔ countries) is one component but for a pair;
    at the default level the same projection falls into twenty."""
    graph = build_projection(store, "region-region", level=Level.parse("bureau-area:country"))
    sizes = sorted(map(len, nx.connected_components(graph)), reverse=True)
    assert sizes == [22, 2]
    assert nx.number_connected_components(build_projection(store, "region-region")) == 20


def test_small_graph_rolls_up_under_another_base() -> None:
    """With LLGRAPH_BASE_URI set, levels, roles and programmes are read under that base."""
    store = MemoryStore()
    store.replace(Graph().parse(data=SMALL.replace(str(ID), OTHER_BASE + "id/"), format="turtle"))
    data = fetch_data(store, Namespaces(OTHER_BASE))
    r = OTHER_BASE + "id/region/"
    graph = projection_graph(data, "region-region", level=Level.parse("prefecture:country"))
    assert set(edges(graph)) == {frozenset((r + a, r + "xx")) for a in ("jp-a", "jp-b-area")}
    assert graph.nodes[r + "jp-a"]["level"] == "prefecture"
    full = projection_graph(data, "full")
    assert full.nodes[OTHER_BASE + "id/programme/ll"]["type"] == "programme"
    institutions = projection_graph(data, "institution")
    assert institutions.nodes[OTHER_BASE + "id/org/i1"]["roles"] == ["domestic-implementing-body"]


def test_report_under_another_base_gives_the_same_projections(
    store: Store, other_base_store: Store
) -> None:
    """The report's data with its resources under another base: every projection, at
    every level the README uses, has the same nodes and edges (moved to that base)."""
    ns = Namespaces(OTHER_BASE)
    for projection, level in (
        ("region-region", "bureau-area:country"),
        ("region-region", "country"),
        ("region-industry", "prefecture"),
        ("institution", ""),
        ("full", ""),
    ):
        ours = build_projection(store, projection, level=Level.parse(level))
        theirs = build_projection(other_base_store, projection, level=Level.parse(level), ns=ns)
        moved = {frozenset(n.replace(str(ID), ns.id) for n in e) for e in ours.edges}
        assert moved == set(map(frozenset, theirs.edges)), (projection, level)
        assert theirs.graph["names"].keys() == {
            k.replace(str(ID), ns.id) for k in ours.graph["names"]
        }
