"""Loading into the store a running `llgraph serve` uses: every worker switches, none breaks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote
from urllib.request import Request, urlopen

from processes import alive, children, clean_env, free_port, wait_until

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MARKER = "reload marker"
EXTRA = (
    "<https://w3id.org/llgraph/id/example/reload> "
    f'<http://www.w3.org/2000/01/rdf-schema#label> "{MARKER}" .\n'
)
ASK = f'ASK {{ ?s rdfs:label "{MARKER}" }}'
#: How long a server may take to serve a load's data (it checks about once a second).
SWITCH = 10.0


def _env(data: Path) -> dict[str, str]:
    return clean_env(LLGRAPH_DATA=str(data))


def _copy_data(tmp_path: Path, name: str, *, extra: bool = False) -> Path:
    data = tmp_path / name
    data.mkdir()
    for path in (PROJECT_ROOT / "data" / "ttl").glob("*.ttl"):
        (data / path.name).write_bytes(path.read_bytes())
    if extra:
        (data / "extra.ttl").write_text(EXTRA, encoding="utf-8")
    return data


def _llgraph(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "llgraph", "--store", f"oxigraph:{store}", *args]


def _start(store: Path, data: Path, log: Path, workers: int = 2) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = _llgraph(store, "serve", "--port", str(port), "--workers", str(workers))
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=_env(data))
    deadline = time.monotonic() + 120
    while len(children(proc.pid)) < 2 or _marked(port) is None:  # HTTP or query workers
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "llgraph serve did not start"
        time.sleep(0.2)
    return proc, port


def _stop(proc: subprocess.Popen) -> None:
    everyone = [w for c in children(proc.pid) for w in [c, *children(c)]]
    proc.terminate()
    try:
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    wait_until(lambda: not any(alive(p) for p in everyone))


def _marked(port: int, *, post: bool = False) -> bool | None:
    """Whether the server's data holds the marker (None: it did not answer)."""
    url = f"http://127.0.0.1:{port}/sparql"
    headers = {"Accept": "application/sparql-results+json"}
    if post:
        request = Request(url, data=ASK.encode(), headers=headers, method="POST")
        request.add_header("Content-Type", "application/sparql-query")
    else:  # GET answers are kept by the response cache: a switch must drop them
        request = Request(f"{url}?query={quote(ASK)}", headers=headers)
    try:
        with urlopen(request, timeout=30) as response:
            return bool(json.loads(response.read())["boolean"])
    except (OSError, HTTPError, ValueError):
        return None


class _Client(threading.Thread):
    """Keeps asking a server whether the marker is there; counts every failure."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port, self.errors, self.answers = port, 0, 0
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            for post in (False, True):
                if _marked(self.port, post=post) is None:
                    self.errors += 1
                self.answers += 1
            for path in ("/api/programmes", "/"):
                try:
                    with urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as answer:
                        answer.read()
                except OSError:
                    self.errors += 1
                self.answers += 1

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=60)


def _serves(port: int, expected: bool) -> bool:
    """Twenty answers in a row, by GET and POST, all ``expected`` (both workers answered)."""
    return all(_marked(port, post=post) is expected for _ in range(10) for post in (False, True))


def _generations(store: Path) -> set[str]:
    return {p.name.partition(".")[0] for p in store.glob("gen-*")}


def _current(store: Path) -> str:
    return (store / "CURRENT").read_text(encoding="utf-8").strip()


def _kill_a_worker(proc: subprocess.Popen) -> None:
    first = children(proc.pid)[0]
    os.kill(first, signal.SIGKILL)
    assert wait_until(lambda: len(now := children(proc.pid)) == 2 and first not in now)


def test_a_load_switches_a_running_server_without_an_error(tmp_path: Path) -> None:
    store, log = tmp_path / "store", tmp_path / "serve.log"
    data = _copy_data(tmp_path, "data")
    proc, port = _start(store, data, log)
    try:
        assert _serves(port, False)
        client = _Client(port)
        client.start()
        (data / "extra.ttl").write_text(EXTRA, encoding="utf-8")
        loaded = subprocess.run(_llgraph(store, "load"), env=_env(data), capture_output=True)
        assert loaded.returncode == 0, loaded.stderr.decode()
        done = time.monotonic()
        assert wait_until(lambda: _serves(port, True), SWITCH), log.read_text()
        switched_in = time.monotonic() - done
        time.sleep(1)
        client.stop()
        assert client.errors == 0 and client.answers > 20, log.read_text()
        print(f"new data served {switched_in:.1f} s after the load, {client.answers} answers")
        assert log.read_text().count("now serving data version") >= 3  # supervisor + 2 workers
        assert wait_until(lambda: _generations(store) == {_current(store)}), _generations(store)

        _kill_a_worker(proc)
        assert _serves(port, True), log.read_text()
        assert proc.poll() is None and "Traceback" not in log.read_text()
    finally:
        _stop(proc)


def test_a_second_server_on_the_same_store_breaks_neither(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first, port = _start(store, _copy_data(tmp_path, "plain"), tmp_path / "first.log")
    try:
        assert _serves(port, False)
        client = _Client(port)
        client.start()
        # The second server's data differs: it loads it into the store as it starts.
        marked = _copy_data(tmp_path, "marked", extra=True)
        second, other = _start(store, marked, tmp_path / "second.log")
        try:
            assert _serves(other, True)
            assert wait_until(lambda: _serves(port, True), SWITCH)
            client.stop()
            assert client.errors == 0, (tmp_path / "first.log").read_text()
            _kill_a_worker(first)
            _kill_a_worker(second)
            assert _serves(port, True) and _serves(other, True)
            assert first.poll() is None and second.poll() is None
            assert wait_until(lambda: _generations(store) == {_current(store)})
        finally:
            _stop(second)
        assert _serves(port, True)  # the second server's end leaves the first serving
    finally:
        _stop(first)
    assert _generations(store) == {_current(store)}  # nobody holds it, but it is current


def test_a_single_process_server_switches_too(tmp_path: Path) -> None:
    store, log = tmp_path / "store", tmp_path / "serve.log"
    data = _copy_data(tmp_path, "data")
    proc, port = _start(store, data, log, workers=1)
    try:
        assert _serves(port, False)
        (data / "extra.ttl").write_text(EXTRA, encoding="utf-8")
        loaded = subprocess.run(_llgraph(store, "load"), env=_env(data), capture_output=True)
        assert loaded.returncode == 0, loaded.stderr.decode()
        assert wait_until(lambda: _serves(port, True), SWITCH), log.read_text()
        assert "server" in log.read_text() and "now serving data version" in log.read_text()
        assert wait_until(lambda: _generations(store) == {_current(store)}), _generations(store)
    finally:
        _stop(proc)
