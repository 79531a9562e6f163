"""The SVG picture: one circle per node, one line per edge, labels, and nothing fetched."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from llgraph.centrality import annotate, compute_centrality
from llgraph.cli import main
from llgraph.draw import generate_svg
from llgraph.export import ExportError
from llgraph.network import Level, build_projection
from llgraph.store import Store

SVG = {"s": "http://www.w3.org/2000/svg"}


def test_svg_draws_every_node_and_edge(store: Store) -> None:
    graph = build_projection(store, "region-region", level=Level.parse("bureau-area:country"))
    graph = annotate(compute_centrality(graph))
    doc = etree.fromstring(generate_svg(graph, lang="ja", size_by="weighted-degree").encode())
    circles = doc.findall("s:g[@class='nodes']/s:circle", SVG)
    assert len(circles) == len(graph)
    assert len(doc.findall("s:g[@class='edges']/s:line", SVG)) == graph.number_of_edges()
    texts = [t.text for t in doc.iterfind("s:g[@class='labels']/s:text", SVG)]
    assert "中国" in texts and len(texts) == len(graph)
    radii = sorted(float(c.get("r")) for c in circles)
    assert radii[0] < radii[-1], "sized by weighted degree"
    assert b"http" not in etree.tostring(doc).replace(b"http://www.w3.org/2000/svg", b"")
    with pytest.raises(ExportError, match="unknown colouring"):
        generate_svg(graph, color_by="mood")


def test_cli_export_svg_and_gexf_layout(tmp_path: Path) -> None:
    out = tmp_path / "network.svg"
    argv = ["export", "--projection", "region-region", "--level", "bureau-area:country"]
    assert main([*argv, "--format", "svg", "--out", str(out), "--size-by", "pagerank"]) == 0
    assert out.read_text(encoding="utf-8").startswith("<svg ")
    gexf = tmp_path / "network.gexf"
    assert main([*argv, "--format", "gexf", "--layout", "--out", str(gexf)]) == 0
    assert b"viz:position" in gexf.read_bytes()
