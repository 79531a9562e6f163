"""web/state.py and create_app: the typed state the app is assembled with, and nothing loaded."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from llgraph.config import Settings
from llgraph.queries import load_catalogue
from llgraph.store import MemoryStore
from llgraph.web.app import create_app, state_of
from llgraph.web.state import AppState


def test_create_app_assembles_what_it_is_given_and_loads_nothing() -> None:
    settings, store = Settings.from_env({}), MemoryStore()
    app = create_app(settings, store)
    state = state_of(app)
    assert isinstance(state, AppState)
    assert state.settings is settings and state.store is store
    assert len(store) == 0  # create_app neither loaded nor validated data
    assert state.query_pool is None  # forked on first use only
    assert not state.network_cache


def test_a_given_catalogue_is_used_else_it_is_read_once() -> None:
    settings = Settings.from_env({})
    given = {"x": next(iter(load_catalogue(settings.queries_dir).values()))}
    assert state_of(create_app(settings, MemoryStore(), given)).catalogue is given
    state = state_of(create_app(settings, MemoryStore()))
    assert state.catalogue is state.catalogue
    assert set(state.catalogue) == set(load_catalogue(settings.queries_dir))


def test_state_of_refuses_an_app_it_did_not_make() -> None:
    with pytest.raises(TypeError, match="create_app"):
        state_of(FastAPI())
