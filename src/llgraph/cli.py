"""The ``llgraph`` command: parses arguments and calls the modules that do the work."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import networkx as nx

from llgraph.centrality import METRICS, annotate, compute_centrality, measurements_graph
from llgraph.config import Settings
from llgraph.errors import LLGraphError, LoadError, QueryError, StoreError, ValidationFailed
from llgraph.export import (
    COLOR_BY,
    EXPORT_MEDIA_TYPES,
    LANGS,
    TIMEFORMATS,
    ExportError,
    write_export,
)
from llgraph.namespaces import Namespaces, curie
from llgraph.network import PROJECTIONS, Level, build_projection
from llgraph.project import class_counts, load_validated
from llgraph.queries import load_catalogue, parse_file
from llgraph.sparql import SparqlQuery, classify, execute
from llgraph.store import open_store
from llgraph.validate import validate_paths

__all__ = ["build_parser", "main"]

Command = Callable[[argparse.Namespace, Settings], int]


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    """Validate Turtle files against the shapes; exit 0 only when they conform."""
    _, report = validate_paths(
        args.paths or settings.data_paths, settings.shapes_files, settings.ontology_files
    )
    print(report, file=sys.stdout if report.conforms else sys.stderr)
    return 0 if report.conforms else 1


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Load and validate the data, then print instance counts by class."""
    store = open_store(settings.store)
    report = load_validated(settings, store, args.paths or None)
    if getattr(store, "readonly", False):
        print(f"readonly {store.name} store: {len(store)} triples as the server holds them")
    else:
        print(f"{report} — loaded into {store.name} store: {len(store)} triples")
    for cls, n in class_counts(store):
        print(f"{n:6d}  {curie(cls)}")
    return 0


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the data and, only if it conforms, swap it into the store atomically."""
    store = open_store(settings.store)
    if getattr(store, "readonly", False):
        raise StoreError("a readonly store is never loaded: drop ',readonly' from --store")
    try:
        before = store.version
        report = load_validated(settings, store, args.paths or None, progress=args.progress)
        state = "unchanged, not re-read" if store.version == before else "loaded"
        print(f"{report} — {state}: {store.name} store, {len(store)} triples")
    finally:
        store.close()
    return 0


def cmd_openapi(args: argparse.Namespace, settings: Settings) -> int:
    """Print the OpenAPI document of the REST API (the text of api/openapi.json)."""
    from llgraph.web.openapi import openapi_text  # FastAPI is only loaded for this command

    sys.stdout.write(openapi_text())
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Load and validate the data, then serve the SPARQL endpoint, API and pages."""
    from llgraph.web.serve import serve  # FastAPI and uvicorn are only loaded for this command

    flags = {"port": args.port, "query_timeout": args.query_timeout, "workers": args.workers}
    serve(settings.replace(host=args.host, **flags))
    return 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(term: dict[str, str] | None) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        return curie(term["value"])
    return ("_:" if term["type"] == "bnode" else "") + term["value"]


def _table(results: dict) -> str:
    """SPARQL JSON results as an aligned text table."""
    if "boolean" in results:
        return str(results["boolean"]).lower()
    names = results["head"]["vars"]
    return _aligned(
        names, [[_cell(b.get(n)) for n in names] for b in results["results"]["bindings"]]
    )


def _aligned(names: list[str], rows: list[list[str]]) -> str:
    """Rows of text cells under ``names``, as an aligned text table."""
    widths = [max(_width(c) for c in col) for col in zip(names, *rows, strict=True)]
    lines = [names, ["-" * w for w in widths], *rows]
    pad = [[c + " " * (w - _width(c)) for c, w in zip(line, widths, strict=True)] for line in lines]
    return "\n".join("  ".join(line).rstrip() for line in pad)


def _query_of(args: argparse.Namespace, settings: Settings) -> tuple[SparqlQuery, dict]:
    """The query to run and its bindings: a named query, or a file (with or without #+ header)."""
    if bool(args.name) == bool(args.file):
        raise QueryError("give a query NAME (see --list) or --file FILE, not both")
    if any("=" not in p for p in args.param):
        raise QueryError("write each --param as NAME=VALUE")
    values = dict(p.partition("=")[::2] for p in args.param)
    if args.file and not any(line.startswith("#+") for line in _read(args.file).splitlines()):
        if values:
            raise QueryError(f"{args.file} declares no parameters (no '#+ param:' lines)")
        return classify(_read(args.file)), {}
    if args.file:
        return parse_file(args.file).query, parse_file(args.file).bindings(values)
    named = load_catalogue(settings.queries_dir).get(args.name)
    if named is None:
        raise QueryError(f"no named query {args.name!r}: see llgraph query --list")
    return named.query, named.bindings(values)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError(path, f"cannot read the query: {exc}") from exc


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    """Run a named query or a query file on the validated data, offline."""
    if args.list:
        for name, named in load_catalogue(settings.queries_dir).items():
            print(f"{name}  {named.title}")
        return 0
    query, bindings = _query_of(args, settings)
    store = open_store(settings.store)
    load_validated(settings, store)
    graph_form = query.form in ("CONSTRUCT", "DESCRIBE")
    fmt = {"table": "json", "csv": "csv", "json": "json"}[args.format]
    if graph_form:
        fmt = "json-ld" if args.format == "json" else "turtle"
    body = execute(store, query, fmt, bindings=bindings, limit=settings.result_limit)
    if args.format == "table" and not graph_form:
        print(_table(json.loads(body)))
    else:
        sys.stdout.buffer.write(body)
    return 0


def _projection_of(args: argparse.Namespace, settings: Settings) -> nx.Graph:
    store = open_store(settings.store)
    try:
        load_validated(settings, store)
        level, ns = Level.parse(args.level), Namespaces(settings.base_uri)
        return build_projection(store, args.projection, level=level, ns=ns)
    finally:
        store.close()


def cmd_centrality(args: argparse.Namespace, settings: Settings) -> int:
    """Rank the nodes of a projection; optionally write every score as RDF (--rdf)."""
    result = compute_centrality(_projection_of(args, settings))
    rows = result.ranking(args.metric, args.top)
    if args.rdf:
        try:
            rdf = measurements_graph(result, Namespaces(settings.base_uri))
            rdf.serialize(args.rdf, format="turtle")
        except OSError as exc:
            raise ExportError(f"cannot write {args.rdf}: {exc.strerror}") from exc
        print(
            f"wrote {args.rdf}: serve it beside the data with LLGRAPH_DATA=data/ttl:{args.rdf}",
            file=sys.stderr,
        )
    methods = [f"{metric}: {method}" for metric, method in result.methods.items()]
    if args.format == "json":
        body = {
            "projection": result.projection,
            "level": result.level,
            "metric": args.metric,
            "computed_at": result.computed_at.isoformat(),
            "methods": result.methods,
            "items": rows,
        }
        print(json.dumps(body, ensure_ascii=False, indent=1))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["rank"])
        writer.writeheader()
        writer.writerows(rows)
        print("\n".join(methods), file=sys.stderr)
    else:
        names = ["rank", "label_ja", "label_en", "type", args.metric, "id"]
        cells = [[_cell_text(row[n]) for n in names] for row in rows]
        print(_aligned(names, cells))
        print(
            f"\n{result.projection} {result.level}".rstrip() + f": {len(result.graph)} nodes, "
            f"{result.graph.number_of_edges()} edges; methods:"
        )
        print("\n".join(f"  {line}" for line in methods))
    return 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _cell_text(value: object) -> str:
    if isinstance(value, str) and value.startswith("https://"):
        return curie(value)
    return "" if value is None else str(value)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write a projection as GEXF, GraphML, a CSV pair, JSON or an SVG picture, with
    centrality on the nodes."""
    graph = annotate(compute_centrality(_projection_of(args, settings)))
    options = {}
    if args.format == "gexf":
        options = {
            "color_by": args.color_by,
            "size_by": args.size_by,
            "timeformat": args.timeformat,
            "layout": args.layout,
        }
    elif args.format == "svg":
        options = {"color_by": args.color_by, "size_by": args.size_by}
    for path in write_export(graph, args.format, args.out, lang=args.lang, **options):
        print(f"wrote {path}")
    return 0


def _projection_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that pick a network projection (``centrality`` and ``export``)."""
    parser.add_argument("--projection", choices=list(PROJECTIONS), default="region-region")
    parser.add_argument(
        "--level",
        help="roll regions up: a level (country) or domestic:overseas (prefecture:country); "
        "region-region and region-industry only",
    )


# --- spreadsheets: template, import, export-sheet (src/llgraph/sheets/) ---------------------


def cmd_template(args: argparse.Namespace, settings: Settings) -> int:
    """Write the import template, its drop-downs drawn from the graph's code lists."""
    from llgraph.sheets import write_graph_template  # openpyxl is only loaded for these

    for path in write_graph_template(args.out, settings, fmt=args.format):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Check every row of the sheets; only if all are valid, write them as Turtle."""
    from llgraph.sheets import SheetsInvalid, import_sheets

    try:
        result = import_sheets(args.path, args.out, settings)
    except SheetsInvalid as exc:
        print(exc, file=sys.stderr)
        return 1
    print(result, file=sys.stderr)
    paths = os.pathsep.join([*(str(p) for p in settings.data_paths), str(args.out)])
    print(f"serve it with the data: LLGRAPH_DATA={paths} llgraph serve", file=sys.stderr)
    return 0


def cmd_export_sheet(args: argparse.Namespace, settings: Settings) -> int:
    """Write the graph's partnerships into the template, to edit and import again."""
    from llgraph.sheets import export_sheet

    for path in export_sheet(args.out, settings, fmt=args.format):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _sheet_parsers(sub: argparse._SubParsersAction) -> None:
    """The ``template``, ``import`` and ``export-sheet`` subcommands."""
    formats = {"choices": ["xlsx", "csv"], "default": "xlsx", "help": "csv: a folder of CSV files"}
    p = sub.add_parser("template", help="write the spreadsheet template for new partnerships")
    p.add_argument("--out", type=Path, required=True, help="FILE.xlsx (--format csv: a folder)")
    p.add_argument("--format", **formats)
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import", help="import filled sheets as Turtle, every row checked")
    p.add_argument("path", type=Path, help="an .xlsx workbook, a .csv file or a folder of them")
    p.add_argument("--out", type=Path, required=True, help="the Turtle file to write")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export-sheet", help="write the graph's partnerships into the template")
    p.add_argument("--out", type=Path, required=True, help="FILE.xlsx (--format csv: a folder)")
    p.add_argument("--format", **formats)
    p.set_defaults(func=cmd_export_sheet)


def _data_parsers(sub: argparse._SubParsersAction) -> None:
    """The subcommands validate, load, stats and openapi: the data and the contract."""
    p = sub.add_parser("validate", help="validate Turtle files against the SHACL shapes")
    p.add_argument("paths", nargs="*", type=Path, help="files or directories (default: data/ttl)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("load", help="validate and load files into the store, atomically")
    p.add_argument("paths", nargs="*", type=Path, help="files or directories (default: data/ttl)")
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr (default: on a terminal, for big loads)",
    )
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("stats", help="load, validate and count instances by class")
    p.add_argument("paths", nargs="*", type=Path, help="files or directories (default: data/ttl)")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("openapi", help="print the REST API's OpenAPI document (api/openapi.json)")
    p.set_defaults(func=cmd_openapi)


def _serve_and_query_parsers(sub: argparse._SubParsersAction) -> None:
    """The subcommands serve and query."""
    p = sub.add_parser("serve", help="serve the SPARQL endpoint, REST API and pages")
    p.add_argument("--host", help="address to listen on (or LLGRAPH_HOST); default 127.0.0.1")
    p.add_argument("--port", type=int, help="port (or LLGRAPH_PORT); default 8000")
    p.add_argument(
        "--query-timeout",
        type=float,
        metavar="SECONDS",
        help="stop any query after this long (or LLGRAPH_QUERY_TIMEOUT); default 30",
    )
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="HTTP worker processes sharing the loaded data (or LLGRAPH_WORKERS); "
        "default one per core",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("query", help="run a named query (queries/NAME.rq) or a query file")
    p.add_argument("name", nargs="?", help="the named query (file name without .rq)")
    p.add_argument("--file", type=Path, help="run this .rq file instead")
    p.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="bind a parameter"
    )
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--list", action="store_true", help="list the named queries")
    p.set_defaults(func=cmd_query)


def _network_parsers(sub: argparse._SubParsersAction) -> None:
    """The subcommands centrality and export: the network projections."""
    p = sub.add_parser("centrality", help="rank the nodes of a network projection")
    _projection_arguments(p)
    p.add_argument("--metric", choices=list(METRICS), default="pagerank", help="rank by")
    p.add_argument("--top", type=_positive, default=20, help="how many nodes (default 20)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument(
        "--rdf",
        type=Path,
        metavar="FILE",
        help="also write every score as DQV measurements (Turtle) to FILE",
    )
    p.set_defaults(func=cmd_centrality)

    p = sub.add_parser("export", help="export a network projection for Gephi or a web viewer")
    _projection_arguments(p)
    p.add_argument("--format", choices=list(EXPORT_MEDIA_TYPES), required=True)
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the file (csv: NAME-nodes.csv and NAME-edges.csv, or a directory)",
    )
    p.add_argument("--lang", choices=LANGS, default="en", help="language of labels")
    p.add_argument("--color-by", choices=COLOR_BY, default="type", help="GEXF/SVG node colours")
    p.add_argument("--size-by", choices=list(METRICS), help="GEXF/SVG node size by this score")
    p.add_argument(
        "--layout",
        action="store_true",
        help="GEXF: write ForceAtlas2 positions (viz:position) so Gephi opens it drawn",
    )
    p.add_argument(
        "--timeformat",
        choices=TIMEFORMATS,
        default="integer",
        help="GEXF spells as fiscal years or as April–March dates",
    )
    p.set_defaults(func=cmd_export)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="llgraph", description="Knowledge graph of international regional partnerships."
    )
    parser.add_argument(
        "--store",
        help="memory, oxigraph, oxigraph:PATH or sparql:URL[,update=URL][,store=URL]"
        "[,graph=IRI][,readonly][,chunk=N][,timeout=SECONDS] (or LLGRAPH_STORE; a SPARQL "
        "server's account "
        "from LLGRAPH_SPARQL_USER and LLGRAPH_SPARQL_PASSWORD); default: oxigraph (in "
        "memory, data re-read at each start)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _data_parsers(sub)
    _serve_and_query_parsers(sub)
    _network_parsers(sub)
    _sheet_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``llgraph`` console script."""
    args = build_parser().parse_args(argv)
    func: Command = args.func
    try:
        return func(args, Settings.from_env(store=args.store))
    except ValidationFailed as exc:
        print(exc.report, file=sys.stderr)
        return 1
    except LLGraphError as exc:
        print(f"llgraph: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
