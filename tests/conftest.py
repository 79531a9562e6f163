"""Shared fixtures: the settings and a store loaded with the project's validated data."""

from __future__ import annotations

import pytest

from llgraph.config import Settings
from llgraph.project import load_validated
from llgraph.store import Store, open_store


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The project's settings, independent of the caller's LLGRAPH_* variables."""
    return Settings.from_env({})


@pytest.fixture(scope="session")
def store(settings: Settings) -> Store:
    """A store holding the ontology and the validated data of data/ttl."""
    store = open_store(settings.store)
    load_validated(settings, store)
    return store
