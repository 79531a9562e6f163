"""Exports: GEXF 1.3 against the official RELAX NG schema, and round trips through networkx."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from llgraph.centrality import annotate, compute_centrality
from llgraph.cli import main
from llgraph.export import (
    GEXF_NS,
    PALETTE,
    TYPE_COLORS,
    VIZ_NS,
    ExportError,
    decode_list,
    encode_list,
    generate_csv,
    generate_gexf,
    generate_graphml,
    generate_json,
    generate_zip,
    named_graph,
    write_export,
)
from llgraph.namespaces import ID
from llgraph.network import PROJECTIONS, build_projection
from llgraph.store import Store

SCHEMA_DIR = Path(__file__).parent / "fixtures" / "gexf-schema"
R = str(ID["region/"])
SUWA, DALIAN = R + "jp-nagano-suwa-area", R + "cn-dalian"
NS = {"g": GEXF_NS, "viz": VIZ_NS}


@pytest.fixture(scope="module")
def relaxng() -> etree.RelaxNG:
    schema = SCHEMA_DIR / "gexf.rng"
    assert schema.is_file(), f"the GEXF 1.3 schema is missing: expected {schema} (see SOURCE.md)"
    return etree.RelaxNG(file=str(schema))


@pytest.fixture(scope="module")
def graphs(store: Store) -> dict[str, nx.Graph]:
    """Every projection of the real data, with its centrality scores on the nodes."""
    return {
        name: annotate(compute_centrality(build_projection(store, name))) for name in PROJECTIONS
    }


def plain(value: object) -> object:
    """A value as it comes back from a text format: lists as their encoded text."""
    return encode_list(value) if isinstance(value, list) else value


def assert_same(original: nx.Graph, back: nx.Graph, *, lists_as_text: bool) -> None:
    assert set(back.nodes) == set(original.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in original.edges}
    for node, attrs in original.nodes(data=True):
        assert attrs["id"] == node  # node-link JSON keeps the URI as the node's own id
        for key, value in attrs.items():
            if key == "id" and "id" not in back.nodes[node]:
                continue
            expected = plain(value) if lists_as_text else value
            assert back.nodes[node][key] == pytest.approx(expected), (node, key)
    for a, b, attrs in original.edges(data=True):
        for key, value in attrs.items():
            expected = plain(value) if lists_as_text else value
            assert back.edges[a, b][key] == pytest.approx(expected), (a, b, key)


def test_list_encoding_round_trips() -> None:
    assert encode_list([2004, 2005]) == "[2004, 2005]"
    assert decode_list("[2004, 2005]") == ["2004", "2005"]
    names = ["Fukui – Lyon, France (textiles)", 'a "quoted" name', "back\\slash", "plain"]
    assert encode_list(names).startswith('["Fukui – Lyon, France (textiles)", "a \\"quoted')
    assert decode_list(encode_list(names)) == names
    assert decode_list("[]") == []
    assert decode_list("[]") == []


@pytest.mark.parametrize("projection", list(PROJECTIONS))
@pytest.mark.parametrize("timeformat", ["integer", "date"])
def test_gexf_is_valid_gexf_1_3(
    graphs: dict[str, nx.Graph], relaxng: etree.RelaxNG, projection: str, timeformat: str
) -> None:
    data = generate_gexf(
        graphs[projection], color_by="community", size_by="pagerank", timeformat=timeformat
    )
    doc = etree.fromstring(data)
    assert relaxng.validate(doc), relaxng.error_log
    assert doc.get("version") == "1.3"


def test_gexf_round_trips_through_networkx(graphs: dict[str, nx.Graph]) -> None:
    for name, graph in graphs.items():
        back = nx.read_gexf(io.BytesIO(generate_gexf(graph)))
        assert_same(named_graph(graph), back, lists_as_text=True)
        assert len(graph) > 5, name


def test_gexf_spells_play_the_fiscal_years(graphs: dict[str, nx.Graph]) -> None:
    graph = graphs["region-region"]
    doc = etree.fromstring(generate_gexf(graph))
    g = doc.find("g:graph", NS)
    assert (g.get("mode"), g.get("timeformat")) == ("dynamic", "integer")
    assert (g.get("start"), g.get("end")) == ("1996", "2008")
    edge = next(
        e
        for e in g.iterfind("g:edges/g:edge", NS)
        if {e.get("source"), e.get("target")} == {SUWA, DALIAN}
    )
    assert [(s.get("start"), s.get("end")) for s in edge.iterfind("g:spells/g:spell", NS)] == [
        ("2004", "2006")
    ]
    dalian = nx.read_gexf(io.BytesIO(generate_gexf(graph, timeformat="date"))).nodes[DALIAN]
    # LL 2004–2006 with Suwa, RIT 2008 with Kyushu: two spells of Japanese fiscal years
    assert dalian["spells"] == [("2004-04-01", "2007-03-31"), ("2008-04-01", "2009-03-31")]


def test_gexf_labels_colours_and_sizes(graphs: dict[str, nx.Graph]) -> None:
    graph = graphs["region-region"]
    ja = nx.read_gexf(io.BytesIO(generate_gexf(graph, lang="ja", size_by="weighted-degree")))
    en = nx.read_gexf(io.BytesIO(generate_gexf(graph, lang="en", color_by="community")))
    assert ja.nodes[DALIAN]["label"] == "大連市"
    assert en.nodes[DALIAN]["label"] == "Dalian"
    colour = ja.nodes[SUWA]["viz"]["color"]
    assert (colour["r"], colour["g"], colour["b"]) == TYPE_COLORS["domestic-region"]
    community = graph.nodes[DALIAN]["community"]
    colour = en.nodes[DALIAN]["viz"]["color"]
    assert (colour["r"], colour["g"], colour["b"]) == PALETTE[community % len(PALETTE)]
    by_size = sorted(ja.nodes, key=lambda n: ja.nodes[n]["viz"]["size"])
    by_score = sorted(graph.nodes, key=lambda n: graph.nodes[n]["weighted_degree"])
    assert (
        graph.nodes[by_size[-1]]["weighted_degree"] == graph.nodes[by_score[-1]]["weighted_degree"]
    )
    assert "size" not in en.nodes[DALIAN]["viz"]


def test_gexf_declares_typed_attributes(graphs: dict[str, nx.Graph]) -> None:
    doc = etree.fromstring(generate_gexf(graphs["region-region"]))
    declared = {
        a.get("title"): a.get("type")
        for a in doc.iterfind("g:graph/g:attributes[@class='node']/g:attribute", NS)
    }
    assert declared["fiscal_years"] == "liststring"
    assert declared["pagerank"] == "double"
    assert declared["community"] == "integer"
    assert declared["label_ja"] == "string"


def test_gexf_refuses_unknown_options(graphs: dict[str, nx.Graph]) -> None:
    graph = graphs["institution"]
    with pytest.raises(ExportError, match="unknown language 'fr'"):
        generate_gexf(graph, lang="fr")
    with pytest.raises(ExportError, match="unknown colouring"):
        generate_gexf(graph, color_by="mood")
    bare = build_projection_without_scores(graph)
    with pytest.raises(ExportError, match="compute centrality"):
        generate_gexf(bare, size_by="pagerank")


def build_projection_without_scores(graph: nx.Graph) -> nx.Graph:
    bare = nx.Graph(graph)
    for _, attrs in bare.nodes(data=True):
        attrs.pop("pagerank", None)
    return bare


def test_graphml_round_trips(graphs: dict[str, nx.Graph]) -> None:
    for graph in graphs.values():
        back = nx.parse_graphml(generate_graphml(graph).decode())
        assert_same(named_graph(graph), back, lists_as_text=True)


def test_json_round_trips(graphs: dict[str, nx.Graph]) -> None:
    for graph in graphs.values():
        data = json.loads(generate_json(graph, lang="ja"))
        back = nx.node_link_graph(data, edges="edges")
        assert_same(graph, back, lists_as_text=False)
        assert back.graph["projection"] == graph.graph["projection"]
    data = json.loads(generate_json(graphs["region-region"], lang="ja"))
    assert next(n for n in data["nodes"] if n["id"] == DALIAN)["label"] == "大連市"


def test_csv_pair_for_gephi_spreadsheet_import(graphs: dict[str, nx.Graph]) -> None:
    graph = graphs["region-region"]
    nodes_text, edges_text = generate_csv(graph, lang="ja")
    nodes = list(csv.DictReader(io.StringIO(nodes_text)))
    edges = list(csv.DictReader(io.StringIO(edges_text)))
    assert list(nodes[0])[:2] == ["Id", "Label"]
    assert list(edges[0])[:6] == ["Source", "Target", "Type", "Id", "Weight", "Label"]
    back = nx.Graph()
    back.add_nodes_from((row["Id"], row) for row in nodes)
    back.add_edges_from((row["Source"], row["Target"], row) for row in edges)
    assert set(back.nodes) == set(graph.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
    for a, b, weight in graph.edges(data="weight"):
        assert int(back.edges[a, b]["Weight"]) == weight
        assert decode_list(back.edges[a, b]["fiscal_years"]) == [
            str(y) for y in graph.edges[a, b]["fiscal_years"]
        ]
    assert back.nodes[DALIAN]["Label"] == "大連市"
    with zipfile.ZipFile(io.BytesIO(generate_zip(graph))) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]


def test_write_export_files(tmp_path: Path, graphs: dict[str, nx.Graph]) -> None:
    graph = graphs["institution"]
    assert write_export(graph, "csv", tmp_path / "inst.csv") == [
        tmp_path / "inst-nodes.csv",
        tmp_path / "inst-edges.csv",
    ]
    out = tmp_path / "inst.gexf"
    assert write_export(graph, "gexf", out, lang="ja", color_by="community") == [out]
    assert set(nx.read_gexf(out)) == set(graph)
    with pytest.raises(ExportError, match="unknown export format 'pdf'"):
        write_export(graph, "pdf", tmp_path / "x.pdf")
    with pytest.raises(ExportError, match="cannot write"):
        write_export(graph, "json", tmp_path / "missing" / "x.json")


def test_cli_export_gexf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], relaxng: etree.RelaxNG
) -> None:
    out = tmp_path / "regions.gexf"
    argv = ["export", "--projection", "region-region", "--format", "gexf", "--out", str(out)]
    assert main([*argv, "--lang", "ja", "--size-by", "pagerank", "--color-by", "community"]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert relaxng.validate(etree.parse(str(out))), relaxng.error_log
    graph = nx.read_gexf(out)
    assert graph.nodes[DALIAN]["label"] == "大連市" and "size" in graph.nodes[DALIAN]["viz"]


def test_networkx_gexf_writer_falls_short(relaxng: etree.RelaxNG) -> None:
    """Why export.py writes GEXF itself: networkx's 1.3 output fails the schema (an empty
    graph name) and it cannot write list or None attributes (networkx issue 4023)."""
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=2)
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, version="1.3")
    doc = etree.fromstring(buffer.getvalue())
    for name in [k for k in doc.attrib if k.endswith("schemaLocation")]:
        del doc.attrib[name]  # RELAX NG does not allow it; the rest still fails
    assert not relaxng.validate(doc)
    graph.nodes["a"]["years"] = [2004, 2005]
    with pytest.raises(TypeError):
        nx.write_gexf(graph, io.BytesIO(), version="1.3")
    assert relaxng.validate(etree.fromstring(generate_gexf(graph)))


def gexf_doc(graph: nx.Graph, **options: object) -> etree._Element:
    return etree.fromstring(generate_gexf(graph, **options))


@pytest.mark.parametrize("projection", list(PROJECTIONS))
def test_gexf_values_are_names_and_only_id_holds_addresses(
    graphs: dict[str, nx.Graph], projection: str
) -> None:
    doc = gexf_doc(graphs[projection], lang="ja")
    addresses = [
        (v.get("for"), v.get("value"))
        for v in doc.iterfind(".//g:attvalue", NS)
        if "https://" in v.get("value", "") and v.get("for") != "id"
    ]
    assert addresses == []
    labels = [e.get("label") for e in doc.iterfind("g:graph/g:edges/g:edge", NS)]
    assert labels and all(labels), "every edge has a label"
    assert not any("https://" in label for label in labels)


def test_gexf_edge_label_names_its_partnerships(graphs: dict[str, nx.Graph]) -> None:
    graph = graphs["region-region"]
    suwa_dalian = graph.graph["names"][str(ID["partnership/ll-suwa-dalian"])]
    for lang in ("ja", "en"):
        back = nx.read_gexf(io.BytesIO(generate_gexf(graph, lang=lang)))
        edge = back.edges[SUWA, DALIAN]
        assert edge["label"] == suwa_dalian[lang]
        assert decode_list(edge["partnerships"]) == [suwa_dalian[lang]]
        assert all(not i.startswith("https://") for i in decode_list(edge["industries"]))
        assert back.nodes[DALIAN]["id"] == DALIAN  # the address stays in id
    ja = nx.read_gexf(io.BytesIO(generate_gexf(graph, lang="ja")))
    assert "諏訪" in ja.edges[SUWA, DALIAN]["label"]


def test_gexf_layout_writes_positions(graphs: dict[str, nx.Graph], relaxng: etree.RelaxNG) -> None:
    graph = graphs["region-region"]
    doc = gexf_doc(graph, layout=True)
    assert relaxng.validate(doc), relaxng.error_log
    back = nx.read_gexf(io.BytesIO(etree.tostring(doc)))
    positions = {
        n: (a["viz"]["position"]["x"], a["viz"]["position"]["y"]) for n, a in back.nodes(data=True)
    }
    assert set(positions) == set(graph)
    assert len(set(positions.values())) == len(graph), "no two nodes on the same spot"
    assert max(abs(c) for xy in positions.values() for c in xy) == pytest.approx(500, abs=0.01)
    assert gexf_doc(graph, layout=True).findall(".//viz:position", NS)[0].attrib == (
        doc.findall(".//viz:position", NS)[0].attrib
    ), "seeded: the same drawing every time"
    assert not gexf_doc(graph).findall(".//viz:position", NS)


def test_compact_json_indexes_edge_ends(graphs: dict[str, nx.Graph]) -> None:
    graph = graphs["full"]
    full, compact = generate_json(graph), generate_json(graph, compact=True)
    assert len(compact) < len(full) * 0.7
    data = json.loads(compact)
    assert data["compact"] is True
    ids = [node["id"] for node in data["nodes"]]
    ends = {frozenset((ids[e["source"]], ids[e["target"]])) for e in data["edges"]}
    assert ends == {frozenset(e) for e in graph.edges}
