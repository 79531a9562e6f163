"""Fixtures of the web tests: a client of the app serving the session's store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from llgraph.config import Settings
from llgraph.store import Store
from llgraph.web.app import create_app


@pytest.fixture(scope="module")
def client(settings: Settings, store: Store) -> Iterator[TestClient]:
    app = create_app(settings, store=store)
    with TestClient(app) as client:
        yield client
    if getattr(app.state, "query_pool", None) is not None:
        app.state.query_pool.close()
