"""The SPARQL 1.1 Protocol endpoint at /sparql: read-only, offline, time-limited."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Identifier
from starlette.concurrency import run_in_threadpool

from llgraph.config import Settings
from llgraph.errors import (
    BadRequest,
    NotAcceptable,
    QueryRefused,
    UnknownGraph,
    UnsupportedMediaType,
)
from llgraph.namespaces import DCTERMS, RDF
from llgraph.sparql import (
    QueryPool,
    SparqlQuery,
    choose_format,
    classify,
    formats_of,
    serialize_graph,
)
from llgraph.sparql.guard import LARGE_QUERY
from llgraph.store import Store
from llgraph.web.deps import SettingsDep, app_state
from llgraph.web.representation import etag_of, not_modified
from llgraph.web.routes.pages_sparql import editor_page
from llgraph.web.templating import wants_html

__all__ = ["get_pool", "router", "run_query"]

router = APIRouter(tags=["sparql"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")
_FORMAT_IRIS = {
    "json": FORMATS.SPARQL_Results_JSON,
    "xml": FORMATS.SPARQL_Results_XML,
    "csv": FORMATS.SPARQL_Results_CSV,
    "tsv": FORMATS.SPARQL_Results_TSV,
}
_GRAPH_FORMAT_IRIS = {
    "turtle": FORMATS.Turtle,
    "nt": FORMATS["N-Triples"],
    "json-ld": FORMATS["JSON-LD"],
    "xml": FORMATS.RDF_XML,
}
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = "SPARQL Update is refused: this endpoint is read-only"


def _documented(name: str, description: str, *, many: bool = False) -> dict[str, object]:
    """An OpenAPI query parameter of ``GET /sparql`` (read from the URL by the route itself:
    the protocol's parameters repeat and mix with a form body, so FastAPI does not parse them)."""
    value: dict[str, object] = (
        {"items": {"type": "string"}, "type": "array"} if many else {"type": "string"}
    )
    schema = {"anyOf": [value, {"type": "null"}], "description": description}
    schema["title"] = name.title() if many else name.capitalize()
    return {
        "description": description,
        "in": "query",
        "name": name,
        "required": False,
        "schema": schema,
    }


_GET_PARAMETERS = [
    _documented("query", "the SPARQL query (none: the service description)"),
    _documented(
        "format",
        "result format when Accept cannot be set: json, xml, csv, tsv, turtle, nt, json-ld "
        "(or a media type)",
    ),
    _documented("default-graph-uri", "the dataset's default graph (see below)", many=True),
    _documented("named-graph-uri", "refused: no named graphs", many=True),
]


def get_pool(request: Request) -> QueryPool:
    """The app's worker pool, forked on first use (after the data was loaded)."""
    return app_state(request).pool()


async def run_query(
    request: Request,
    query: SparqlQuery,
    *,
    fmt: str | None = None,
    only: tuple[str, ...] = (),
    bindings: Mapping[str, Identifier] | None = None,
) -> Response:
    """Run ``query`` in the pool, off the event loop; the result in the negotiated format
    (among ``only``, when given); a :class:`QueryError` raises. A GET answer has an ETag
    (the URL holds the query), so a client that has it gets a 304 without the query
    running again."""
    name = choose_format(query.form, request.headers.get("accept", ""), fmt, only=only)
    headers = {"Vary": "Accept"}
    if request.method == "GET":
        headers |= {"ETag": etag_of(app_state(request).store, name), "Cache-Control": "no-cache"}
        if not_modified(request, headers["ETag"]):
            return Response(status_code=304, headers=headers)
    client = request.client.host if request.client else ""
    body = await run_in_threadpool(
        get_pool(request).run, query, name, bindings=bindings, client=client
    )
    media = formats_of(query.form)[name]
    if media.startswith("text/") or media.endswith(("json", "xml")):
        media += "; charset=utf-8"
    return Response(body, media_type=media, headers=headers)


def _check_dataset(settings: Settings, default: list[str], named: list[str]) -> None:
    """Raise :class:`UnknownGraph` for a ``default-graph-uri`` / ``named-graph-uri`` that
    this dataset cannot honour."""
    if named:
        raise UnknownGraph("named-graph-uri: this dataset has no named graphs")
    unknown = [iri for iri in default if iri != settings.base_uri]
    if unknown:
        raise UnknownGraph(
            f"default-graph-uri {unknown[0]!r} is not a graph of this dataset (its one "
            f"graph is {settings.base_uri}); this server never fetches graphs",
        )


async def _answer(request: Request, settings: Settings, params: list[tuple[str, str]]) -> Response:
    """Answer a protocol request given all its parameters (URL and form body)."""
    names = [k for k, _ in params]
    if "update" in names:
        raise QueryRefused(READ_ONLY)
    queries = [v for k, v in params if k == "query"]
    if len(queries) != 1:
        raise BadRequest(f"give exactly one 'query' parameter, not {len(queries)}")
    formats = [v for k, v in params if k == "format"]
    default = [v for k, v in params if k == "default-graph-uri"]
    _check_dataset(settings, default, [v for k, v in params if k == "named-graph-uri"])
    text = queries[0]
    # the guard's cost grows with the text: a long one is read off the event loop
    query = await run_in_threadpool(classify, text) if len(text) > LARGE_QUERY else (classify(text))
    return await run_query(request, query, fmt=_first_fitting(query.form, formats))


def _first_fitting(form: str, formats: list[str]) -> str | None:
    """The first ``format`` value that fits a ``form`` result (clients may send several)."""
    fitting = [f for f in formats if _fits(form, f)]
    return fitting[0] if fitting else formats[0] if formats else None


def _fits(form: str, fmt: str) -> bool:
    try:
        choose_format(form, "", fmt)
    except NotAcceptable:
        return False
    return True


def service_description(request: Request, store: Store, settings: Settings) -> Graph:
    """The SPARQL service description of this endpoint (formats, language, dataset)."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    service = URIRef(str(request.url_for("sparql_get")))
    dataset, default = BNode(), BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for iri in [*_FORMAT_IRIS.values(), *_GRAPH_FORMAT_IRIS.values()]:
        graph.add((service, SD.resultFormat, iri))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(len(store))))
    graph.add((default, DCTERMS.identifier, Literal(settings.base_uri)))
    note = (
        "Read-only: SPARQL Update, SERVICE and FROM are refused. Every query is stopped "
        f"after {settings.query_timeout:g} s and may return at most {settings.result_limit} "
        "rows or triples. default-graph-uri may name the one graph, "
        f"{settings.base_uri}."
    )
    graph.add((service, DCTERMS.description, Literal(note, lang="en")))
    return graph


def _describe_service(request: Request, store: Store, settings: Settings, fmt: str | None):
    name = choose_format("DESCRIBE", request.headers.get("accept", ""), fmt)
    body = serialize_graph(service_description(request, store, settings), name)
    media = formats_of("DESCRIBE")[name]
    return Response(body, media_type=media, headers={"Vary": "Accept"})


@router.get(
    "/sparql",
    name="sparql_get",
    operation_id="sparql_get",
    summary="SPARQL query by GET (no query: the service description)",
    response_class=Response,
    openapi_extra={"parameters": _GET_PARAMETERS},
    responses={
        200: {"description": "results in the negotiated format"},
        400: {"description": "syntax error or bad parameters"},
        403: {"description": "update, SERVICE or FROM refused"},
        406: {"description": "no acceptable format"},
        429: {"description": "this client already runs its share of queries (Retry-After)"},
        503: {
            "description": "the query ran past the time limit, or every query worker "
            "stayed busy (Retry-After)"
        },
    },
)
async def sparql_get(request: Request) -> Response:
    state = app_state(request)
    store, settings = state.store, state.settings
    params = list(request.query_params.multi_items())
    if wants_html(request) and "format" not in request.query_params:
        # a browser: the editor, opened on the query of a shared link (machines: unchanged)
        queries = [v for k, v in params if k == "query"]
        return await run_in_threadpool(editor_page, request, queries[0] if queries else None)
    if not any(k in ("query", "update") for k, _ in params):
        return _describe_service(request, store, settings, request.query_params.get("format"))
    return await _answer(request, settings, params)


async def _form(request: Request) -> list[tuple[str, str]]:
    body = await request.body()
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the form body is not UTF-8: {exc.reason}") from None


@router.post(
    "/sparql",
    name="sparql_post",
    operation_id="sparql_post",
    summary="SPARQL query by POST (form or application/sparql-query body)",
    response_class=Response,
    openapi_extra={
        "requestBody": {
            "content": {
                FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
                SPARQL_QUERY: {"schema": {"type": "string"}},
            },
        }
    },
    responses={
        200: {"description": "results in the negotiated format"},
        400: {"description": "syntax error, bad parameters or a body that is not UTF-8"},
        413: {"description": "a body over 1 MiB"},
        403: {"description": "update, SERVICE or FROM refused"},
        406: {"description": "no acceptable format"},
        415: {"description": "Content-Type is not a form or application/sparql-query"},
        429: {"description": "this client already runs its share of queries (Retry-After)"},
        503: {
            "description": "the query ran past the time limit, or every query worker "
            "stayed busy (Retry-After)"
        },
    },
)
async def sparql_post(request: Request, settings: SettingsDep) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = list(request.query_params.multi_items())
    if content_type == FORM:
        return await _answer(request, settings, params + await _form(request))
    if content_type == SPARQL_QUERY:
        try:
            text = (await request.body()).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest(f"the query body is not UTF-8: {exc.reason}") from None
        return await _answer(request, settings, [("query", text), *params])
    if content_type == SPARQL_UPDATE:
        raise QueryRefused(READ_ONLY)
    shown = content_type or "none"
    raise UnsupportedMediaType(
        f"Content-Type {shown!r}: POST a form ({FORM}) or a query ({SPARQL_QUERY})"
    )
