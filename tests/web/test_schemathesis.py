"""Schemathesis, driven by the OpenAPI schema, in-process: no 5xx, no off-schema answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from llgraph.config import PROJECT_ROOT, Settings
from llgraph.project import load_validated
from llgraph.store import open_store
from llgraph.web.app import create_app

#: The contract as published (tests/web/test_openapi.py keeps it equal to the app's schema);
#: only the REST resources and search, which this module is about.
schema = schemathesis.openapi.from_path(PROJECT_ROOT / "api" / "openapi.json").include(
    tag_regex="^(resources|search)$"
)
#: Schema examples and bounded fuzzing (valid and invalid inputs); the exhaustive coverage
#: phase would take minutes on the in-memory store.
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture(scope="module")
def app(settings: Settings) -> Iterator[FastAPI]:
    """The app on the real data, in the in-memory backend (the API is what is tested here)."""
    store = open_store("memory")
    load_validated(settings, store)
    yield create_app(settings, store=store)
    store.close()


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case, app: FastAPI) -> None:
    # A schema-valid filter naming nothing in the graph (region "0", country "AA") is a 422
    # by design (web/strict.py): the schema cannot list the graph's ids, so that one check,
    # "schema-valid data is accepted", does not hold here; every other check does.
    case.call_and_validate(app=app, excluded_checks=[positive_data_acceptance])
