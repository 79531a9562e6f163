"""ForceAtlas2 positions: every node placed, seeded, scaled; components packed; size limit."""

from __future__ import annotations

import networkx as nx
import pytest

from llgraph.layout import EXTENT, LAYOUT_MAX_NODES, LayoutError, forceatlas2
from llgraph.network import Level, build_projection
from llgraph.store import Store


def test_positions_are_seeded_and_scaled(store: Store) -> None:
    graph = build_projection(store, "region-region", level=Level.parse("bureau-area:country"))
    positions = forceatlas2(graph)
    assert set(positions) == set(graph)
    assert forceatlas2(graph) == positions
    assert max(abs(c) for xy in positions.values() for c in xy) == pytest.approx(EXTENT)
    assert len(set(positions.values())) == len(graph)


def test_linked_nodes_are_closer_than_unlinked_ones() -> None:
    graph = nx.barbell_graph(8, 0)  # two cliques joined by one edge
    pos = forceatlas2(graph)

    def dist(a: int, b: int) -> float:
        return ((pos[a][0] - pos[b][0]) ** 2 + (pos[a][1] - pos[b][1]) ** 2) ** 0.5

    inside = max(dist(a, b) for a in range(8) for b in range(8))
    across = min(dist(a, b) for a in range(8) for b in range(8, 16) if (a, b) != (7, 8))
    assert inside < across


def test_components_do_not_overlap() -> None:
    graph = nx.disjoint_union(nx.cycle_graph(6), nx.path_graph(2))
    pos = forceatlas2(graph)
    big = [pos[n] for n in range(6)]
    small = [pos[n] for n in (6, 7)]
    right_of_big = min(x for x, _ in small) > max(x for x, _ in big)
    below_big = max(y for _, y in small) < min(y for _, y in big)
    assert right_of_big or below_big


def test_empty_single_and_too_large() -> None:
    assert forceatlas2(nx.Graph()) == {}
    assert forceatlas2(nx.Graph([("a", "a")])) == {"a": (0.0, 0.0)}
    with pytest.raises(LayoutError, match="run ForceAtlas 2 in Gephi"):
        forceatlas2(nx.empty_graph(LAYOUT_MAX_NODES + 1))
