"""RFC 9457 problem details: every error response of the web layer is one of these."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from llgraph.errors import LLGraphError

__all__ = ["PROBLEM_JSON", "install_problem_handlers", "problem", "problem_of"]

PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str = "", **extra: Any) -> JSONResponse:
    """A problem-details response: ``{type, title, status, detail, ...}``."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    headers = {"Access-Control-Allow-Origin": "*"}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    response = problem(exc.status_code, str(exc.detail), str(exc.detail))
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def _invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [
        {
            "parameter": ".".join(str(p) for p in err["loc"][1:]) or str(err["loc"][0]),
            "in": str(err["loc"][0]),
            "message": err["msg"],
        }
        for err in exc.errors()
    ]
    names = ", ".join(e["parameter"] for e in errors)
    return problem(422, "Invalid parameter", f"invalid value for: {names}", errors=errors)


def problem_of(exc: LLGraphError) -> JSONResponse:
    """The problem response of an llgraph error, all read from its class: status, title,
    extra members (line and column, the parameter) and ``Retry-After``."""
    response = problem(exc.status, exc.title, str(exc), **exc.problem_fields())
    if exc.retry_after is not None:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _llgraph_error(request: Request, exc: LLGraphError) -> JSONResponse:
    return problem_of(exc)


def install_problem_handlers(app: FastAPI) -> None:
    """Answer HTTP errors, bad parameters and llgraph errors as problem details."""
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]  # narrower exc
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]  # narrower exc
    app.add_exception_handler(LLGraphError, _llgraph_error)  # type: ignore[arg-type]  # narrower exc
