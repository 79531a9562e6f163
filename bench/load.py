"""The load test: a bounded mix of requests on loopback, with runaway queries and a reload.

    python -m bench.load [--seconds 40] [--clients 6] [--runaway 8] [--no-reload]

Starts ``llgraph serve`` (two HTTP workers, a disk Oxigraph store in a temporary folder,
the project's data). For at most ``--seconds`` (60 at most) and 32 connections in all:
``--clients`` connections loop over REST items, collection pages, named queries and small
SPARQL queries; one asks ``ASK {}`` (each time a new text, so that no cached answer
serves it); ``--runaway`` send queries that never end before the time limit; half way,
one ``llgraph load`` puts the data plus a marker triple into the served store. Every
connection comes from its own loopback address (127.0.x.y), as distinct clients would:
the server limits the queries one client runs at once.

Prints one JSON object: requests/s, p50/p99 and errors per kind, and how long the served
data took to show the marker. A runaway answered 503 (timed out, or busy) or 429 is as
expected; for any other kind an error is a non-200 answer or a failed connection.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.common import percentile, server

ROOT = Path(__file__).resolve().parents[1]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MARKER = "bench reload marker"
#: A triple no shape targets (synthetic, it marks the reloaded data; never in data/ttl).
MARKER_TTL = (
    f'<urn:llgraph:bench:reload-marker> <http://purl.org/dc/terms/description> "{MARKER}"@en .\n'
)
MIX = [
    ("rest item", "/api/partnerships/ll-fukushima-sweden"),
    ("rest item", "/api/regions/jp-nagano"),
    ("collection", "/api/partnerships?limit=20&offset=0"),
    ("collection", "/api/regions?limit=20&offset=20"),
    ("named query", "/api/queries/partnerships-by-programme?programme=id:programme/ll"),
    ("named query", "/api/queries/countries-by-partnerships"),
    ("sparql", "/sparql?query=" + quote("SELECT ?p WHERE { ?p a llo:Partnership } LIMIT 20")),
    ("sparql", "/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")),
]


class Tally:
    """Latencies and errors per kind of request, shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.statuses: dict[str, dict[str, int]] = {}

    def add(self, kind: str, ms: float, status: int | str, ok: bool) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(ms)
            self.errors[kind] = self.errors.get(kind, 0) + (not ok)
            counts = self.statuses.setdefault(kind, {})
            counts[str(status)] = counts.get(str(status), 0) + 1

    def summary(self, seconds: float) -> dict[str, Any]:
        return {
            kind: {
                "requests": len(times),
                "rps": round(len(times) / seconds, 1),
                "p50_ms": round(percentile(times, 50), 1),
                "p99_ms": round(percentile(times, 99), 1),
                "errors": self.errors[kind],
                "statuses": self.statuses[kind],
            }
            for kind, times in sorted(self.times.items())
        }


def _get(conn: http.client.HTTPConnection, path: str) -> int | str:
    try:
        conn.request("GET", path, headers={"Accept": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        return type(exc).__name__


def _loop(port: int, stop: float, tally: Tally, next_request, *, source: str = "") -> None:
    """Send ``next_request()`` (kind, path, expected statuses) until ``stop``."""
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(source, 0) if source else None
    )
    while time.monotonic() < stop:
        kind, path, expected = next_request()
        start = time.perf_counter()
        status = _get(conn, path)
        tally.add(kind, (time.perf_counter() - start) * 1000, status, status in expected)
    conn.close()


def _reload(data: str, marker_file: Path, port: int) -> dict[str, Any]:
    """Run ``llgraph load`` with the marker, then wait until the server shows it."""
    env = {**os.environ, "LLGRAPH_DATA": f"{data}{os.pathsep}{marker_file}"}
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "llgraph", "load"], env=env, capture_output=True, text=True
    )
    loaded = time.monotonic() - start
    ask = "/sparql?query=" + quote(f'ASK {{ ?s dcterms:description "{MARKER}"@en }}')
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    shown = None
    while time.monotonic() - start < loaded + 10:
        conn.request(
            "GET",
            ask + f"&n={time.monotonic()}",
            headers={"Accept": "application/sparql-results+json"},
        )
        response = conn.getresponse()
        body = response.read()
        if response.status == 200 and json.loads(body).get("boolean"):
            shown = time.monotonic() - start
            break
        time.sleep(0.1)
    conn.close()
    return {
        "exit": done.returncode,
        "load_s": round(loaded, 2),
        "served_after_s": round(shown, 2) if shown else None,
        "stderr": done.stderr.strip().splitlines()[-1:] if done.returncode else [],
    }


def run(seconds: float, clients: int, runaway: int, reload: bool = True) -> dict[str, Any]:
    """The whole test; returns the figures."""
    assert clients + runaway + 1 <= 32, "at most 32 connections"
    folder = Path(tempfile.mkdtemp(prefix="llgraph-load-"))
    data = str(ROOT / "data" / "ttl")
    marker = folder / "marker.ttl"
    marker.write_text(MARKER_TTL, encoding="utf-8")
    env = {
        "LLGRAPH_STORE": f"oxigraph:{folder / 'store'}",
        "LLGRAPH_DATA": data,
        "LLGRAPH_QUERY_TIMEOUT": "10",
    }
    argv = [sys.executable, "-m", "llgraph", "serve", "--port", "{port}", "--workers", "2"]
    tally, reload_result = Tally(), {}
    with server(argv, "/api/programmes", env=env) as info:
        port = int(info["base"].rsplit(":", 1)[1])
        os.environ.update(env)
        stop = time.monotonic() + seconds
        mix = itertools.cycle(MIX)
        lock, counter = threading.Lock(), itertools.count()

        def next_mix() -> tuple[str, str, tuple]:
            with lock:
                kind, path = next(mix)
            return kind, path, (200,)

        def next_ask() -> tuple[str, str, tuple]:
            return "ASK {}", "/sparql?query=" + quote(f"ASK {{}} # {next(counter)}"), (200,)

        def next_runaway() -> tuple[str, str, tuple]:
            text = f"{RUNAWAY} # {next(counter)}"
            return "runaway", "/sparql?query=" + quote(text), (503, 429)

        threads = [  # each client from its own address: the server limits queries per client
            threading.Thread(
                target=_loop,
                args=(port, stop, tally, next_mix),
                kwargs={"source": f"127.0.1.{1 + i}"},
            )
            for i in range(clients)
        ]
        threads.append(threading.Thread(target=_loop, args=(port, stop, tally, next_ask)))
        threads += [
            threading.Thread(
                target=_loop,
                args=(port, stop, tally, next_runaway),
                kwargs={"source": f"127.0.0.{2 + i}"},
            )
            for i in range(runaway)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(seconds / 2)
        reload_result = _reload(data, marker, port) if reload else {}
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    kinds = tally.summary(elapsed)
    return {
        "seconds": round(elapsed, 1),
        "connections": clients + runaway + 1,
        "requests_per_s": round(sum(k["requests"] for k in kinds.values()) / elapsed, 1),
        "errors": sum(k["errors"] for name, k in kinds.items()),
        "kinds": kinds,
        "reload": reload_result,
    }


def main() -> None:
    """``python -m bench.load``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--runaway", type=int, default=8)
    parser.add_argument("--no-reload", action="store_true", help="leave out the llgraph load")
    args = parser.parse_args()
    figures = run(min(args.seconds, 60.0), args.clients, args.runaway, not args.no_reload)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
