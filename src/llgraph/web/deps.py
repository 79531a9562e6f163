"""FastAPI dependencies: the settings and the store of the running app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from llgraph.config import Settings
from llgraph.store import Store

__all__ = ["SettingsDep", "StoreDep", "get_settings", "get_store"]


# Both are ``async`` although they never wait: FastAPI runs a plain ``def`` dependency in
# its thread pool, a thread hop per dependency per request.
async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


async def get_store(request: Request) -> Store:
    """The store the app serves."""
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
