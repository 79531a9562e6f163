"""The published OpenAPI contract: the app's schema as the stable text of api/openapi.json."""

from __future__ import annotations

import json

from fastapi import FastAPI

from llgraph.config import Settings
from llgraph.store import open_store
from llgraph.web.app import create_app

__all__ = ["openapi_text"]


def openapi_text(app: FastAPI | None = None) -> str:
    """The OpenAPI document of ``app`` (default: an app on an empty store) as stable JSON."""
    if app is None:
        app = create_app(Settings.from_env({}), store=open_store("memory"))
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
