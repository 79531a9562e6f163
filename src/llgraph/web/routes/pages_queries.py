"""GET /queries and /queries/{name}: the named queries as pages with forms (Datasette's
canned queries), each page with a JSON and CSV twin at the same address."""

from __future__ import annotations

import json
from contextlib import suppress
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from rdflib import URIRef
from starlette.concurrency import run_in_threadpool

from llgraph.errors import NotFound, QueryError
from llgraph.namespaces import curie
from llgraph.queries import NamedQuery, Param, ParameterError
from llgraph.resources import labels_of
from llgraph.store import Store
from llgraph.web.deps import app_state
from llgraph.web.routes.editor_text import standalone
from llgraph.web.routes.queries import get_catalogue, refuse_repeated, run_named_query
from llgraph.web.routes.results_table import table_of
from llgraph.web.routes.sparql import get_pool
from llgraph.web.templating import page, wants_html

__all__ = ["router"]

router = APIRouter(tags=["pages"])

_CHOICES = """
SELECT DISTINCT ?s WHERE { ?default a ?type . ?s a ?type . FILTER(isIRI(?s)) } LIMIT 500"""
_INPUT = {"integer": "number", "gYear": "number", "date": "date", "decimal": "text"}


@router.get("/queries", include_in_schema=False, name="queries_page")
def queries_page(request: Request) -> Response:
    """Every named query: title, description, parameters, with links to its page."""
    catalogue = get_catalogue(request).values()
    return page(request, "queries.html", {"queries": catalogue})


def _choices(store: Store, param: Param) -> list[dict[str, str]]:
    """The resources of the default IRI's type, as (value, label) options sorted by label."""
    default = URIRef(str(param_term(param)))
    uris = [row[0] for row in store.select(_CHOICES, bindings={"default": default})]
    labels = labels_of(store, uris)
    options = [
        {"value": curie(u), "label": labels[str(u)].ja or labels[str(u)].en or curie(u)}
        for u in uris
        if str(u) in labels
    ]
    return sorted(options, key=lambda o: o["label"])


def param_term(param: Param) -> object:
    """The RDF term of a parameter's default."""
    return param.term(param.default)


def _fields(store: Store, query: NamedQuery, values: dict[str, str]) -> list[dict[str, Any]]:
    fields = []
    for p in query.params:
        field: dict[str, Any] = {
            "name": p.name,
            "type": p.type,
            "description": p.description,
            "value": values.get(p.name, p.default),
            "input": _INPUT.get(p.type, "text"),
        }
        if p.type == "iri":
            field["choices"] = _choices(store, p)
            with suppress(ParameterError):
                field["value"] = curie(URIRef(str(p.term(field["value"]))))
        elif p.type == "boolean":
            field["choices"] = [{"value": v, "label": v} for v in ("true", "false")]
        fields.append(field)
    return fields


async def _results(request: Request, query: NamedQuery, bindings: dict) -> dict[str, Any]:
    pool = get_pool(request)
    body = await run_in_threadpool(pool.run, query.query, "json", bindings=bindings)
    return json.loads(body)


@router.get("/queries/{name}", include_in_schema=False, name="query_page", response_model=None)
async def query_page(
    request: Request,
    name: Annotated[str, Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)],
    format: Annotated[str | None, Query()] = None,
) -> Response:
    """A named query's page for browsers; its JSON or CSV answer for every other client."""
    if format is not None or not wants_html(request):
        return await run_named_query(request, name, format)
    query = get_catalogue(request).get(name)
    if query is None:
        raise NotFound(f"no named query {name!r}: see /queries")
    refuse_repeated(request)
    values = dict(request.query_params.items())
    context: dict[str, Any] = {"query": query, "error": None, "names": [], "rows": []}
    status = 200
    try:
        bindings = query.bindings(values)
        results = await _results(request, query, bindings)
        state = app_state(request)
        store, base = state.store, state.settings.base_uri
        context["names"], context["rows"] = table_of(store, results, base)
    except ParameterError as exc:
        context["error"], status, bindings = str(exc), 422, query.bindings()
    except QueryError as exc:
        context["error"], status, bindings = str(exc), 503, query.bindings()
    given = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "format"])
    context |= {
        "fields": _fields(app_state(request).store, query, values),
        "editor": "/sparql?" + urlencode({"query": standalone(query.query.text, bindings)}),
        "json": f"/api/queries/{name}?{given}",
        "csv": f"/api/queries/{name}?{given + '&' if given else ''}format=csv",
        "text": standalone(query.query.text, {}),
    }
    return page(request, "query.html", context, status_code=status)
