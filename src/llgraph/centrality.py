"""Centrality and communities of a projection, and their write-back as DQV measurements."""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import networkx as nx
from networkx.algorithms import bipartite
from rdflib import Graph, Literal, URIRef

from llgraph.errors import MetricError
from llgraph.namespaces import DCTERMS, DEFAULT_NAMESPACES, DQV, PROV, RDF, RDFS, XSD, Namespaces

__all__ = [
    "BETWEENNESS_EDGE_BUDGET",
    "BETWEENNESS_SAMPLE",
    "EIGENVECTOR_NUMPY_ABOVE",
    "FAST_METRICS",
    "METRICS",
    "SAMPLE_BETWEENNESS_ABOVE",
    "SAMPLE_CLOSENESS_ABOVE",
    "SEED",
    "CentralityResult",
    "MetricError",
    "annotate",
    "annotated",
    "check_metric",
    "compute_centrality",
    "measurements_graph",
]

#: The metrics, in output order; ``community`` is the Louvain community number.
METRICS: dict[str, str] = {
    "degree": "degree centrality (share of the other nodes a node is linked to)",
    "weighted-degree": "weighted degree (sum of edge weights: partnerships)",
    "betweenness": "betweenness centrality (share of shortest paths through the node)",
    "closeness": "closeness centrality (inverse mean shortest-path distance; 0 to 1)",
    "eigenvector": "eigenvector centrality (weighted)",
    "pagerank": "PageRank (weighted, damping 0.85)",
    "community": "Louvain community (weighted, seeded; 0 is the largest)",
}
#: Seed of every randomised algorithm (Louvain, sampled betweenness): results repeat.
SEED = 42
#: Metrics linear in the edges (milliseconds at 13,000 nodes and 50,000 edges): a viewer's
#: first picture needs only these; the others take seconds to a minute at that size.
FAST_METRICS = ("degree", "weighted-degree")
#: Above this many nodes, betweenness is estimated from at most ``BETWEENNESS_SAMPLE``
#: sources, fewer on many edges: sources × edges stays under ``BETWEENNESS_EDGE_BUDGET``
#: (each source is one breadth-first search; at least 64 sources).
SAMPLE_BETWEENNESS_ABOVE = 1000
BETWEENNESS_SAMPLE = 256
BETWEENNESS_EDGE_BUDGET = 5_000_000
#: Above this many nodes, closeness is estimated from ``CLOSENESS_SAMPLE`` sources per component.
SAMPLE_CLOSENESS_ABOVE = 1000
CLOSENESS_SAMPLE = 256
#: Above this many nodes, eigenvector centrality uses the sparse eigen-solver.
EIGENVECTOR_NUMPY_ABOVE = 500


@dataclass
class CentralityResult:
    """The scores of one projection: ``scores[metric][node]``, and how each was computed."""

    graph: nx.Graph
    scores: dict[str, dict[Any, float]]
    methods: dict[str, str]
    computed_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def missing(self, metrics: Sequence[str]) -> list[str]:
        """Those of ``metrics`` not computed yet."""
        return [m for m in metrics if m not in self.scores]

    def ensure(self, metrics: Sequence[str]) -> CentralityResult:
        """Compute those of ``metrics`` not computed yet, one thread at a time (a second
        caller waits and finds them done); scores already there are never recomputed."""
        for metric in metrics:
            check_metric(metric)
        if not self.missing(metrics):
            return self
        with self._lock:
            for metric in self.missing(metrics):
                _compute(self, metric)
        return self

    @property
    def projection(self) -> str:
        """The projection's name."""
        return str(self.graph.graph.get("projection", "graph"))

    @property
    def level(self) -> str:
        """The roll-up level (``""`` when regions are as named)."""
        return str(self.graph.graph.get("level", ""))

    def ranking(self, metric: str, top: int | None = None) -> list[dict[str, Any]]:
        """Nodes by ``metric``, highest first (ties by URI), each with every metric."""
        check_metric(metric)
        order = sorted(self.scores[metric], key=lambda n: (-self.scores[metric][n], str(n)))
        if metric == "community":
            order = sorted(self.scores[metric], key=lambda n: (self.scores[metric][n], str(n)))
        return [self.row(node, rank) for rank, node in enumerate(order[:top], start=1)]

    def row(self, node: Any, rank: int) -> dict[str, Any]:
        """One node's identity and scores."""
        attrs = self.graph.nodes[node]
        row: dict[str, Any] = {
            "rank": rank,
            "id": attrs.get("id", str(node)),
            "label_ja": attrs.get("label_ja"),
            "label_en": attrs.get("label_en"),
            "type": attrs.get("type"),
        }
        row.update({m: self.scores[m][node] for m in METRICS if m in self.scores})
        return row


def check_metric(metric: str) -> None:
    """Raise :class:`MetricError` unless ``metric`` is one of :data:`METRICS`."""
    if metric not in METRICS:
        raise MetricError(f"unknown metric {metric!r}: use one of {', '.join(METRICS)}")


def _top_nodes(graph: nx.Graph) -> set[Any]:
    return {n for n, side in graph.nodes(data="bipartite") if side == 0}


def _degree(graph: nx.Graph, bip: bool) -> tuple[dict, str]:
    if bip:
        scores = bipartite.degree_centrality(graph, _top_nodes(graph))
        return scores, "networkx.bipartite.degree_centrality"
    return nx.degree_centrality(graph), "networkx.degree_centrality"


def _weighted_degree(graph: nx.Graph, bip: bool) -> tuple[dict, str]:
    scores = {n: float(d) for n, d in graph.degree(weight="weight")}
    return scores, "networkx.degree(weight='weight')"


def _betweenness(graph: nx.Graph, bip: bool) -> tuple[dict, str]:
    n = graph.number_of_nodes()
    if n > SAMPLE_BETWEENNESS_ABOVE:
        budget = BETWEENNESS_EDGE_BUDGET // max(graph.number_of_edges(), 1)
        k = min(BETWEENNESS_SAMPLE, n, max(64, budget))
        scores = nx.betweenness_centrality(graph, k=k, seed=SEED)
        return scores, (
            f"networkx.betweenness_centrality sampled (k={k}, seed={SEED}; {n} nodes, "
            f"{graph.number_of_edges()} edges)"
        )
    top = _top_nodes(graph)
    if bip and 1 < len(top) < n - 1:  # the bipartite maximum is 0 when a side has one node
        return bipartite.betweenness_centrality(graph, top), (
            "networkx.bipartite.betweenness_centrality (exact)"
        )
    return nx.betweenness_centrality(graph), "networkx.betweenness_centrality (exact)"


def _closeness(graph: nx.Graph, bip: bool) -> tuple[dict, str]:
    n = graph.number_of_nodes()
    if n > SAMPLE_CLOSENESS_ABOVE:
        k = CLOSENESS_SAMPLE
        return _sampled_closeness(graph, k), (
            f"llgraph closeness from {k} sampled sources per component (seed={SEED}; {n} nodes; "
            "exact in smaller components), Wasserman-Faust scaling"
        )
    if bip:
        return _bipartite_closeness(graph), (
            "networkx.bipartite.closeness_centrality per component, scaled by the "
            "component's share (Wasserman-Faust), so 0 to 1"
        )
    return nx.closeness_centrality(
        graph
    ), "networkx.closeness_centrality (Wasserman-Faust for components)"


def _bipartite_closeness(graph: nx.Graph) -> dict[Any, float]:
    """Bipartite closeness in [0, 1] on a graph in several components.

    networkx's ``bipartite.closeness_centrality`` measures every distance against the
    best case of the whole graph (the other side at 1 hop, its own side at 2), so in
    a small component a node can score above 1 (up to about 2). Here each component
    is scored against its own best case, then scaled by its share of the other nodes,
    as ``nx.closeness_centrality`` does; on a connected graph both agree."""
    n, top, scores = graph.number_of_nodes(), _top_nodes(graph), {}
    for component in nx.connected_components(graph):
        if len(component) == 1:
            scores.update(dict.fromkeys(component, 0.0))
            continue
        sub = graph.subgraph(component)
        share = (len(component) - 1) / (n - 1)
        values = bipartite.closeness_centrality(sub, top & component, normalized=False)
        scores.update({v: share * values[v] for v in component})
    return scores


def _sampled_closeness(graph: nx.Graph, k: int) -> dict[Any, float]:
    """Closeness from the distances to ``k`` random sources of each component (Eppstein and
    Wang's estimator); exact where a component has at most ``k`` nodes. Scaled like
    networkx's ``closeness_centrality`` (Wasserman-Faust: by the component's share)."""
    rng = random.Random(SEED)
    n, scores = graph.number_of_nodes(), {}
    for component in sorted(nx.connected_components(graph), key=lambda c: min(map(str, c))):
        nodes = sorted(component, key=str)
        sources = nodes if len(nodes) <= k else rng.sample(nodes, k)
        total, hits = dict.fromkeys(nodes, 0), dict.fromkeys(nodes, 0)
        for source in sources:
            for node, distance in nx.single_source_shortest_path_length(graph, source).items():
                if node != source:
                    total[node] += distance
                    hits[node] += 1
        share = (len(nodes) - 1) / (n - 1)
        scores.update({v: share * hits[v] / total[v] if total[v] else 0.0 for v in nodes})
    return scores


def _eigenvector(graph: nx.Graph, bip: bool) -> tuple[dict, str]:
    n = graph.number_of_nodes()
    largest = max(nx.connected_components(graph), key=len)
    if n > EIGENVECTOR_NUMPY_ABOVE and len(largest) > 2:
        if len(largest) == n:
            scores = nx.eigenvector_centrality_numpy(graph, weight="weight")
            return scores, f"networkx.eigenvector_centrality_numpy (sparse eigen-solver; {n} nodes)"
        scores = dict.fromkeys(graph, 0.0)
        scores.update(nx.eigenvector_centrality_numpy(graph.subgraph(largest), weight="weight"))
        return scores, (
            "networkx.eigenvector_centrality_numpy on the largest component "
            f"({len(largest)} of {n} nodes; 0 elsewhere)"
        )
    scores = nx.eigenvector_centrality(graph, max_iter=1000, tol=1e-8, weight="weight")
    return scores, "networkx.eigenvector_centrality (power iteration)"


def _pagerank(graph: nx.Graph, bip: bool) -> tuple[dict, str]:
    return nx.pagerank(graph, alpha=0.85, weight="weight"), "networkx.pagerank (alpha=0.85)"


def _community(graph: nx.Graph, bip: bool) -> tuple[dict, str]:
    groups = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    groups = sorted(groups, key=lambda g: (-len(g), min(str(n) for n in g)))
    scores = {node: float(i) for i, group in enumerate(groups) for node in group}
    return scores, f"networkx.louvain_communities (seed={SEED}); {len(groups)} communities"


_ALGORITHMS: dict[str, Callable[[nx.Graph, bool], tuple[dict, str]]] = {
    "degree": _degree,
    "weighted-degree": _weighted_degree,
    "betweenness": _betweenness,
    "closeness": _closeness,
    "eigenvector": _eigenvector,
    "pagerank": _pagerank,
    "community": _community,
}


def compute_centrality(
    graph: nx.Graph, metrics: Sequence[str] = tuple(METRICS)
) -> CentralityResult:
    """Compute ``metrics`` on ``graph``; the result says which algorithm each one used.

    Bipartite projections (``graph.graph["bipartite"]``, node attribute ``bipartite`` 0/1)
    use networkx's bipartite degree, betweenness and closeness, which normalise by the
    size of the other side. Betweenness and closeness count hops (unweighted); weighted
    degree, eigenvector, PageRank and Louvain use the edge weights. Large graphs switch
    to sampled betweenness and the sparse eigen-solver (see the module constants).
    """
    return CentralityResult(graph=graph, scores={}, methods={}).ensure(metrics)


def _compute(result: CentralityResult, metric: str) -> None:
    """Add ``metric`` to ``result``: its method, then (complete) its scores."""
    graph = result.graph
    if graph.number_of_nodes() == 0:
        result.methods[metric], result.scores[metric] = "empty graph", {}
        return
    bip = bool(graph.graph.get("bipartite")) and bool(_top_nodes(graph))
    values, method = _ALGORITHMS[metric](graph, bip)
    result.methods[metric] = method
    result.scores[metric] = {n: round(float(v), 10) for n, v in values.items()}


def annotate(result: CentralityResult) -> nx.Graph:
    """Copy the scores onto the graph's nodes (``weighted-degree`` → ``weighted_degree``;
    ``community`` as an integer) so exports can size and colour by them."""
    for metric, values in result.scores.items():
        key = metric.replace("-", "_")
        for node, value in values.items():
            result.graph.nodes[node][key] = int(value) if metric == "community" else value
    return result.graph


def annotated(result: CentralityResult, metrics: Sequence[str]) -> nx.Graph:
    """A copy of the graph whose nodes carry ``metrics``' scores (as :func:`annotate`
    names them), computed first if need be; the result's own graph is left as it is."""
    result.ensure(metrics)
    graph = result.graph.copy()
    for metric in metrics:
        key = metric.replace("-", "_")
        for node, value in result.scores[metric].items():
            graph.nodes[node][key] = int(value) if metric == "community" else value
    return graph


def _slug(result: CentralityResult) -> str:
    level = result.level.replace(":", "-to-")
    return f"{result.projection}/{level}" if level else result.projection


def _node_path(node_uri: str, ns: Namespaces) -> str:
    if node_uri.startswith(ns.id):
        return node_uri.removeprefix(ns.id)
    return "node/" + hashlib.sha1(node_uri.encode()).hexdigest()[:16]


def measurements_graph(result: CentralityResult, ns: Namespaces = DEFAULT_NAMESPACES) -> Graph:
    """The scores as RDF: one ``dqv:QualityMeasurement`` per node and metric, minted
    under ``ns`` (the base of the data).

    Each measurement has ``dqv:computedOn`` (the node), ``dqv:isMeasurementOf`` (an
    ``id/metric/...`` ``dqv:Metric``), ``dqv:value``, ``prov:generatedAtTime`` and
    ``prov:wasGeneratedBy`` the analysis run, which names the projection
    (``prov:used``) and states each metric's algorithm. The graph conforms to
    ``ontology/shapes-network.ttl``.
    """
    g = Graph()
    for prefix in ("dqv", "prov", "dcterms", "rdfs", "xsd"):
        g.bind(
            prefix, {"dqv": DQV, "prov": PROV, "dcterms": DCTERMS, "rdfs": RDFS, "xsd": XSD}[prefix]
        )
    slug = _slug(result)
    when = Literal(result.computed_at.isoformat(), datatype=XSD.dateTime)
    projection = ns.id[f"projection/{slug}"]
    run = ns.id[f"analysis/{slug}"]
    g.add((projection, RDF.type, PROV.Entity))
    g.add((projection, RDFS.label, Literal(f"network projection {slug}", lang="en")))
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, RDFS.label, Literal(f"centrality of {slug}", lang="en")))
    g.add((run, PROV.used, projection))
    g.add((run, PROV.endedAtTime, when))
    for metric, method in result.methods.items():
        metric_uri = ns.id[f"metric/{metric}"]
        g.add((metric_uri, RDF.type, DQV.Metric))
        g.add((metric_uri, RDFS.label, Literal(metric, lang="en")))
        g.add((metric_uri, DCTERMS.description, Literal(METRICS[metric], lang="en")))
        g.add((run, RDFS.comment, Literal(f"{metric}: {method}", lang="en")))
        datatype = XSD.integer if metric == "community" else XSD.double
        for node, value in result.scores[metric].items():
            node_uri = str(result.graph.nodes[node].get("id", node))
            m = ns.id[f"measurement/{slug}/{metric}/{_node_path(node_uri, ns)}"]
            g.add((m, RDF.type, DQV.QualityMeasurement))
            g.add((m, DQV.computedOn, URIRef(node_uri)))
            g.add((m, DQV.isMeasurementOf, metric_uri))
            literal = int(value) if datatype == XSD.integer else value
            g.add((m, DQV.value, Literal(literal, datatype=datatype)))
            g.add((m, PROV.generatedAtTime, when))
            g.add((m, PROV.wasGeneratedBy, run))
    return g
