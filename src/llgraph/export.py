"""Export a projection: GEXF 1.3 (for Gephi), GraphML, a Gephi nodes/edges CSV pair, JSON."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
from lxml import etree

from llgraph.errors import ExportError

__all__ = [
    "COLOR_BY",
    "EXPORT_MEDIA_TYPES",
    "GEXF_NS",
    "LANGS",
    "NAMED_KEYS",
    "TIMEFORMATS",
    "VIZ_NS",
    "ExportError",
    "check_options",
    "csv_paths",
    "decode_list",
    "encode_list",
    "generate_csv",
    "generate_gexf",
    "generate_graphml",
    "generate_json",
    "generate_zip",
    "label_of",
    "named_graph",
    "node_color",
    "node_sizes",
    "write_export",
]

#: The export formats and the media type each is served as (`csv`: the zip of two files).
EXPORT_MEDIA_TYPES: dict[str, str] = {
    "gexf": "application/gexf+xml",
    "graphml": "application/graphml+xml",
    "csv": "application/zip",
    "json": "application/json",
    "svg": "image/svg+xml",
}
#: Attributes whose values name partnerships, industries or programmes (by URI or slug):
#: the Gephi files (GEXF, GraphML, CSV) print their labels; only ``id`` keeps an address.
NAMED_KEYS = ("partnerships", "industries", "programmes")
LANGS = ("ja", "en")
COLOR_BY = ("type", "community")
GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
TIMEFORMATS = ("integer", "date")

#: Node colours by type (ColorBrewer Set1), and a 12-colour palette (Tableau) for communities.
TYPE_COLORS: dict[str, tuple[int, int, int]] = {
    "domestic-region": (228, 26, 28),
    "overseas-region": (55, 126, 184),
    "industry": (77, 175, 74),
    "institution": (152, 78, 163),
    "partnership": (255, 127, 0),
    "programme": (166, 86, 40),
}
OTHER_COLOR = (153, 153, 153)
PALETTE = [
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
    (174, 199, 232), (255, 187, 120),
]  # fmt: skip
SIZE_RANGE = (4.0, 40.0)


def _quoted(item: str) -> str:
    if not any(c in item for c in ',"[]\\') and item == item.strip():
        return item
    return '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'


def encode_list(values: Iterable[Any]) -> str:
    """A list as text, the way Gephi writes list attributes: ``[a, b, c]``; an item with
    a comma, quote or bracket is double-quoted (``["Lyon, France", b]``), as Gephi and
    graphology's GEXF readers accept."""
    return "[" + ", ".join(_quoted(str(v)) for v in values) + "]"


def decode_list(text: str) -> list[str]:
    """The items of an :func:`encode_list` text (as strings)."""
    inner = text.strip().removeprefix("[").removesuffix("]").strip()
    items, piece, quoted, escaped, in_quotes = [], "", False, False, False
    for char in inner:
        if escaped:
            piece, escaped = piece + char, False
        elif in_quotes and char == "\\":
            escaped = True
        elif char == '"' and (in_quotes or not piece.strip()):
            in_quotes, quoted, piece = not in_quotes, True, piece if in_quotes else ""
        elif char == "," and not in_quotes:
            items.append(piece if quoted else piece.strip())
            piece, quoted = "", False
        elif not (quoted and not in_quotes):
            piece += char
    if inner:
        items.append(piece if quoted else piece.strip())
    return items


def label_of(attrs: dict[str, Any], node: Any, lang: str) -> str:
    other = "en" if lang == "ja" else "ja"
    return str(attrs.get(f"label_{lang}") or attrs.get(f"label_{other}") or node)


def _flat_value(value: Any) -> Any:
    return encode_list(value) if isinstance(value, list | tuple | set) else value


def _name_values(attrs: dict[str, Any], names: dict[str, dict[str, str]], lang: str) -> dict:
    def name(value: Any) -> Any:
        found = names.get(value) if isinstance(value, str) else None
        if not found:
            return value
        return found.get(lang) or found.get("en" if lang == "ja" else "ja") or value

    out = dict(attrs)
    for key in NAMED_KEYS:
        if isinstance(out.get(key), list | tuple):
            out[key] = [name(v) for v in out[key]]
    return out


def _edge_label(attrs: dict[str, Any]) -> str:
    """What an edge stands for: its partnerships' names, else its relation (full graph)."""
    if attrs.get("partnerships"):
        return "; ".join(str(p) for p in attrs["partnerships"])
    return str(attrs.get("relation", ""))


def named_graph(graph: nx.Graph, lang: str = "en") -> nx.Graph:
    """A copy whose partnership, industry and programme values are their names in ``lang``
    (the other language when missing), each edge labelled with :func:`_edge_label`;
    ``id`` keeps the URI. The names come from ``graph.graph["names"]`` (see
    :func:`llgraph.network.projection_graph`), which the copy drops."""
    names = graph.graph.get("names") or {}
    named: nx.Graph[Any] = nx.Graph()
    named.graph.update({k: v for k, v in graph.graph.items() if k != "names"})
    for node, attrs in graph.nodes(data=True):
        named.add_node(node, **_name_values(attrs, names, lang))
    for a, b, attrs in graph.edges(data=True):
        values = _name_values(attrs, names, lang)
        named.add_edge(a, b, **values, label=_edge_label(values))
    return named


def _flat(graph: nx.Graph, lang: str) -> nx.Graph:
    """A named copy with list values as :func:`encode_list` text, no ``None``, a ``label``."""
    graph = named_graph(graph, lang)
    flat: nx.Graph[Any] = nx.Graph()
    flat.graph.update({k: _flat_value(v) for k, v in graph.graph.items() if v is not None})
    for node, attrs in graph.nodes(data=True):
        values = {k: _flat_value(v) for k, v in attrs.items() if v is not None}
        flat.add_node(node, **values, label=label_of(attrs, node, lang))
    for a, b, attrs in graph.edges(data=True):
        flat.add_edge(a, b, **{k: _flat_value(v) for k, v in attrs.items() if v is not None})
    return flat


# ------------------------------------------------------------------------------------- GEXF


def _gexf_type(values: list[Any]) -> str:
    """The GEXF 1.3 attribute type that holds every one of ``values``."""
    if all(isinstance(v, list | tuple) for v in values):
        return "liststring"  # not listinteger: networkx's reader knows only liststring
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _gexf_value(value: Any, gexf_type: str) -> str:
    if gexf_type.startswith("list"):
        return encode_list(value)
    if gexf_type == "boolean":
        return "true" if value else "false"
    return str(value)


def _declare(graph_el: etree._Element, cls: str, items: list[dict[str, Any]], skip: set) -> dict:
    keys: dict[str, list[Any]] = {}
    for attrs in items:
        for key, value in attrs.items():
            if key not in skip and value is not None:
                keys.setdefault(key, []).append(value)
    types = {key: _gexf_type(values) for key, values in sorted(keys.items())}
    el = etree.SubElement(graph_el, f"{{{GEXF_NS}}}attributes", {"class": cls})
    for key, gexf_type in types.items():
        etree.SubElement(el, f"{{{GEXF_NS}}}attribute", id=key, title=key, type=gexf_type)
    return types


def _attvalues(parent: etree._Element, attrs: dict[str, Any], types: dict[str, str]) -> None:
    present = [(k, attrs[k]) for k in types if attrs.get(k) is not None]
    if present:
        el = etree.SubElement(parent, f"{{{GEXF_NS}}}attvalues")
        for key, value in present:
            etree.SubElement(el, f"{{{GEXF_NS}}}attvalue", {"for": key}).set(
                "value", _gexf_value(value, types[key])
            )


def _runs(years: Iterable[int]) -> Iterator[tuple[int, int]]:
    """Consecutive runs of ``years``: [2001, 2002, 2005] → (2001, 2002), (2005, 2005)."""
    run: list[int] = []
    for year in sorted(set(years)):
        if run and year != run[-1] + 1:
            yield run[0], run[-1]
            run = []
        run.append(year)
    if run:
        yield run[0], run[-1]


def _time(year: int, timeformat: str, *, end: bool) -> str:
    """A fiscal year's start or end: ``2004`` or (dates) 2004-04-01 … 2005-03-31."""
    if timeformat == "integer":
        return str(year)
    return f"{year + 1}-03-31" if end else f"{year}-04-01"


def _spells(parent: etree._Element, years: list[int] | None, timeformat: str) -> None:
    if years:
        el = etree.SubElement(parent, f"{{{GEXF_NS}}}spells")
        for first, last in _runs(years):
            etree.SubElement(
                el,
                f"{{{GEXF_NS}}}spell",
                start=_time(first, timeformat, end=False),
                end=_time(last, timeformat, end=True),
            )


def node_sizes(graph: nx.Graph, size_by: str | None) -> dict[Any, float]:
    if size_by is None:
        return {}
    key = size_by.replace("-", "_")
    values = {n: float(a[key]) for n, a in graph.nodes(data=True) if a.get(key) is not None}
    if not values:
        raise ExportError(f"no node has a {size_by!r} score: compute centrality before sizing")
    low, high = min(values.values()), max(values.values())
    lo, hi = SIZE_RANGE
    if high == low:
        return {n: round((lo + hi) / 4, 3) for n in values}
    return {n: round(lo + (hi - lo) * (v - low) / (high - low), 3) for n, v in values.items()}


def node_color(attrs: dict[str, Any], color_by: str) -> tuple[int, int, int]:
    if color_by == "community":
        community = attrs.get("community")
        if community is None:
            raise ExportError("colouring by community needs the community scores: compute them")
        return PALETTE[int(community) % len(PALETTE)]
    return TYPE_COLORS.get(str(attrs.get("type")), OTHER_COLOR)


def check_options(lang: str, color_by: str, timeformat: str) -> None:
    for value, allowed, what in (
        (lang, LANGS, "language"),
        (color_by, COLOR_BY, "colouring"),
        (timeformat, TIMEFORMATS, "time format"),
    ):
        if value not in allowed:
            raise ExportError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")


def _gexf_graph_element(root: etree._Element, graph: nx.Graph, timeformat: str) -> etree._Element:
    dynamic = any(years for _, years in graph.nodes(data="fiscal_years"))
    attrs = {"defaultedgetype": "undirected", "mode": "dynamic" if dynamic else "static"}
    if dynamic:
        attrs["timeformat"] = timeformat
        first, last = graph.graph.get("first_fiscal_year"), graph.graph.get("last_fiscal_year")
        if first is not None and last is not None:
            attrs["start"] = _time(int(first), timeformat, end=False)
            attrs["end"] = _time(int(last), timeformat, end=True)
    return etree.SubElement(root, f"{{{GEXF_NS}}}graph", attrs)


def _gexf_root(graph: nx.Graph) -> etree._Element:
    """The ``gexf`` element with its ``meta``: today's date, llgraph, what the graph is."""
    root = etree.Element(f"{{{GEXF_NS}}}gexf", nsmap={None: GEXF_NS, "viz": VIZ_NS})
    root.set("version", "1.3")
    meta = etree.SubElement(root, f"{{{GEXF_NS}}}meta", lastmodifieddate=date.today().isoformat())
    etree.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "llgraph"
    description = f"{graph.graph.get('projection', 'graph')} projection"
    if graph.graph.get("level"):
        description += f", regions rolled up to {graph.graph['level']}"
    etree.SubElement(meta, f"{{{GEXF_NS}}}description").text = description
    return root


def generate_gexf(
    graph: nx.Graph,
    *,
    lang: str = "en",
    color_by: str = "type",
    size_by: str | None = None,
    timeformat: str = "integer",
    layout: bool = False,
) -> bytes:
    """``graph`` as GEXF 1.3, valid against the official RELAX NG schema.

    Attribute values are names in ``lang`` (see :func:`named_graph`; the URI stays in
    ``id``), every edge is labelled with the partnerships it stands for, and ``layout``
    writes ForceAtlas2 positions (:func:`llgraph.layout.forceatlas2`) into
    ``viz:position`` so Gephi opens a drawn graph.

    Node and edge attributes are declared with their types (lists as ``liststring`` or
    ``listinteger``); labels are in ``lang`` (the other language when missing); nodes
    are coloured by ``type`` or ``community`` and sized by the ``size_by`` score (node
    attributes set by :func:`llgraph.centrality.annotate`); nodes and edges carry a spell
    per run of active fiscal years (``integer`` years, or Japanese fiscal-year ``date``
    ranges from April to March), so Gephi's timeline plays the partnerships.
    """
    check_options(lang, color_by, timeformat)
    sizes = node_sizes(graph, size_by)
    positions = _positions(graph) if layout else {}
    graph = named_graph(graph, lang)
    root = _gexf_root(graph)
    graph_el = _gexf_graph_element(root, graph, timeformat)
    node_types = _declare(graph_el, "node", [a for _, a in graph.nodes(data=True)], set())
    edge_items = [a for _, _, a in graph.edges(data=True)]
    edge_types = _declare(graph_el, "edge", edge_items, {"weight", "label"})
    nodes_el = etree.SubElement(graph_el, f"{{{GEXF_NS}}}nodes", count=str(len(graph)))
    for node, attrs in graph.nodes(data=True):
        el = etree.SubElement(nodes_el, f"{{{GEXF_NS}}}node", id=str(node))
        el.set("label", label_of(attrs, node, lang))
        _attvalues(el, attrs, node_types)
        _spells(el, attrs.get("fiscal_years"), timeformat)
        r, g, b = node_color(attrs, color_by)
        etree.SubElement(el, f"{{{VIZ_NS}}}color", r=str(r), g=str(g), b=str(b))
        if node in positions:
            x, y = positions[node]
            etree.SubElement(el, f"{{{VIZ_NS}}}position", x=str(x), y=str(y), z="0.0")
        if node in sizes:
            etree.SubElement(el, f"{{{VIZ_NS}}}size", value=str(sizes[node]))
    edges_el = etree.SubElement(graph_el, f"{{{GEXF_NS}}}edges", count=str(len(edge_items)))
    for i, (a, b, attrs) in enumerate(graph.edges(data=True)):
        el = etree.SubElement(
            edges_el, f"{{{GEXF_NS}}}edge", id=f"e{i}", source=str(a), target=str(b)
        )
        el.set("label", attrs["label"])
        el.set("weight", str(attrs.get("weight", 1)))
        _attvalues(el, attrs, edge_types)
        _spells(el, attrs.get("fiscal_years"), timeformat)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _positions(graph: nx.Graph) -> dict[Any, tuple[float, float]]:
    from llgraph.layout import LayoutError, forceatlas2

    try:
        return forceatlas2(graph)
    except LayoutError as exc:
        raise ExportError(str(exc), parameter="layout") from exc


# ------------------------------------------------------------------- GraphML, CSV and JSON


def generate_graphml(graph: nx.Graph, *, lang: str = "en") -> bytes:
    """``graph`` as GraphML (lists as ``[a, b]`` text; ``label`` in ``lang``)."""
    check_options(lang, "type", "integer")
    return "\n".join(nx.generate_graphml(_flat(graph, lang))).encode()


def _csv_text(header: list[str], rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def generate_csv(graph: nx.Graph, *, lang: str = "en") -> tuple[str, str]:
    """The nodes table and the edges table Gephi's spreadsheet import reads.

    Nodes: ``Id``, ``Label`` and every attribute; edges: ``Source``, ``Target``,
    ``Type`` (Undirected), ``Id``, ``Weight``, ``Label`` (the partnerships) and every
    attribute. Values are names (see :func:`named_graph`); lists are ``[a, b]``.
    """
    flat = _flat(graph, lang)
    node_keys = sorted({k for _, a in flat.nodes(data=True) for k in a} - {"label"})
    nodes = [
        {"Id": n, "Label": a["label"], **{k: a.get(k, "") for k in node_keys}}
        for n, a in flat.nodes(data=True)
    ]
    edge_keys = sorted({k for _, _, a in flat.edges(data=True) for k in a} - {"weight", "label"})
    edges = [
        {"Source": s, "Target": t, "Type": "Undirected", "Id": f"e{i}"}
        | {"Weight": a.get("weight", 1), "Label": a.get("label", "")}
        | {k: a.get(k, "") for k in edge_keys}
        for i, (s, t, a) in enumerate(flat.edges(data=True))
    ]
    return (
        _csv_text(["Id", "Label", *node_keys], nodes),
        _csv_text(["Source", "Target", "Type", "Id", "Weight", "Label", *edge_keys], edges),
    )


def generate_zip(graph: nx.Graph, *, lang: str = "en") -> bytes:
    """The CSV pair in one zip archive (``nodes.csv``, ``edges.csv``), for downloads."""
    nodes, edges = generate_csv(graph, lang=lang)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", nodes)
        archive.writestr("edges.csv", edges)
    return buffer.getvalue()


def generate_json(graph: nx.Graph, *, lang: str = "en", compact: bool = False) -> str:
    """``graph`` as node-link JSON (``nodes``, ``edges``) for web viewers; lists stay lists.

    ``compact`` (for large graphs in the browser) writes no spaces and gives each edge's
    ``source`` and ``target`` as indexes into ``nodes`` rather than URIs (about a third of
    the size on the full projection); the document then says ``"compact": true``.
    """
    check_options(lang, "type", "integer")
    data = nx.node_link_data(graph, edges="edges")
    for node in data["nodes"]:
        node["label"] = label_of(node, node["id"], lang)
    if not compact:
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    index = {node["id"]: i for i, node in enumerate(data["nodes"])}
    for edge in data["edges"]:
        edge["source"], edge["target"] = index[edge["source"]], index[edge["target"]]
    data["compact"] = True
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def csv_paths(out: Path) -> tuple[Path, Path]:
    """Where the CSV pair goes: ``out`` a directory → nodes.csv, edges.csv inside it;
    else ``NAME-nodes.csv`` and ``NAME-edges.csv`` beside ``out``."""
    if out.is_dir():
        return out / "nodes.csv", out / "edges.csv"
    stem = out.with_suffix("") if out.suffix == ".csv" else out
    return stem.with_name(stem.name + "-nodes.csv"), stem.with_name(stem.name + "-edges.csv")


def write_export(
    graph: nx.Graph, fmt: str, out: Path, *, lang: str = "en", **gexf_options: Any
) -> list[Path]:
    """Write ``graph`` to ``out`` in ``fmt``; returns the files written."""
    if fmt not in EXPORT_MEDIA_TYPES:
        known = ", ".join(EXPORT_MEDIA_TYPES)
        raise ExportError(f"unknown export format {fmt!r}: use one of {known}")
    try:
        if fmt == "csv":
            paths = csv_paths(out)
            for path, text in zip(paths, generate_csv(graph, lang=lang), strict=True):
                path.write_text(text, encoding="utf-8")
            return list(paths)
        if fmt == "svg":
            from llgraph.draw import generate_svg

            options = {k: v for k, v in gexf_options.items() if k in ("color_by", "size_by")}
            out.write_text(generate_svg(graph, lang=lang, **options), encoding="utf-8")
        elif fmt == "gexf":
            out.write_bytes(generate_gexf(graph, lang=lang, **gexf_options))
        elif fmt == "graphml":
            out.write_bytes(generate_graphml(graph, lang=lang))
        else:
            out.write_text(generate_json(graph, lang=lang), encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror}") from exc
    return [out]
