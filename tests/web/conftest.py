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
    """A client of the app; leaving it runs the app's shutdown (its query pool closes)."""
    with TestClient(create_app(settings, store=store)) as client:
        yield client
