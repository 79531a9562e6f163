"""web/problems.py: one handler renders every llgraph error as RFC 9457 from its class."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from llgraph.config import Settings
from llgraph.errors import LLGraphError, ProjectionError, QuerySyntaxError, TooManyQueries
from llgraph.store import MemoryStore
from llgraph.web.app import create_app
from llgraph.web.problems import PROBLEM_JSON, install_problem_handlers


def _raising(exc: LLGraphError) -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    def boom() -> None:
        raise exc

    return TestClient(app)


def test_status_title_detail_and_retry_after_come_from_the_class() -> None:
    response = _raising(TooManyQueries("this client already runs 2 queries")).get("/boom")
    assert response.status_code == 429
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["retry-after"] == "1"
    assert response.json() == {
        "type": "about:blank",
        "title": "Too many queries at once",
        "status": 429,
        "detail": "this client already runs 2 queries",
    }


def test_extra_members_such_as_line_and_column() -> None:
    body = _raising(QuerySyntaxError("expected }", line=2, column=5)).get("/boom").json()
    assert (body["status"], body["line"], body["column"]) == (400, 2, 5)


def test_an_error_of_no_subclass_is_a_400_bad_request() -> None:
    response = _raising(LLGraphError("something")).get("/boom")
    assert response.status_code == 400 and response.json()["title"] == "Bad request"
    assert "retry-after" not in response.headers


def test_a_level_the_projection_cannot_use_names_the_api_parameter_not_the_cli_flag() -> None:
    app = create_app(Settings.from_env({}), MemoryStore())
    with TestClient(app) as client:
        response = client.get("/api/network/institution/centrality?level=country")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [{"parameter": "level"}]
    assert "--" not in body["detail"]


def test_a_projection_error_names_its_parameter() -> None:
    response = _raising(ProjectionError("unknown region level 'x'", parameter="level")).get("/boom")
    assert response.status_code == 422 and response.json()["title"] == "Invalid parameter"
    assert response.json()["errors"] == [{"parameter": "level"}]
