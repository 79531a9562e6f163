"""ForceAtlas2 node positions for a projection (Gephi's default layout), seeded and scaled."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np

from llgraph.errors import LayoutError

__all__ = ["EXTENT", "LAYOUT_MAX_NODES", "SEED", "LayoutError", "forceatlas2"]

#: Seed of the initial positions: the same graph always gets the same drawing.
SEED = 42
#: Positions are scaled to [-EXTENT, EXTENT] on the longer axis (Gephi's usual range).
EXTENT = 500.0
#: networkx's ForceAtlas2 holds every pair of nodes in memory (n² × 16 bytes per step);
#: it takes about 15 s at 1,000 nodes (66 s at 2,000).
LAYOUT_MAX_NODES = 1000


def _component(graph: nx.Graph, iterations: int) -> np.ndarray:
    """ForceAtlas2 of one connected graph, centred, scaled to radius 1 (rows in the
    order of ``graph``'s nodes)."""
    if graph.number_of_nodes() == 1:
        return np.zeros((1, 2))
    pos = nx.forceatlas2_layout(
        graph,
        max_iter=iterations,
        scaling_ratio=2.0,
        gravity=1.0,
        distributed_action=False,
        weight="weight",
        seed=SEED,
    )
    coords = np.array([pos[node] for node in graph], dtype=float)
    coords -= coords.mean(axis=0)
    return coords / (float(np.linalg.norm(coords, axis=1).max()) or 1.0)


def _sorted(graph: nx.Graph) -> nx.Graph:
    """A copy with nodes and edges in a fixed order: the same drawing from every store."""
    out: nx.Graph[Any] = nx.Graph()
    out.add_nodes_from(sorted(graph, key=str))
    edges = sorted(graph.edges(data="weight", default=1), key=lambda e: sorted(map(str, e[:2])))
    out.add_weighted_edges_from(edges)
    return out


def _pack(parts: list[tuple[list[Any], np.ndarray]]) -> dict[Any, tuple[float, float]]:
    """Components side by side in rows (largest first), each of radius √nodes."""
    radii = [max(1.0, len(nodes) ** 0.5) for nodes, _ in parts]
    row_width = max(2 * radii[0], 1.5 * sum((2 * r) ** 2 for r in radii) ** 0.5)
    out: dict[Any, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for (nodes, coords), r in zip(parts, radii, strict=True):
        if x and x + 2 * r > row_width:
            x, y, row_height = 0.0, y - row_height * 1.1, 0.0
        centre = np.array([x + r, y - r])
        for node, point in zip(nodes, coords * r + centre, strict=True):
            out[node] = (float(point[0]), float(point[1]))
        x, row_height = x + 2 * r * 1.1, max(row_height, 2 * r)
    return out


def forceatlas2(
    graph: nx.Graph, *, iterations: int | None = None
) -> dict[Any, tuple[float, float]]:
    """ForceAtlas2 positions of ``graph``'s nodes (networkx's ``forceatlas2_layout``).

    Each connected component is laid out on its own (edge weights pull: partnerships;
    Gephi's defaults otherwise; ``iterations`` steps, by default 1,000 up to 200 nodes
    and 300 above), then the components are packed in rows, largest first, each drawn
    at a radius growing with the square root of its nodes. The result is seeded
    (:data:`SEED`) and scaled so the drawing spans [-EXTENT, EXTENT]; an empty graph
    has no positions.
    """
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    if n > LAYOUT_MAX_NODES:
        raise LayoutError(
            f"the layout of {n} nodes needs too much memory here (at most "
            f"{LAYOUT_MAX_NODES}): export it without positions and run ForceAtlas 2 in Gephi"
        )
    iterations = iterations or (1000 if n <= 200 else 300)
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(map(str, c))))
    parts = []
    for component in components:
        sub = _sorted(graph.subgraph(component))
        parts.append((list(sub), _component(sub, iterations)))
    packed = _pack(parts)
    coords = np.array([packed[node] for node in graph], dtype=float)
    coords -= (coords.max(axis=0) + coords.min(axis=0)) / 2
    coords *= EXTENT / (float(np.abs(coords).max()) or 1.0)
    pairs = zip(graph, coords, strict=True)
    return {node: (round(float(x), 2), round(float(y), 2)) for node, (x, y) in pairs}
