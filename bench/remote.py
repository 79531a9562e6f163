"""Load and named queries on Virtuoso 7 beside Oxigraph server, on synthetic data of one size.

    python -m bench.remote --triples 100000 [--repeat 3] [--chunk 20000] [--limit 60]

Both servers keep their data on disk in a temporary folder, are started on free loopback
ports and stopped afterwards; the data goes into the named graph GRAPH through the remote
store (bounded Graph Store requests into a staging graph, then one MOVE), as ``llgraph
load`` sends it. No query may take more than ``--limit`` seconds: both servers are told to
stop it there (Oxigraph's ``--timeout-s``, Virtuoso's ``MaxQueryExecutionTime``) and the
client waits a little longer, then reports "over N s". Progress goes to stderr; the
Markdown table with the Virtuoso / Oxigraph ratios to stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib.query import Result

from bench.common import BIN, Timer, bench_settings, data_files, free_port
from bench.generate import generate
from llgraph.config import PROJECT_ROOT
from llgraph.errors import QueryError, StoreError
from llgraph.load import parse_files
from llgraph.queries import load_catalogue
from llgraph.store import RemoteStore, open_store
from tests.answers import canonical_rows, canonical_triples
from tests.processes import virtuoso_config, wait_for_http

__all__ = ["main", "measure"]

GRAPH = "https://w3id.org/llgraph/graph/bench"
DBA = {"LLGRAPH_SPARQL_USER": "dba", "LLGRAPH_SPARQL_PASSWORD": "dba"}
#: A warm-up slower than this many seconds is a query's only run.
SLOW = 20.0
#: Seconds a load request may take: Oxigraph server's MOVE of 1M triples took over 120 s.
LOAD_TIMEOUT = 1800


@contextmanager
def _process(argv: list[str], ready: str, folder: Path) -> Iterator[None]:
    proc = subprocess.Popen(argv, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_http(ready, proc, 120)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=120)


def say(message: str) -> None:
    """A progress line on stderr, with the time and the machine's 1-minute load."""
    print(f"{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.1f}  {message}", file=sys.stderr)
    sys.stderr.flush()


@contextmanager
def virtuoso(folder: Path, buffers: int, limit: int) -> Iterator[str]:
    """Virtuoso 7 in ``folder``; yields its store spec (data in GRAPH)."""
    ini, port = virtuoso_config(folder, buffers=buffers, max_seconds=limit)
    base = f"http://127.0.0.1:{port}"
    argv = [shutil.which("virtuoso-t") or "virtuoso-t", "+foreground", "+configfile", str(ini)]
    with _process(argv, f"{base}/sparql?query=ASK%7B%7D", folder):
        store = f"{base}/sparql-graph-crud-auth"
        yield f"sparql:{base}/sparql,update={base}/sparql-auth,store={store},graph={GRAPH}"


@contextmanager
def oxigraph(folder: Path, limit: int) -> Iterator[str]:
    """``oxigraph serve`` on disk in ``folder``; yields its store spec (data in GRAPH)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    argv = [str(BIN / "oxigraph"), "serve", "--location", str(folder), "--bind", base[7:]]
    argv += ["--timeout-s", str(limit)]
    with _process(argv, f"{base}/query?query=ASK%7B%7D", folder):
        yield f"sparql:{base}/query,update={base}/update,store={base}/store,graph={GRAPH}"


def _answer(result: Result) -> str:
    """A digest of an answer, equal across engines for the same answer (tests/answers.py)."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        rows = canonical_triples(result.graph)
    else:
        rows = [(str(result.askAnswer),)] if result.type == "ASK" else canonical_rows(result)
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def _timed(store: RemoteStore, text: str, bindings: Any, limit: int) -> dict[str, Any]:
    """One run: seconds, rows and the answer's digest, or why it failed ("over N s" past
    ``limit``)."""
    try:
        with Timer() as timer:
            result = store.query(text, bindings=bindings)
    except (QueryError, StoreError) as exc:
        if timer.seconds >= limit or "did not answer within" in str(exc):
            return {"s": None, "rows": None, "error": f"over {limit} s", "over": limit}
        return {"s": None, "rows": None, "error": str(exc).split("): ", 1)[-1]}
    return {"s": timer.seconds, "rows": len(result), "answer": _answer(result)}


def _figure(
    store: RemoteStore, text: str, bindings: Any, repeat: int, limit: int
) -> dict[str, Any]:
    """A warm-up, then the median of ``repeat`` runs (a warm-up over SLOW s is the only run)."""
    first = _timed(store, text, bindings, limit)
    runs: list[dict[str, Any]] = []
    while first["s"] is not None and first["s"] <= SLOW and len(runs) < repeat:
        runs.append(_timed(store, text, bindings, limit))
        if runs[-1]["s"] is None:
            return runs[-1]
    if not runs:
        return {**first, "runs": 1}
    median = statistics.median(run["s"] for run in runs)
    return {"s": median, "rows": first["rows"], "answer": first["answer"], "runs": len(runs)}


def _query_times(store: RemoteStore, repeat: int, limit: int) -> dict[str, dict[str, Any]]:
    """Each named query's figure (see :func:`_figure`), with progress on stderr."""
    times: dict[str, dict[str, Any]] = {}
    catalogue = sorted(load_catalogue(PROJECT_ROOT / "queries").items())
    for number, (name, named) in enumerate(catalogue, 1):
        figure = _figure(store, named.query.text, named.bindings(), repeat, limit)
        times[name] = figure
        shown = figure.get("error") or f"{figure['s'] * 1000:.1f} ms, {figure['rows']} rows"
        say(f"  query {number}/{len(catalogue)} {name}: {shown[:160]}")
    return times


def _version_check(store: RemoteStore, repeat: int) -> float | None:
    """Median seconds of a ``readonly`` store's data version check (what ``serve`` re-runs),
    or None when the server did not answer it."""
    runs = []
    for _ in range(repeat):
        try:
            with Timer() as timer:
                store.server_version()
        except (QueryError, StoreError) as exc:
            say(f"  readonly data version check failed: {str(exc)[:160]}")
            return None
        runs.append(timer.seconds)
    return statistics.median(runs)


def _load(spec: str, graph: Any, chunk: int) -> dict[str, Any]:
    """Load ``graph`` as ``llgraph load`` does (staged, then one MOVE), timed; if the server
    refuses the switch, say so and load straight into the graph (Graph Store requests only)."""
    store = open_store(f"{spec},chunk={chunk},timeout={LOAD_TIMEOUT}")
    assert isinstance(store, RemoteStore)
    store.progress = True  # the remote store's bar on stderr, request by request
    say(f"  loading {len(graph):,} triples in requests of {chunk:,}")
    try:
        with Timer() as load:
            store.replace(graph)
    except StoreError as exc:
        failure = str(exc).split("): ", 1)[-1].split(" — ")[0]
        say(f"  the staged load failed after {load.seconds:.1f} s: {failure}")
        direct = ",".join(part for part in spec.split(",") if not part.startswith("update="))
        fallback = open_store(f"{direct},chunk={chunk},timeout={LOAD_TIMEOUT}")
        with Timer() as again:
            fallback.replace(graph)
        fallback.close()
        say(f"  loaded straight into the graph instead in {again.seconds:.1f} s")
        return {
            "load_s": None,
            "load_error": failure,
            "failed_s": load.seconds,
            "direct_s": again.seconds,
            "triples": len(store),
        }
    else:
        say(f"  loaded {len(store):,} triples in {load.seconds:.1f} s")
        return {"load_s": load.seconds, "triples": len(store)}
    finally:
        store.close()


def measure(spec: str, graph: Any, *, chunk: int, repeat: int, limit: int) -> dict[str, Any]:
    """Load ``graph`` through ``spec`` (timed), then time every named query."""
    result = _load(spec, graph, chunk)
    reader = open_store(f"{spec},readonly,timeout={limit + 15}")
    assert isinstance(reader, RemoteStore)
    result["queries"] = _query_times(reader, repeat, limit)
    result["version_s"] = _version_check(reader, repeat)
    if result["version_s"] is not None:
        say(f"  readonly data version check: {result['version_s'] * 1000:.1f} ms")
    reader.close()
    return result


def _load_cell(engine: dict[str, Any]) -> str:
    if engine["load_s"] is not None:
        return f"{engine['load_s']:.1f}"
    failed, direct = engine["failed_s"], engine["direct_s"]
    return f"MOVE failed after {failed:.0f} s ({engine['load_error'][:60]}); direct {direct:.1f}"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if a and b else "—"


def _ms(figure: dict[str, Any]) -> str:
    if figure["s"] is None:
        return f"over {figure['over']:,} s" if figure.get("over") else "failed"
    return f"{figure['s'] * 1000:.1f}"


def _compare(v: dict[str, Any], o: dict[str, Any]) -> str:
    if v.get("over") and o["s"] is not None:  # at least the limit over Oxigraph's time
        return f"> {v['over'] / o['s']:,.0f}"
    if o.get("over") and v["s"] is not None:
        return f"< {v['s'] / o['over']:.2g}"
    if v["s"] is None or o["s"] is None:
        return (v.get("error") or o.get("error") or "")[:120]
    same = "" if v["answer"] == o["answer"] else " (answers differ)"
    if v["rows"] != o["rows"]:
        same = f" (answers differ: rows {v['rows']} ≠ {o['rows']})"
    return _ratio(v["s"], o["s"]) + same


def table(triples: int, ox: dict[str, Any], vt: dict[str, Any]) -> str:
    """The Markdown table of both engines' figures, Virtuoso / Oxigraph as ratios."""
    lines = [
        f"#### {triples:,} triples ({ox['triples']:,} loaded)",
        "",
        "| what | Oxigraph server | Virtuoso 7 | Virtuoso / Oxigraph |",
        "|---|---:|---:|---:|",
        f"| load (s) | {_load_cell(ox)} | {_load_cell(vt)} | "
        f"{_ratio(vt['load_s'] or 0, ox['load_s'] or 0)} |",
        "| readonly data version check (ms) | "
        + " | ".join(_ms({"s": e["version_s"]}) for e in (ox, vt))
        + f" | {_ratio(vt['version_s'] or 0, ox['version_s'] or 0)} |",
    ]
    for name, o in ox["queries"].items():
        v = vt["queries"][name]
        lines.append(f"| `{name}` (ms) | {_ms(o)} | {_ms(v)} | {_compare(v, o)} |")
    both = [n for n, q in ox["queries"].items() if q["s"] and vt["queries"][n]["s"]]
    total_o = sum(ox["queries"][n]["s"] for n in both)
    total_v = sum(vt["queries"][n]["s"] for n in both)
    lines.append(
        f"| the {len(both)} queries both answered (ms) | {total_o * 1000:.0f} | "
        f"{total_v * 1000:.0f} | "
        f"{_ratio(total_v, total_o)} |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.remote``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=20_000, help="triples per load request")
    parser.add_argument("--buffers", type=int, default=60_000, help="Virtuoso's 8 KiB buffers")
    parser.add_argument("--limit", type=int, default=60, help="seconds a query may take")
    args = parser.parse_args(argv)
    if shutil.which("virtuoso-t") is None:
        sys.exit("virtuoso-t is missing: `make system-deps` installs Debian's virtuoso-opensource")
    os.environ.update(DBA)  # the throw-away server's initial account
    say(f"generating {args.triples:,} synthetic triples (or reusing them)")
    settings = bench_settings(generate(args.triples))
    say("parsing them with the real data and ontology")
    graph = parse_files(data_files(settings)).graph
    options = {"chunk": args.chunk, "repeat": args.repeat, "limit": args.limit}
    with tempfile.TemporaryDirectory(prefix="llgraph-bench-") as tmp:
        (Path(tmp) / "ox").mkdir()
        (Path(tmp) / "vt").mkdir()
        say("Oxigraph server")
        with oxigraph(Path(tmp) / "ox", args.limit) as spec:
            ox = measure(spec, graph, **options)
        say("Virtuoso 7")
        with virtuoso(Path(tmp) / "vt", args.buffers, args.limit) as spec:
            vt = measure(spec, graph, **options)
    say("done")
    print(table(args.triples, ox, vt))


if __name__ == "__main__":
    main()
