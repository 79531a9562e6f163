"""create_app(settings, store): the FastAPI application assembled around a loaded store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from llgraph.config import Settings
from llgraph.queries import NamedQuery
from llgraph.store import Store
from llgraph.web import resources
from llgraph.web.cache import ResponseCache
from llgraph.web.error_pages import HtmlErrors
from llgraph.web.middleware import Compression, RequestLimits
from llgraph.web.problems import install_problem_handlers
from llgraph.web.routes import (
    linked_data,
    network,
    pages,
    pages_collections,
    pages_network,
    pages_queries,
    pages_tables,
    queries,
    search,
    sparql,
)
from llgraph.web.state import AppState

__all__ = ["create_app", "state_of"]


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """When the app stops, so do the query workers it forked."""
    yield
    pool = state_of(app).query_pool
    if pool is not None:
        pool.close()


def create_app(
    settings: Settings, store: Store, catalogue: Mapping[str, NamedQuery] | None = None
) -> FastAPI:
    """Assemble the app serving ``store`` (loaded and validated by the caller) with
    ``settings``; the named queries are ``catalogue``, else read on first use."""
    # FastAPIOffline serves Swagger UI and ReDoc from the package, not from a CDN.
    app = FastAPIOffline(
        title="llgraph",
        version="0.1.0",
        description="Knowledge graph of international regional industrial partnerships "
        "(JETRO LL and RIT programmes): SPARQL endpoint, REST API and linked-data pages.",
        lifespan=_lifespan,
    )
    # Starlette types ``state`` as its untyped State bag: this app's is an AppState, read
    # typed through state_of(app) and web.deps.app_state(request).
    app.state = AppState(settings, store, given_catalogue=catalogue)  # type: ignore[assignment]  # a typed State
    install_problem_handlers(app)
    app.include_router(sparql.router)  # first: routes are tried in order, /sparql is the busiest
    app.include_router(resources.router)
    app.include_router(search.router)
    app.include_router(linked_data.router)
    app.include_router(queries.router)
    app.include_router(network.router)
    app.include_router(pages.router)
    app.include_router(pages_queries.router)
    app.include_router(pages_tables.router)
    app.include_router(pages_collections.router)
    app.include_router(pages_network.router)
    app.add_middleware(Compression)  # inside the cache: it keeps the compressed body
    app.add_middleware(ResponseCache)  # inside CORS: cached answers get CORS headers too
    app.add_middleware(HtmlErrors)  # problem+json → an HTML page for browsers
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST"],
        allow_headers=["Accept", "Content-Type"],
    )
    app.add_middleware(RequestLimits)  # outermost: bounds every request before the rest
    static = StaticFiles(directory=Path(__file__).parent / "static")
    # gzip for the static files only (the editor's bundle: 989 KiB → about a quarter)
    app.mount("/static", GZipMiddleware(static, minimum_size=1024), name="static")
    return app


def state_of(app: FastAPI) -> AppState:
    """The typed state of an app made by :func:`create_app`."""
    state = app.state
    if not isinstance(state, AppState):
        raise TypeError("not an app made by llgraph.web.app.create_app")
    return state
