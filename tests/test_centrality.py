"""Centrality and communities of projections, and their write-back as DQV measurements."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rebase import OTHER_BASE

from llgraph import centrality
from llgraph.centrality import (
    FAST_METRICS,
    METRICS,
    MetricError,
    annotate,
    annotated,
    compute_centrality,
    measurements_graph,
)
from llgraph.cli import main
from llgraph.config import Settings
from llgraph.load import parse_files
from llgraph.namespaces import DQV, ID, XSD, Namespaces
from llgraph.network import Level, build_projection
from llgraph.project import load_validated
from llgraph.store import MemoryStore, Store

R = str(ID["region/"])


@pytest.fixture(scope="module")
def region_region(store: Store) -> centrality.CentralityResult:
    return compute_centrality(build_projection(store, "region-region"))


def test_every_metric_scores_every_node(region_region: centrality.CentralityResult) -> None:
    graph = region_region.graph
    assert set(region_region.scores) == set(METRICS)
    for metric, values in region_region.scores.items():
        assert set(values) == set(graph), metric
    assert len(graph) > 40


def test_bipartite_versions_normalise_by_the_other_side(
    region_region: centrality.CentralityResult,
) -> None:
    graph = region_region.graph
    domestic = [n for n, side in graph.nodes(data="bipartite") if side == 0]
    dalian = R + "cn-dalian"
    assert region_region.methods["degree"] == "networkx.bipartite.degree_centrality"
    assert region_region.scores["degree"][dalian] == pytest.approx(
        graph.degree(dalian) / len(domestic)
    )
    assert "bipartite.betweenness" in region_region.methods["betweenness"]
    assert "bipartite.closeness" in region_region.methods["closeness"]


def test_weighted_degree_counts_partnerships(region_region: centrality.CentralityResult) -> None:
    scores = region_region.scores["weighted-degree"]
    assert scores[R + "jp-shimane"] == 3.0  # Texas twice (LL, RIT), Austria once
    assert scores[R + "cn-dalian"] == 3.0  # Suwa area, Suwa city (LL), Kyushu (RIT)
    top = region_region.ranking("weighted-degree", top=5)
    assert [row["rank"] for row in top] == [1, 2, 3, 4, 5]
    assert top[0]["weighted-degree"] == max(scores.values())
    assert {row["id"] for row in top} >= {R + "jp-shimane", R + "cn-dalian"}
    shimane = next(row for row in top if row["id"] == R + "jp-shimane")
    assert shimane["label_ja"] == "島根県" and shimane["type"] == "domestic-region"


def test_louvain_repeats_and_follows_components(
    region_region: centrality.CentralityResult,
) -> None:
    again = compute_centrality(region_region.graph, ["community"])
    assert again.scores["community"] == region_region.scores["community"]
    community = region_region.scores["community"]
    for a, b in region_region.graph.edges:
        if region_region.graph.degree(a) == 1 and region_region.graph.degree(b) == 1:
            assert community[a] == community[b]  # an isolated pair is one community
    assert "seed=42" in region_region.methods["community"]


def test_large_graphs_use_the_fast_algorithms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(centrality, "SAMPLE_BETWEENNESS_ABOVE", 50)
    monkeypatch.setattr(centrality, "SAMPLE_CLOSENESS_ABOVE", 50)
    monkeypatch.setattr(centrality, "EIGENVECTOR_NUMPY_ABOVE", 50)
    graph = nx.connected_watts_strogatz_graph(300, 4, 0.2, seed=1)
    graph.add_edge("a", "b")  # a second component: the sparse solver needs one at a time
    metrics = ["betweenness", "closeness", "eigenvector"]
    result = compute_centrality(graph, metrics)
    assert "sampled (k=256, seed=42; 302 nodes, 601 edges)" in result.methods["betweenness"]
    assert "256 sampled sources per component" in result.methods["closeness"]
    assert "largest component (300 of 302 nodes" in result.methods["eigenvector"]
    exact = nx.eigenvector_centrality_numpy(graph.subgraph(range(300)))
    node = max(exact, key=exact.get)
    assert result.scores["eigenvector"][node] == pytest.approx(exact[node], rel=1e-6)
    assert result.scores["eigenvector"]["a"] == 0.0
    closeness = nx.closeness_centrality(graph)
    assert result.scores["closeness"]["a"] == pytest.approx(closeness["a"])  # small: exact
    estimate = result.scores["closeness"]
    assert all(estimate[v] == pytest.approx(closeness[v], rel=0.1) for v in range(300))
    assert result.scores == compute_centrality(graph, metrics).scores  # seeded: repeats


def test_small_graphs_use_the_exact_algorithms(region_region: centrality.CentralityResult) -> None:
    assert region_region.methods["eigenvector"].endswith("(power iteration)")
    assert "(exact)" in region_region.methods["betweenness"]


def test_unknown_metric() -> None:
    with pytest.raises(MetricError, match="unknown metric 'fame'"):
        compute_centrality(nx.path_graph(3), ["fame"])


def test_annotate_puts_scores_on_nodes(store: Store) -> None:
    graph = annotate(compute_centrality(build_projection(store, "institution")))
    node = graph.nodes[str(ID["org/fukushima-prefecture"])]
    assert node["weighted_degree"] == 3.0  # ISA, Umeå and Lund universities
    assert isinstance(node["community"], int)


def test_measurements_conform_to_the_shapes(
    settings: Settings, region_region: centrality.CentralityResult
) -> None:
    data = measurements_graph(region_region)
    shapes = Graph()
    for path in settings.shapes_files:
        shapes.parse(path)
    conforms, _, text = validate(data, shacl_graph=shapes, inference="none")
    assert conforms, text
    assert len(list(data.subjects(None, DQV.QualityMeasurement))) == len(METRICS) * len(
        region_region.graph
    )


def test_measurements_are_queryable_with_the_data(tmp_path: Path, settings: Settings) -> None:
    """Written with ``--rdf`` and loaded beside data/ttl, SPARQL finds every score."""
    store = MemoryStore()
    store.replace(parse_files(settings.data_paths).graph)  # parsed only: validated below
    result = compute_centrality(build_projection(store, "institution"))
    out = tmp_path / "centrality.ttl"
    measurements_graph(result).serialize(out, format="turtle")
    load_validated(settings, store, [*settings.data_paths, out])
    rows = list(
        store.query(
            """SELECT ?value ?label WHERE {
                 ?m dqv:computedOn ?node ; dqv:isMeasurementOf ?metric ; dqv:value ?value .
                 ?metric rdfs:label "weighted-degree"@en .
                 ?node rdfs:label ?label . FILTER(lang(?label) = "ja")
               } ORDER BY DESC(?value) ?label"""
        )
    )
    assert len(rows) == len(result.graph) >= 6
    values = {str(label): value for value, label in rows}
    assert values["福島県"] == Literal(3.0, datatype=XSD.double)  # ISA, Umeå, Lund


def test_cli_centrality_json_and_rdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scores.ttl"
    argv = ["centrality", "--projection", "region-region", "--level", "prefecture:country"]
    assert (
        main(
            [
                *argv,
                "--metric",
                "weighted-degree",
                "--top",
                "3",
                "--format",
                "json",
                "--rdf",
                str(out),
            ]
        )
        == 0
    )
    body = json.loads(capsys.readouterr().out)
    assert body["level"] == "prefecture:country" and len(body["items"]) == 3
    assert body["items"][0]["id"] == R + "cn"  # China: the most partnerships
    assert body["methods"]["betweenness"].startswith("networkx.bipartite")
    scores = Graph().parse(out)
    assert (None, DQV.computedOn, URIRef(R + "cn")) in scores


def test_cli_refuses_a_level_for_institutions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["centrality", "--projection", "institution", "--level", "country"]) == 2
    assert "not of institution" in capsys.readouterr().err


def test_bipartite_closeness_stays_within_zero_and_one(
    store: Store, region_region: centrality.CentralityResult
) -> None:
    """networkx's bipartite closeness exceeds 1 in small components (44 nodes here at the
    default level); per component and scaled by the component's share, it stays in [0, 1]."""
    graph = region_region.graph
    top = {n for n, side in graph.nodes(data="bipartite") if side == 0}
    assert max(nx.bipartite.closeness_centrality(graph, top).values()) > 1
    scores = region_region.scores["closeness"]
    assert all(0 <= value <= 1 for value in scores.values())
    assert "Wasserman-Faust" in region_region.methods["closeness"]
    connected = build_projection(store, "region-region", level=Level.parse("country"))
    exact = nx.bipartite.closeness_centrality(
        connected, {n for n, side in connected.nodes(data="bipartite") if side == 0}
    )
    ours = compute_centrality(connected, ["closeness"]).scores["closeness"]
    assert ours == pytest.approx(exact)  # one component: networkx's own numbers


def test_measurements_are_minted_under_the_data_base(other_base_store: Store) -> None:
    """With LLGRAPH_BASE_URI set, every IRI of the measurements is under that base."""
    ns = Namespaces(OTHER_BASE)
    graph = build_projection(other_base_store, "region-region", level=Level.parse("country"), ns=ns)
    data = measurements_graph(compute_centrality(graph, ["degree"]), ns)
    minted = set(data.subjects()) | set(data.objects(None, DQV.isMeasurementOf))
    assert minted and all(str(uri).startswith(ns.id) for uri in minted)
    japan = ns.id["measurement/region-region/country/degree/region/jp"]
    assert (japan, DQV.computedOn, ns.id["region/jp"]) in data
    assert not any(str(term).startswith(str(ID)) for triple in data for term in triple)


def test_sampled_betweenness_keeps_to_its_edge_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(centrality, "SAMPLE_BETWEENNESS_ABOVE", 50)
    monkeypatch.setattr(centrality, "BETWEENNESS_EDGE_BUDGET", 600 * 100)
    graph = nx.connected_watts_strogatz_graph(300, 4, 0.2, seed=1)  # 600 edges: 100 sources
    assert "(k=100," in compute_centrality(graph, ["betweenness"]).methods["betweenness"]
    monkeypatch.setattr(centrality, "BETWEENNESS_EDGE_BUDGET", 600)  # never under 64 sources
    assert "(k=64," in compute_centrality(graph, ["betweenness"]).methods["betweenness"]


def test_metrics_are_computed_when_asked_and_only_once(store: Store) -> None:
    result = compute_centrality(build_projection(store, "region-region"), FAST_METRICS)
    assert set(result.scores) == set(FAST_METRICS) == {"degree", "weighted-degree"}
    degree = result.scores["degree"]
    graph = annotated(result, ["betweenness", "degree"])
    assert set(result.scores) == {"degree", "weighted-degree", "betweenness"}
    assert result.scores["degree"] is degree  # not recomputed
    assert result.scores["betweenness"] == compute_centrality(result.graph).scores["betweenness"]
    node = next(iter(graph))
    assert {"betweenness", "degree"} <= set(graph.nodes[node])
    assert "weighted_degree" not in graph.nodes[node]  # only what was asked for
    assert "betweenness" not in result.graph.nodes[node]  # the kept graph is left as it is
    assert result.ranking("betweenness", 1)[0].keys() >= {"betweenness", "degree"}
