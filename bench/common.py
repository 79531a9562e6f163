"""What the benchmarks share: the data of one size, timers, percentiles, servers."""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from llgraph.config import PROJECT_ROOT, Settings
from llgraph.load import expand_paths

__all__ = [
    "BIN",
    "Timer",
    "bench_settings",
    "data_files",
    "free_port",
    "peak_rss_mb",
    "percentile",
    "repeat",
    "server",
    "synthetic_items",
]

BIN = Path(sys.executable).parent


def bench_settings(data_dir: Path, store: str = "memory") -> Settings:
    """The project's settings with the real data plus the synthetic data of one size."""
    return Settings.from_env({}, data_paths=(PROJECT_ROOT / "data" / "ttl", data_dir), store=store)


def data_files(settings: Settings) -> list[Path]:
    """Every file a load reads: the ontology, then the data (real, then synthetic)."""
    return [*settings.ontology_files, *expand_paths(settings.data_paths)]


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds``."""

    seconds: float = 0.0

    def __enter__(self) -> Timer:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._start


def repeat(
    func: Callable[[], Any],
    runs: int,
    *,
    slow: float = 20.0,
    paired: Callable[[], Any] | None = None,
) -> dict[str, float]:
    """p50 and p99 latency (ms) of ``func`` over ``runs`` runs after one warm-up.

    A warm-up slower than ``slow`` seconds is the only run (reported as ``runs: 1``).
    With ``paired`` (the same work on a reference), each run of ``func`` is followed by
    one of ``paired``, so both see the same moment of a busy machine: ``paired_p50_ms``
    and ``ratio`` (p50 over p50) are added.
    """
    funcs = [func] if paired is None else [func, paired]
    firsts = []
    for f in funcs:
        start = time.perf_counter()
        f()
        firsts.append(time.perf_counter() - start)
    times: list[list[float]] = [[t * 1000] for t in firsts]
    if max(firsts) <= slow:
        times = [[], []][: len(funcs)]
        for _ in range(runs):
            for f, series in zip(funcs, times, strict=True):
                start = time.perf_counter()
                f()
                series.append((time.perf_counter() - start) * 1000)
    result = {
        "p50_ms": percentile(times[0], 50),
        "p99_ms": percentile(times[0], 99),
        "runs": len(times[0]),
    }
    if paired is not None:
        result["paired_p50_ms"] = percentile(times[1], 50)
        result["ratio"] = result["p50_ms"] / result["paired_p50_ms"]
    return result


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished children, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return own / 1024


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, limit: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}) before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"no answer from {url} within {limit:.0f} s")


def _stat(pid: int | str) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def tree_cpu_ms(root: int) -> float:
    """CPU time (user + system, ms) used so far by ``root`` and its descendants (Linux).

    Robust against a busy machine where requests/s is not: the work per request."""
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = _stat(entry.name)
            except OSError:
                continue
    family, grown = {root}, True
    while grown:
        grown = False
        for pid, stat in stats.items():
            if int(stat[1]) in family and pid not in family:
                family.add(pid)
                grown = True
    ticks = sum(int(stats[p][11]) + int(stats[p][12]) for p in family if p in stats)
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def _vm_hwm_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) / 1024


@contextmanager
def server(
    argv: list[str], ready_path: str, *, env: dict[str, str] | None = None, limit: float = 900
) -> Iterator[dict[str, Any]]:
    """Run a server on a free port (``{port}`` in ``argv``); yields base URL, pid, start time.

    On exit the dict also holds the server's peak memory (MiB) and the server is stopped.
    """
    port = free_port()
    args = [a.replace("{port}", str(port)) for a in argv]
    proc = subprocess.Popen(
        args,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    info: dict[str, Any] = {"base": base, "pid": proc.pid}
    try:
        info["start_s"] = _wait(base + ready_path, proc, limit)
        yield info
    finally:
        info["peak_mb"] = _vm_hwm_mb(proc.pid)
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def synthetic_items(data_dir: Path, kind: str, count: int) -> list[str]:
    """``count`` slugs of generated ``kind`` resources (e.g. partnership), spread evenly."""
    text = (data_dir / "synthetic-partnerships.ttl").read_text(encoding="utf-8")
    marker = f"<https://w3id.org/llgraph/id/{kind}/"
    slugs = []
    for line in text.splitlines():
        if line.startswith(marker):
            slugs.append(line[len(marker) : line.index(">")])
    step = max(1, len(slugs) // count)
    return slugs[::step][:count]


def dump(path: Path, payload: dict[str, Any]) -> None:
    """Write ``payload`` as indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
