"""A projection drawn as SVG: ForceAtlas2 positions, colours and sizes as in the GEXF."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from llgraph.export import OTHER_COLOR, TYPE_COLORS, check_options, label_of, node_color, node_sizes
from llgraph.layout import forceatlas2

__all__ = ["generate_svg"]

WIDTH, HEIGHT, MARGIN = 1200, 900, 90
FONT = "'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', 'Helvetica Neue', Arial, sans-serif"


def _rgb(colour: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def _project(pos: dict[Any, tuple[float, float]]) -> dict[Any, tuple[float, float]]:
    """Layout positions → the picture's pixels (y down), filling it and keeping the aspect."""
    xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
    x0, y0 = min(xs), min(ys)
    spans = (max(xs) - x0 or 1.0, max(ys) - y0 or 1.0)
    scale = min((WIDTH - 2 * MARGIN) / spans[0], (HEIGHT - 2 * MARGIN) / spans[1])
    dx = (WIDTH - spans[0] * scale) / 2
    dy = (HEIGHT - spans[1] * scale) / 2
    return {
        n: (round(dx + (x - x0) * scale, 1), round(HEIGHT - dy - (y - y0) * scale, 1))
        for n, (x, y) in pos.items()
    }


def _legend(graph: nx.Graph, lines: list[str]) -> None:
    types = sorted({str(t) for _, t in graph.nodes(data="type")})
    for i, node_type in enumerate(types):
        y = 24 + 20 * i
        colour = _rgb(TYPE_COLORS.get(node_type, OTHER_COLOR))
        lines.append(f'<circle cx="20" cy="{y}" r="6" fill="{colour}"/>')
        lines.append(f'<text x="32" y="{y + 4}">{escape(node_type)}</text>')


def generate_svg(
    graph: nx.Graph, *, lang: str = "en", color_by: str = "type", size_by: str | None = None
) -> str:
    """``graph`` drawn with :func:`llgraph.layout.forceatlas2`: edge width by weight, node
    colour by ``type`` or ``community``, radius by the ``size_by`` score (degree when
    none), every node labelled in ``lang``. No fonts or scripts are fetched."""
    check_options(lang, color_by, "integer")
    xy = _project(forceatlas2(graph))
    sizes = node_sizes(graph, size_by) if size_by else {}
    degree = dict(graph.degree())
    top = max(degree.values(), default=1) or 1
    title = f"{graph.graph.get('projection', 'graph')} {graph.graph.get('level') or ''}".strip()
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        '<g class="edges" stroke="#8c8c8c" stroke-opacity="0.55" stroke-linecap="round">',
    ]
    edges = ((*sorted((a, b), key=str), w) for a, b, w in graph.edges(data="weight", default=1))
    for a, b, weight in sorted(edges, key=lambda e: (str(e[0]), str(e[1]))):
        (x1, y1), (x2, y2) = xy[a], xy[b]
        width = round(0.8 + 1.2 * (float(weight or 1) - 1), 1)
        lines.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke-width="{width}"/>')
    lines.append('</g><g class="nodes" stroke="#ffffff" stroke-width="1">')
    radius = {}
    nodes = sorted(graph.nodes(data=True), key=lambda item: str(item[0]))
    for node, attrs in nodes:
        r = sizes[node] / 2 if node in sizes else 4 + 12 * degree[node] / top
        radius[node] = round(max(r, 3.0), 1)
        x, y = xy[node]
        fill = _rgb(node_color(attrs, color_by))
        lines.append(f'<circle cx="{x}" cy="{y}" r="{radius[node]}" fill="{fill}"/>')
    lines.append(
        '</g><g class="labels" fill="#222222" paint-order="stroke" stroke="#ffffff" '
        'stroke-width="3">'
    )
    for node, attrs in nodes:
        x, y = xy[node]
        text = quoteattr(label_of(attrs, node, lang))[1:-1]
        lines.append(f'<text x="{x + radius[node] + 3}" y="{y + 4}">{text}</text>')
    lines.append('</g><g class="legend">')
    _legend(graph, lines)
    lines.append("</g></svg>")
    return "\n".join(lines) + "\n"
