"""``llgraph serve``: build the app, fork the query workers, log each request, run uvicorn."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

import uvicorn
from fastapi import FastAPI, Request, Response

from llgraph.config import Settings
from llgraph.queries import load_catalogue
from llgraph.web.app import create_app
from llgraph.web.sparql import ensure_pool

__all__ = ["access_log", "build_app", "serve", "urls"]

log = logging.getLogger("llgraph.access")


async def access_log(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Log one line per request: method, path and query, status and duration."""
    start = time.perf_counter()
    status = 500
    try:
        response = await call_next(request)
        status = response.status_code
        return response
    finally:
        ms = (time.perf_counter() - start) * 1000
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        log.info("%s %s %d %.1f ms", request.method, target, status, ms)


def build_app(settings: Settings) -> FastAPI:
    """The served app: data loaded and validated, queries checked, access log on."""
    catalogue = load_catalogue(settings.queries_dir)  # a broken query fails before loading
    app = create_app(settings)
    app.state.catalogue = catalogue
    app.middleware("http")(access_log)
    return app


def urls(settings: Settings) -> dict[str, str]:
    """The URLs a user starts from: home page, SPARQL endpoint, API docs, queries."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    base = f"http://{host}:{settings.port}"
    return {
        "home page": f"{base}/",
        "SPARQL endpoint": f"{base}/sparql",
        "API docs": f"{base}/docs",
        "named queries": f"{base}/api/queries",
    }


def serve(settings: Settings) -> None:
    """Load, validate and serve until interrupted (raises if the data does not conform)."""
    app = build_app(settings)
    pool = ensure_pool(app.state)  # forked now, before uvicorn starts any thread
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    for name, url in urls(settings).items():
        print(f"{name:>16}: {url}", flush=True)
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, access_log=False)
    finally:
        pool.close()
