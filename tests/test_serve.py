"""llgraph.web.serve and `llgraph serve`: access log, URLs, refusing broken data or queries."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from processes import alive, children, clean_env, free_port, wait_until
from starlette.testclient import TestClient

from llgraph.cli import main
from llgraph.config import Settings
from llgraph.errors import LLGraphError, StoreError
from llgraph.store import MemoryStore
from llgraph.web.app import create_app
from llgraph.web.middleware import AccessLog
from llgraph.web.serve import follow_store, serve, urls, worker_count

BROKEN = """@prefix llo: <https://w3id.org/llgraph/ontology#> .
<https://w3id.org/llgraph/id/partnership/ll-broken-nowhere> a llo:Partnership .
"""


def test_one_access_log_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings.from_env({}), store=MemoryStore())
    app.add_middleware(AccessLog)
    with caplog.at_level(logging.INFO, logger="llgraph.access"), TestClient(app) as client:
        client.get("/api/queries", params={"x": "1"})
        client.put("/sparql")
    lines = [r.getMessage() for r in caplog.records if r.name == "llgraph.access"]
    assert len(lines) == 2
    assert lines[0].startswith("GET /api/queries?x=1 200 ") and lines[0].endswith(" ms")
    assert lines[1].startswith("PUT /sparql 405 ")


def test_urls_name_endpoint_docs_and_home() -> None:
    found = urls(Settings.from_env({}, host="127.0.0.1", port=8123))
    assert found == {
        "home page": "http://127.0.0.1:8123/",
        "SPARQL endpoint": "http://127.0.0.1:8123/sparql",
        "API docs": "http://127.0.0.1:8123/docs",
        "SPARQL editor": "http://127.0.0.1:8123/sparql (in a browser)",
        "named queries": "http://127.0.0.1:8123/queries",
        "report tables": "http://127.0.0.1:8123/tables",
    }
    assert urls(Settings.from_env({}, host="::1", port=80))["home page"] == "http://[::1]:80/"


def test_serve_refuses_data_that_does_not_conform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken.ttl").write_text(BROKEN, encoding="utf-8")
    monkeypatch.setenv("LLGRAPH_DATA", str(tmp_path))
    assert main(["serve", "--port", "1"]) == 1
    out, err = capsys.readouterr()
    assert "ll-broken-nowhere" in err and "Violation" in err
    assert "SPARQL endpoint" not in out  # it never got as far as announcing the URLs


def test_serve_refuses_a_broken_query_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.rq").write_text("#+ title: bad\nSELECT ?x WHERE { ?x }\n", encoding="utf-8")
    monkeypatch.setenv("LLGRAPH_QUERIES", str(tmp_path))
    assert main(["serve", "--port", "1"]) == 2
    assert "bad.rq: SPARQL syntax error at line 2" in capsys.readouterr().err


def test_one_worker_prints_the_urls_and_forks_the_query_workers_first(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, object] = {}

    def fake_run(server, sockets=None) -> None:  # stands in for uvicorn: no socket is opened
        seen["query workers"] = len(server.config.app.state.query_pool._workers)
        seen["where"] = (server.config.host, server.config.port, server.config.access_log)

    monkeypatch.setattr("llgraph.web.serve.uvicorn.Server.run", fake_run)
    settings = Settings.from_env({}, store="oxigraph", port=8321, workers=1)
    serve(settings)
    out = capsys.readouterr().out
    assert "SPARQL endpoint: http://127.0.0.1:8321/sparql" in out
    assert "API docs: http://127.0.0.1:8321/docs" in out
    assert "home page: http://127.0.0.1:8321/" in out
    assert "HTTP workers: 1" in out
    assert "loading and validating" in out and "conform to the SHACL shapes" in out
    assert out.index("triples loaded") < out.index("SPARQL endpoint")
    assert seen == {"query workers": 2, "where": ("127.0.0.1", 8321, False)}


class _Switching(MemoryStore):
    """A store another process loaded new data into (or whose switch fails)."""

    def __init__(self, error: str = "") -> None:
        super().__init__()
        self.error = error

    def refresh(self) -> bool:
        if self.error:
            raise StoreError(self.error)
        self._version = "new"
        return True


def test_following_the_store_logs_a_switch_and_survives_a_failed_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="llgraph.serve"):
        follow_store(_Switching(), "HTTP worker")
        failing = _Switching("cannot open gen-2: No space left on device")
        follow_store(failing, "supervisor")
        follow_store(failing, "supervisor")  # the same reason a second later: said once
        follow_store(MemoryStore(), "HTTP worker")  # nothing new: nothing said
    lines = [r.getMessage() for r in caplog.records if r.name == "llgraph.serve"]
    assert len(lines) == 2
    assert f"HTTP worker {os.getpid()}: now serving data version new (was empty)" in lines[0]
    assert "still serves data version empty: cannot open gen-2: No space" in lines[1]


def test_worker_count_defaults_to_the_cores() -> None:
    assert worker_count(Settings.from_env({}, workers=3)) == 3
    assert worker_count(Settings.from_env({})) == len(os.sched_getaffinity(0))
    assert worker_count(Settings.from_env({"LLGRAPH_WORKERS": "2"})) == 2
    with pytest.raises(LLGraphError, match="workers: Input should be greater than or equal to 0"):
        Settings.from_env({}, workers=-1)


# ------------------------------------------------------------------ the forked HTTP workers


def _start(port: int, log: Path) -> subprocess.Popen:
    env = clean_env()
    command = [sys.executable, "-m", "llgraph", "--store", "oxigraph", "serve"]
    command += ["--port", str(port), "--workers", "2"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 90
    while len(children(proc.pid)) < 2 or not _answers(port):
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "llgraph serve did not start"
        time.sleep(0.1)
    return proc


def _answers(port: int) -> bool:
    try:
        with urlopen(f"http://127.0.0.1:{port}/api/programmes", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _replaced(supervisor: int, dead: int) -> bool:
    now = children(supervisor)  # read once: the dead one may end between two readings
    return len(now) == 2 and dead not in now


def test_a_dead_http_worker_is_replaced_and_sigterm_stops_all(tmp_path: Path) -> None:
    port = free_port()
    proc = _start(port, tmp_path / "serve.log")
    try:
        first, second = children(proc.pid)
        os.kill(first, signal.SIGKILL)
        assert wait_until(lambda: _replaced(proc.pid, first))
        assert second in children(proc.pid) and _answers(port)
        assert "ended (exit -9): forking another" in (tmp_path / "serve.log").read_text()
        everyone = [w for c in children(proc.pid) for w in [c, *children(c)]]
        proc.terminate()
        assert proc.wait(timeout=30) == 0
        assert wait_until(lambda: not any(alive(p) for p in everyone))
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_supervisor_leaves_no_worker_behind(tmp_path: Path) -> None:
    proc = _start(free_port(), tmp_path / "serve.log")

    def everyone() -> list[int]:
        return [w for c in children(proc.pid) for w in [c, *children(c)]]

    assert wait_until(lambda: len(everyone()) == 6)  # 2 HTTP workers, 2 query workers each
    workers = everyone()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone = wait_until(lambda: not any(alive(p) for p in workers))
    assert gone, "orphaned workers"


# ------------------------------------------------------------------ hostile requests, served


def _raw(port: int, request: bytes) -> bytes:
    """Send ``request`` as it is and read what comes back until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_a_served_app_resists_forged_headers_log_injection_and_half_bodies(
    tmp_path: Path,
) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    proc = _start(port, log)
    try:
        forged = Request(f"http://127.0.0.1:{port}/api/programmes")
        forged.add_header("X-Forwarded-Proto", "https")
        forged.add_header("X-Forwarded-For", "203.0.113.9")
        with urlopen(forged, timeout=10) as response:
            assert b"https://127.0.0.1" not in response.read()
        with urlopen(f"http://127.0.0.1:{port}/api/programmes", timeout=10) as response:
            assert f"http://127.0.0.1:{port}/".encode() in response.read()
        with pytest.raises(HTTPError):  # 404: what matters is its log line
            urlopen(f"http://127.0.0.1:{port}/no/such%0aFORGED%20line%00", timeout=10)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
                b"application/sparql-query\r\nContent-Length: 1000\r\n\r\nASK"
            )
        head = b"HEAD /api/queries HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        assert _raw(port, head).startswith(b"HTTP/1.1 200 ")
        time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = log.read_bytes()
    assert b"seccomp filter: they cannot open network sockets" in text
    assert b"\x00" not in text and not any(line.startswith(b"FORGED") for line in text.splitlines())
    assert b"/no/such%0aFORGED%20line%00 404" in text
    assert b"Traceback" not in text and b" 500 " not in text
    assert b"POST /sparql - " in text  # the client left mid-body: no answer, no error
