"""The named-query catalogue over HTTP: GET /api/queries and GET /api/queries/{name}."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from llgraph.errors import NotFound, ParameterError
from llgraph.queries import NamedQuery
from llgraph.web.deps import app_state
from llgraph.web.routes.sparql import run_query

__all__ = ["QueryInfo", "QueryParamInfo", "get_catalogue", "refuse_repeated", "router"]

router = APIRouter(prefix="/api", tags=["queries"])


class QueryParamInfo(BaseModel):
    """A parameter of a named query."""

    name: str
    type: str = Field(description="iri, string, integer, decimal, gYear, date or boolean")
    default: str
    description: str


class QueryInfo(BaseModel):
    """A named query's metadata, and the URL that runs it."""

    name: str
    title: str
    description: str
    form: str = Field(description="SELECT, ASK, CONSTRUCT or DESCRIBE")
    params: list[QueryParamInfo]
    examples: list[str]
    table: str | None = Field(None, description="the report table it reproduces, if any")
    url: str


def get_catalogue(request: Request) -> Mapping[str, NamedQuery]:
    """The named queries of the app serving ``request``."""
    return app_state(request).catalogue


def refuse_repeated(request: Request) -> None:
    """Raise :class:`ParameterError` (422) when a parameter is given more than once (as
    the REST collections say)."""
    given = [k for k, _ in request.query_params.multi_items()]
    repeated = sorted({k for k in given if given.count(k) > 1})
    if repeated:
        message = f"{repeated[0]!r} is given {given.count(repeated[0])} times; give it once"
        raise ParameterError(message, repeated[0])


def _info(request: Request, query: NamedQuery) -> QueryInfo:
    return QueryInfo(
        name=query.name,
        title=query.title,
        description=query.description,
        form=query.query.form,
        params=[QueryParamInfo(**vars(p)) for p in query.params],
        examples=list(query.examples),
        table=query.table,
        url=str(request.url_for("run_named_query", name=query.name)),
    )


@router.get(
    "/queries",
    operation_id="list_queries",
    summary="The named research queries, with their parameters",
    response_model=list[QueryInfo],
)
def list_queries(request: Request) -> list[QueryInfo]:
    return [_info(request, q) for q in get_catalogue(request).values()]


@router.get(
    "/queries/{name}",
    name="run_named_query",
    operation_id="run_named_query",
    summary="Run a named query; other query parameters bind its declared parameters",
    response_class=Response,
    responses={
        200: {
            "description": "SPARQL JSON results (default) or CSV",
            "content": {"application/sparql-results+json": {}, "text/csv": {}},
        },
        404: {"description": "no such query"},
        406: {"description": "neither JSON nor CSV acceptable"},
        422: {"description": "a parameter is unknown or of the wrong type"},
    },
)
async def run_named_query(
    request: Request,
    name: Annotated[str, Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)],
    format: Annotated[str | None, Query(description="json or csv (else by Accept)")] = None,
) -> Response:
    query = get_catalogue(request).get(name)
    if query is None:
        raise NotFound(f"no named query {name!r}: see /api/queries")
    refuse_repeated(request)
    values = {k: v for k, v in request.query_params.multi_items() if k != "format"}
    bindings = query.bindings(values)  # a ParameterError answers 422, naming the parameter
    return await run_query(
        request, query.query, fmt=format, only=("json", "csv"), bindings=bindings
    )
