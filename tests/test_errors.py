"""llgraph.errors: one home for every error llgraph raises, each with its HTTP status and title."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import llgraph
from llgraph import errors
from llgraph.errors import (
    LLGraphError,
    NotAcceptable,
    ParameterError,
    ProjectionError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ServerBusy,
    StoreError,
    TooManyQueries,
    WorkerDied,
)


def _all_modules() -> list[str]:
    found = pkgutil.walk_packages(llgraph.__path__, "llgraph.")
    return [m.name for m in found if not m.name.endswith("__main__")]  # that one runs the CLI


def test_every_llgraph_error_is_defined_in_errors() -> None:
    defined_elsewhere = set()
    for name in _all_modules():
        module = importlib.import_module(name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, LLGraphError) and obj.__module__ != "llgraph.errors":
                defined_elsewhere.add(f"{obj.__module__}.{obj.__name__}")
    assert not defined_elsewhere


def test_every_error_has_a_status_and_a_title() -> None:
    classes = [
        c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, LLGraphError)
    ]
    assert len(classes) > 20
    for cls in classes:
        assert 400 <= cls.status < 600 and cls.title, cls


@pytest.mark.parametrize(
    ("exc", "status", "title", "retry_after"),
    [
        (QuerySyntaxError("x"), 400, "SPARQL syntax error", None),
        (QueryRefused("x"), 403, "Query refused", None),
        (NotAcceptable("x"), 406, "Not acceptable", None),
        (ParameterError("x"), 422, "Invalid parameter", None),
        (TooManyQueries("x"), 429, "Too many queries at once", 1),
        (QueryTimeout("x"), 503, "Query timed out", None),
        (ServerBusy("x"), 503, "Query workers busy", 2),
        (StoreError("x"), 503, "Store unavailable", None),
        (WorkerDied("x"), 503, "Query worker died", None),
    ],
)
def test_the_class_decides_the_answer(
    exc: LLGraphError, status: int, title: str, retry_after: int | None
) -> None:
    assert (exc.status, exc.title, exc.retry_after) == (status, title, retry_after)


def test_extra_problem_members_come_from_the_error() -> None:
    assert QuerySyntaxError("x", line=3, column=7).problem_fields() == {"line": 3, "column": 7}
    assert ProjectionError("x", parameter="level").problem_fields() == {
        "errors": [{"parameter": "level"}]
    }
    assert ProjectionError("x").problem_fields() == {}
    fields = ParameterError("bad year", "year").problem_fields()
    assert fields == {"errors": [{"parameter": "year", "in": "query", "message": "bad year"}]}


def test_old_homes_still_export_the_public_names() -> None:
    from llgraph.queries import ParameterError as FromQueries
    from llgraph.sparql import QuerySyntaxError as FromSparql

    assert FromQueries is ParameterError and FromSparql is QuerySyntaxError
