"""Measure one backend, or the references, on the data of one size (one process each).

    python -m bench.run BACKEND DATA_DIR [--light]    BACKEND: memory, oxigraph,
                                                      oxigraph-disk, sparql, reference

Prints one JSON object. A process per backend keeps peak memory figures apart.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import Graph

from bench.common import (
    BIN,
    Timer,
    bench_settings,
    data_files,
    peak_rss_mb,
    repeat,
    server,
    synthetic_items,
    tree_cpu_ms,
)
from llgraph.config import PROJECT_ROOT
from llgraph.load import expand_paths, parse_files
from llgraph.queries import load_catalogue
from llgraph.store import DEFAULT_PREFIXES as PREFIXES
from llgraph.store import Store, open_store
from llgraph.store.binding import bind_values
from llgraph.store.oxigraph import OX_FORMATS
from llgraph.validate import validate_data

__all__ = ["measure_backend", "measure_reference"]

ID = "https://w3id.org/llgraph/id/"
ITEMS = 200
#: rdflib's SPARQL engine needs minutes per catalogue query beyond this many triples.
RDFLIB_QUERIES_UP_TO = 50_000


SKIP: set[str] = set()  # queries left out at this size (``--skip-queries``)


def named_queries() -> dict[str, tuple[str, dict[str, Any]]]:
    """The catalogue's queries with their default parameters (less those skipped)."""
    catalogue = load_catalogue(PROJECT_ROOT / "queries")
    return {
        name: (q.query.text, q.bindings())
        for name, q in sorted(catalogue.items())
        if name not in SKIP
    }


def _lookup(item: str) -> str:
    return f"SELECT ?p ?o WHERE {{ <{ID}partnership/{item}> ?p ?o }}"


def _paths_file(paths: list[str]) -> Path:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(paths, handle)
    return Path(handle.name)


def _client(base: str, path_file: Path, requests: int, seconds: float) -> dict[str, float]:
    argv = [sys.executable, "-m", "bench.client", base, str(path_file), "--concurrency", "4"]
    argv += ["--requests", str(requests), "--seconds", str(seconds)]
    return json.loads(subprocess.run(argv, capture_output=True, text=True, check=True).stdout)


def http_load(base: str, pid: int, paths: list[str], *, light: bool) -> dict[str, Any]:
    """Load ``base`` from a second process, with the server's CPU time per request (its
    whole process tree): ``cold``, every path once on a fresh server; then, after four more
    unmeasured rounds (so that every HTTP worker has answered every path), ``warm``."""
    path_file = _paths_file(paths)
    passes = {
        "cold": (len(paths), 30.0),
        "settle": (4 * len(paths), 30.0),
        "warm": (5000 if light else 20000, 10 if light else 30),
    }
    result: dict[str, Any] = {}
    try:
        for name, (requests, seconds) in passes.items():
            before = tree_cpu_ms(pid)
            load = _client(base, path_file, requests, seconds)
            load["server_cpu_ms_per_request"] = (tree_cpu_ms(pid) - before) / max(
                1, load["requests"]
            )
            result[name] = load
    finally:
        path_file.unlink()
    del result["settle"]
    return result


def _queries(run: Any, runs: int, raw: Any = None) -> dict[str, dict[str, float]]:
    """Each named query's latency; with ``raw`` (the same query on raw pyoxigraph), run
    alternately with it in this process, so the ratio is taken at the same moment."""
    return {
        name: repeat(
            lambda t=text, b=bindings: run(t, b),
            runs,
            paired=None if raw is None else lambda t=text, b=bindings: raw(t, b),
        )
        for name, (text, bindings) in named_queries().items()
    }


def _raw_store(files: list[Path], directory: str | None = None) -> tuple[ox.Store, float]:
    """Raw pyoxigraph holding ``files`` (in memory, or on disk in ``directory``), and the
    seconds ``Store.load`` took."""
    store = ox.Store(directory)
    with Timer() as load:
        for path in files:
            store.load(path=str(path), format=OX_FORMATS[path.suffix])
    return store, load.seconds


def _raw_query(store: ox.Store) -> Any:
    return lambda t, b: _read(store.query(bind_values(t, b), prefixes=PREFIXES))


def _network(store: Store) -> dict[str, float]:
    try:
        from llgraph.centrality import compute_centrality
        from llgraph.export import generate_gexf
        from llgraph.network import build_projection
    except ImportError:
        return {}
    with Timer() as project:
        graph = build_projection(store, "region-region")
    with Timer() as central:
        compute_centrality(graph, ["degree", "pagerank", "eigenvector", "betweenness"])
    with Timer() as gexf:
        generate_gexf(graph)
    return {
        "projection_s": project.seconds,
        "centrality_s": central.seconds,
        "gexf_s": gexf.seconds,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
    }


def _serve(spec: str, data_dir: Path, items: list[str], light: bool) -> dict[str, Any]:
    env = {"LLGRAPH_DATA": f"{PROJECT_ROOT / 'data' / 'ttl'}:{data_dir}", "LLGRAPH_STORE": spec}
    argv = [str(BIN / "llgraph"), "serve", "--port", "{port}"]
    result: dict[str, Any] = {}
    if spec.startswith("oxigraph:"):  # first start loads; the measured one finds it unchanged
        with server(argv, "/api/programmes", env=env) as first:
            result["first_start_s"] = first["start_s"]
    rest_paths = [f"/api/partnerships/{i}" for i in items]
    sparql_paths = [f"/sparql?query={quote(_lookup(i))}" for i in items]
    with server(argv, "/api/programmes", env=env) as info:
        result["start_s"] = info["start_s"]
        result["rest"] = http_load(info["base"], info["pid"], rest_paths, light=light)
        result["sparql"] = http_load(info["base"], info["pid"], sparql_paths, light=light)
    result["server_peak_mb"] = info["peak_mb"]
    return result


def measure_backend(backend: str, data_dir: Path, *, light: bool, serve: bool) -> dict[str, Any]:
    """Ingest, named queries, network, and the served app, for one backend."""
    with ExitStack() as stack:
        spec = backend
        if backend == "oxigraph-disk":
            spec = f"oxigraph:{stack.enter_context(tempfile.TemporaryDirectory())}/store"
        if backend == "sparql":
            argv = [str(BIN / "oxigraph"), "serve", "--bind", "127.0.0.1:{port}"]
            base = stack.enter_context(server(argv, "/query?query=ASK%7B%7D"))["base"]
            spec = f"sparql:{base}/query,update={base}/update,store={base}/store"
        settings = bench_settings(data_dir, spec)
        with Timer() as parse:
            data = parse_files(expand_paths(settings.data_paths))
        data.graph += parse_files(settings.ontology_files).graph
        store = open_store(spec)
        with Timer() as ingest:
            store.replace(data.graph, files=data_files(settings), fingerprint="bench")
        del data
        triples = len(store)
        # files → queryable store: Oxigraph reads the files itself, the others need the parse
        load_s = ingest.seconds + (0 if backend.startswith("oxigraph") else parse.seconds)
        runs = 5 if light else 20
        raw = None
        if backend.startswith("oxigraph"):  # the engine's floor (on disk too), in this process
            directory = stack.enter_context(tempfile.TemporaryDirectory())
            disk = backend == "oxigraph-disk"
            raw = _raw_query(_raw_store(data_files(settings), directory if disk else None)[0])
        result: dict[str, Any] = {
            "backend": backend,
            "triples": triples,
            "parse_s": parse.seconds,
            "ingest_s": ingest.seconds,
            "load_s": load_s,
            "load_tps": triples / load_s,
            "queries": {}
            if backend == "memory" and triples > RDFLIB_QUERIES_UP_TO
            else _queries(lambda t, b: list(store.query(t, bindings=b)), runs, raw),
            "network": _network(store),
        }
        store.close()
        if serve:
            items = synthetic_items(data_dir, "partnership", ITEMS)
            result["serve"] = _serve(spec, data_dir, items, light)
        result["peak_mb"] = peak_rss_mb()
        return result


def _validation(data_dir: Path, *, full: bool) -> dict[str, Any]:
    """Full validation, ours and raw pyshacl (only when ``full``: nothing otherwise)."""
    if not full:
        return {}
    settings = bench_settings(data_dir)
    data = parse_files(expand_paths(settings.data_paths))
    shapes = parse_files(settings.shapes_files).graph
    ontology = parse_files(settings.ontology_files).graph
    with Timer() as raw:
        shacl_validate(
            data.graph,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
    with Timer() as ours:
        report = validate_data(data, shapes, ontology)
    return {"raw_pyshacl_s": raw.seconds, "validate_s": ours.seconds, "conforms": report.conforms}


def _read(answer: Any) -> object:
    """Every value of a pyoxigraph answer, read as any caller must read it."""
    return bool(answer) if isinstance(answer, ox.QueryBoolean) else [tuple(r) for r in answer]


def _raw_oxigraph(files: list[Path], runs: int) -> dict[str, Any]:
    store, load_s = _raw_store(files)
    bulk = ox.Store()
    with Timer() as bulk_load:
        for path in files:
            bulk.bulk_load(path=str(path), format=OX_FORMATS[path.suffix])
    del bulk
    queries = _queries(_raw_query(store), runs)
    return {
        "triples": len(store),
        "load_s": load_s,
        "load_tps": len(store) / load_s,
        "bulk_load_tps": len(store) / bulk_load.seconds,
        "queries": queries,
    }


def _raw_rdflib(files: list[Path], runs: int) -> dict[str, Any]:
    graph = Graph()
    with Timer() as load:
        for path in files:
            graph.parse(path, format="turtle")
    queries = (
        {}
        if len(graph) > RDFLIB_QUERIES_UP_TO
        else _queries(lambda t, b: list(graph.query(t, initNs=PREFIXES, initBindings=b)), runs)
    )
    return {"triples": len(graph), "load_tps": len(graph) / load.seconds, "queries": queries}


def _read_only_server(files: list[Path], items: list[str], light: bool) -> dict[str, Any]:
    directory = Path(tempfile.mkdtemp())
    try:
        store = ox.Store(str(directory))
        for path in files:
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        store.flush()
        del store
        argv = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(directory)]
        argv += ["--bind", "127.0.0.1:{port}"]
        with server(argv, "/query?query=ASK%7B%7D") as info:
            paths = [f"/query?query={quote(_lookup(i))}" for i in items]
            result = {
                "start_s": info["start_s"],
                "lookup": http_load(info["base"], info["pid"], paths, light=light),
            }
        return result
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def measure_reference(data_dir: Path, *, light: bool, serve: bool) -> dict[str, Any]:
    """The references: raw pyoxigraph, rdflib in memory, raw pyshacl, serve-read-only."""
    files = data_files(bench_settings(data_dir))
    runs = 5 if light else 20
    items = synthetic_items(data_dir, "partnership", ITEMS)
    return {
        "backend": "reference",
        "pyoxigraph": _raw_oxigraph(files, runs),
        "rdflib": _raw_rdflib(files, runs),
        "validation": _validation(data_dir, full=serve),
        "serve_read_only": _read_only_server(files, items, light),
        "peak_mb": peak_rss_mb(),
    }


def main() -> None:
    """``python -m bench.run``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backend")
    parser.add_argument("data", type=Path)
    parser.add_argument("--light", action="store_true", help="fewer repetitions")
    parser.add_argument(
        "--no-serve", action="store_true", help="skip validation and the served app (1M+)"
    )
    parser.add_argument("--skip-queries", default="", help="comma-separated query names")
    args = parser.parse_args()
    SKIP.update(filter(None, args.skip_queries.split(",")))
    if args.backend == "reference":
        result = measure_reference(args.data, light=args.light, serve=not args.no_serve)
    else:
        result = measure_backend(args.backend, args.data, light=args.light, serve=not args.no_serve)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
