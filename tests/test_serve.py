"""llgraph.serve and `llgraph serve`: access log, URLs, refusing data or queries that are broken."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from llgraph.cli import main
from llgraph.config import Settings
from llgraph.serve import access_log, serve, urls
from llgraph.store import MemoryStore
from llgraph.web.app import create_app

BROKEN = """@prefix llo: <https://w3id.org/llgraph/ontology#> .
<https://w3id.org/llgraph/id/partnership/ll-broken-nowhere> a llo:Partnership .
"""


def test_one_access_log_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings.from_env({}), store=MemoryStore())
    app.middleware("http")(access_log)
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
        "named queries": "http://127.0.0.1:8123/api/queries",
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


def test_serve_prints_the_urls_and_forks_the_workers_first(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, object] = {}

    def fake_run(app, **options) -> None:  # stands in for uvicorn: no socket is opened
        seen["workers"] = len(app.state.query_pool._workers)
        seen["options"] = options

    monkeypatch.setattr("llgraph.serve.uvicorn.run", fake_run)
    settings = Settings.from_env({}, store="oxigraph", port=8321, query_timeout=5.0)
    serve(settings)
    out = capsys.readouterr().out
    assert "SPARQL endpoint: http://127.0.0.1:8321/sparql" in out
    assert "API docs: http://127.0.0.1:8321/docs" in out
    assert "home page: http://127.0.0.1:8321/" in out
    assert seen == {
        "workers": 2,
        "options": {"host": "127.0.0.1", "port": 8321, "access_log": False},
    }
