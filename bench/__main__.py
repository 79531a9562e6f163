"""``python -m bench`` (``make bench``): every benchmark, every backend, as ratios to references.

    python -m bench [--sizes 10000,100000,1000000] [--backends memory,oxigraph,...] [--light]

For each size: generate the synthetic data (cached under bench/data/), measure the
references once (raw pyoxigraph, rdflib in memory, raw pyshacl, ``oxigraph
serve-read-only``), then each backend in its own process; print a table and write
everything to bench/out/results-<size>.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.common import dump
from bench.generate import BENCH_DATA, generate

OUT = Path(__file__).resolve().parent / "out"
BACKENDS = ["memory", "oxigraph", "oxigraph-disk", "sparql"]


def _run(backend: str, data: Path, light: bool, serve: bool, skip: list[str]) -> dict[str, Any]:
    argv = [sys.executable, "-m", "bench.run", backend, str(data)] + (["--light"] if light else [])
    argv += ([] if serve else ["--no-serve"]) + ["--skip-queries", ",".join(skip)]
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        return {"backend": backend, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ratio(value: float | None, reference: float | None) -> float | None:
    return value / reference if value and reference else None


def ratios(backend: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    """Every figure of ``backend`` as a ratio to its reference (>1 is better for rates)."""
    if "error" in backend or "error" in ref:
        return {}
    ox = ref["pyoxigraph"]
    names = sorted(set(backend["queries"]) & set(ox["queries"]))
    query = {  # the ratio measured alternately in the backend's process, where there is one
        n: backend["queries"][n].get("ratio")
        or _ratio(backend["queries"][n]["p50_ms"], ox["queries"][n]["p50_ms"])
        for n in names
    }
    serve = backend.get("serve") or {}
    lookup = ref["serve_read_only"]["lookup"]
    http = {
        f"{api}_{run}_rps_vs_serve_read_only": _ratio(
            serve[api][run]["rps"] if serve else None, lookup[run]["rps"]
        )
        for api in ("rest", "sparql")
        for run in ("cold", "warm")
    }
    return {
        "load_vs_pyoxigraph_load": _ratio(backend["load_tps"], ox["load_tps"]),
        "query_p50_vs_pyoxigraph": query,
        "query_p50_vs_pyoxigraph_max": max((v for v in query.values() if v), default=None),
        **http,
    }


def _fmt(value: Any, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


def table(size: int, results: dict[str, Any]) -> str:
    """The human-readable summary of one size."""
    ref = results["reference"]
    if "error" in ref:
        return f"== {size:,}: the reference run failed: {ref['error']}"
    val = ref["validation"]
    lines = [
        f"== {size:,} synthetic triples (+ the real data): {ref['pyoxigraph']['triples']:,} in all",
        f"reference: pyoxigraph load {ref['pyoxigraph']['load_tps']:,.0f} t/s "
        f"(bulk {ref['pyoxigraph']['bulk_load_tps']:,.0f}), rdflib parse "
        f"{ref['rdflib']['load_tps']:,.0f} t/s, serve-read-only lookup "
        f"{ref['serve_read_only']['lookup']['warm']['rps']:,.0f} req/s warm, "
        f"{ref['serve_read_only']['lookup']['cold']['rps']:,.0f} cold "
        f"({ref['serve_read_only']['lookup']['warm']['server_cpu_ms_per_request']:.3f} ms CPU "
        "per request)",
        f"validation: llgraph {_fmt(val.get('validate_s'))} s "
        f"vs raw pyshacl {_fmt(val.get('raw_pyshacl_s'))} s "
        f"({_fmt(_ratio(val.get('validate_s'), val.get('raw_pyshacl_s')))}×)",
        "REST and SPARQL: warm req/s, its ratio to serve-read-only warm, the cold ratio",
        f"{'backend':<14}{'load t/s':>12}{'×ox':>6}{'q max×ox':>9}{'REST r/s':>10}{'×ro':>6}"
        f"{'cold':>6}{'SPARQL r/s':>11}{'×ro':>6}{'cold':>6}{'start s':>8}{'central s':>10}"
        f"{'gexf s':>7}{'peak MB':>9}",
    ]
    for name in BACKENDS:
        b = results.get(name)
        if not b:
            continue
        if "error" in b:
            lines.append(f"{name:<14}failed: {b['error']}")
            continue
        r, s, net = results["ratios"][name], b.get("serve") or {}, b.get("network", {})
        lines.append(
            f"{name:<14}{b['load_tps']:>12,.0f}{_fmt(r['load_vs_pyoxigraph_load']):>6}"
            f"{_fmt(r['query_p50_vs_pyoxigraph_max']):>9}"
            f"{_fmt(s.get('rest', {}).get('warm', {}).get('rps'), ',.0f'):>10}"
            f"{_fmt(r['rest_warm_rps_vs_serve_read_only']):>6}"
            f"{_fmt(r['rest_cold_rps_vs_serve_read_only']):>6}"
            f"{_fmt(s.get('sparql', {}).get('warm', {}).get('rps'), ',.0f'):>11}"
            f"{_fmt(r['sparql_warm_rps_vs_serve_read_only']):>6}"
            f"{_fmt(r['sparql_cold_rps_vs_serve_read_only']):>6}{_fmt(s.get('start_s')):>8}"
            f"{_fmt(net.get('centrality_s')):>10}{_fmt(net.get('gexf_s')):>7}"
            f"{max(b['peak_mb'], s.get('server_peak_mb', 0)):>9,.0f}"
        )
    return "\n".join(lines)


def _slow_queries(size: int) -> list[str]:
    """Queries too slow to repeat at ``size``: raw pyoxigraph p50 over 250 ms at 100k."""
    smaller = OUT / "results-100000.json"
    if size <= 100_000 or not smaller.exists():
        return []
    ref = json.loads(smaller.read_text(encoding="utf-8"))["reference"]["pyoxigraph"]["queries"]
    return sorted(name for name, q in ref.items() if q["p50_ms"] > 250)


def bench_size(size: int, backends: list[str], light: bool, serve: bool) -> dict[str, Any]:
    """Generate (or reuse) the data of ``size`` and measure everything on it."""
    data = BENCH_DATA / f"{size}-seed1"
    if not (data / "synthetic-observations.ttl").exists():
        generate(size, seed=1, out=data)
    skip = _slow_queries(size)
    results: dict[str, Any] = {"size": size, "machine": machine(), "skipped_queries": skip}
    results["reference"] = _run("reference", data, light, serve, skip)
    for backend in backends:
        print(f"  measuring {backend} at {size:,} …", file=sys.stderr, flush=True)
        results[backend] = _run(backend, data, light, serve, skip)
    results["ratios"] = {b: ratios(results[b], results["reference"]) for b in backends}
    return results


def machine() -> dict[str, Any]:
    """Cores, memory and versions (no paths)."""
    import os

    import pyoxigraph
    import rdflib

    mem = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1]
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
    }


def main() -> None:
    """``python -m bench``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--light", action="store_true", help="fewer repetitions and requests")
    parser.add_argument(
        "--serve-up-to",
        type=int,
        default=100_000,
        help="validate and serve only up to this size (pyshacl needs ~15 min per 1M triples)",
    )
    args = parser.parse_args()
    backends = [b for b in args.backends.split(",") if b]
    for size in (int(s) for s in args.sizes.split(",")):
        results = bench_size(size, backends, args.light, size <= args.serve_up_to)
        dump(OUT / f"results-{size}.json", results)
        print(table(size, results), flush=True)


if __name__ == "__main__":
    main()
