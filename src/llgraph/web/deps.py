"""FastAPI dependencies: the state, settings and store of the running app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from llgraph.config import Settings
from llgraph.store import Store
from llgraph.web.state import AppState

__all__ = [
    "SettingsDep",
    "StateDep",
    "StoreDep",
    "app_state",
    "get_settings",
    "get_state",
    "get_store",
]


def app_state(request: Request) -> AppState:
    """The typed state of the app serving ``request``."""
    return request.app.state


# Both are ``async`` although they never wait: FastAPI runs a plain ``def`` dependency in
# its thread pool, a thread hop per dependency per request.
async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return app_state(request).settings


async def get_store(request: Request) -> Store:
    """The store the app serves."""
    return app_state(request).store


async def get_state(request: Request) -> AppState:
    """The typed state of the running app."""
    return app_state(request)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
StateDep = Annotated[AppState, Depends(get_state)]
