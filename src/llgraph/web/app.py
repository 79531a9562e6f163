"""create_app(settings): the FastAPI application, with the data loaded and validated."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from llgraph.config import Settings
from llgraph.project import load_validated
from llgraph.store import Store, open_store
from llgraph.web import linked_data, network, pages, queries, resources, search, sparql
from llgraph.web.cache import ResponseCache
from llgraph.web.error_pages import HtmlErrors
from llgraph.web.limits import RequestLimits
from llgraph.web.problems import install_problem_handlers
from llgraph.web.routes import pages_collections, pages_network, pages_queries, pages_tables

__all__ = ["create_app"]


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """When the app stops, so do the query workers it forked."""
    yield
    pool = getattr(app.state, "query_pool", None)
    if pool is not None:
        pool.close()


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the app; with no ``store``, open one from settings and load the validated data."""
    settings = settings or Settings.from_env()
    if store is None:
        store = open_store(settings.store)
        load_validated(settings, store)
    # FastAPIOffline serves Swagger UI and ReDoc from the package, not from a CDN.
    app = FastAPIOffline(
        title="llgraph",
        version="0.1.0",
        description="Knowledge graph of international regional industrial partnerships "
        "(JETRO LL and RIT programmes): SPARQL endpoint, REST API and linked-data pages.",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.store = store
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
