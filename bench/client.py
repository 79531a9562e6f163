"""The load generator: GET a list of URLs concurrently from this (second) process.

    python -m bench.client BASE PATHS.json [--concurrency 4] [--requests 400] [--seconds 15]

Bounded both in count and in time; prints one JSON object: requests/s, p50/p99 (ms),
errors. Every server is measured with this same client (keep-alive HTTP/1.1).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import percentile

__all__ = ["hammer"]


def hammer(
    base: str, paths: list[str], *, concurrency: int, requests: int, seconds: float
) -> dict[str, float]:
    """GET ``paths`` round-robin with ``concurrency`` connections; stop at either bound."""
    netloc = urlsplit(base).netloc
    counter = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(netloc, timeout=60)
        while time.perf_counter() < deadline:
            n = next(counter)
            if n >= requests:
                break
            start = time.perf_counter()
            try:
                conn.request("GET", paths[n % len(paths)], headers={"Accept": "application/json"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(netloc, timeout=60)
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok
        conn.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / wall if wall else 0.0,
        "p50_ms": percentile(latencies, 50) if latencies else 0.0,
        "p99_ms": percentile(latencies, 99) if latencies else 0.0,
    }


def main() -> None:
    """``python -m bench.client``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("paths", type=Path, help="a JSON list of request paths")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    paths = json.loads(args.paths.read_text(encoding="utf-8"))
    result = hammer(
        args.base,
        paths,
        concurrency=args.concurrency,
        requests=args.requests,
        seconds=args.seconds,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
