"""GET /id/{path}: every resource URI of the graph dereferences here (HTML or RDF by Accept).

A URI ``{base_uri}id/{path}`` is answered at ``/id/{path}`` directly with ``200`` (no 303
redirect): the description of the resource, in the format the ``Accept`` header (or the
``format`` parameter) asks for, with ``Vary: Accept`` and ``Link`` headers to the others.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from rdflib import Graph, URIRef

from llgraph import resources
from llgraph.namespaces import DCTERMS, PREFIXES, RDF, RDFS, SKOS
from llgraph.web.deps import SettingsDep, StoreDep
from llgraph.web.problems import problem
from llgraph.web.representation import JSONLD, Linker, conditional, negotiate
from llgraph.web.routes.pages_tables import dataset_page
from llgraph.web.templating import page, templates

__all__ = ["FORMATS", "router", "templates"]

router = APIRouter(tags=["linked data"])

#: format key → (media type, rdflib serializer, or None for HTML)
FORMATS: dict[str, tuple[str, str | None]] = {
    "html": ("text/html", None),
    "ttl": ("text/turtle", "turtle"),
    "jsonld": (JSONLD, "json-ld"),
    "nt": ("application/n-triples", "nt"),
}


#: What may follow ``id/`` in an IRI of ours (no spaces, controls or ``<>"{}|\\^`` ).
_IRI_PATH = re.compile(r'[^\x00-\x20<>"{}|\\^`]*')


def _alternates(request: Request) -> str:
    return ", ".join(
        f'<{request.url.include_query_params(format=key)}>; rel="alternate"; type="{media}"'
        for key, (media, _) in FORMATS.items()
    )


def _rdf(store: StoreDep, uri: URIRef, serializer: str, media: str) -> Response:
    return _serialize(resources.describe_graph(store, uri), serializer, media)


def _serialize(graph: Graph, serializer: str, media: str) -> Response:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, str(ns), replace=True)
    if serializer == "json-ld":  # the context inline: nothing to fetch
        context = {p: str(ns) for p, ns in PREFIXES.items()}
        body = graph.serialize(format=serializer, encoding="utf-8", context=context)
    else:
        body = graph.serialize(format=serializer, encoding="utf-8")
    charset = "" if serializer == "json-ld" else "; charset=utf-8"
    return Response(body, media_type=f"{media}{charset}")


def _rows(linker: Linker, desc: resources.Description, table: Mapping[str, list[Any]]) -> list[Any]:
    """(property, values) pairs of a description's table, resources as ``{id, url, label}``."""
    return [
        (
            linker.link(desc.prop(p)),
            [linker.link(v) if isinstance(v, resources.Ref) else v for v in vals],
        )
        for p, vals in sorted(table.items())
    ]


def _html(request: Request, store: StoreDep, linker: Linker, uri: URIRef) -> Response:
    desc = resources.describe(store, [uri])[0]

    context = {
        "uri": str(uri),
        "ref": desc.ref,
        "types": [linker.link(r) for r in desc.refs(RDF.type)],
        "comments": desc.values(RDFS.comment) + desc.values(SKOS.definition),
        "sources": [linker.link(r) for r in desc.refs(DCTERMS.source)],
        "outgoing": _rows(linker, desc, desc.outgoing),
        "incoming": _rows(linker, desc, desc.incoming),
        "formats": {key: media for key, (media, _) in FORMATS.items() if key != "html"},
        "api": linker.api(str(uri)),
        "home": str(request.base_url),
    }
    return page(request, "resource.html", context)


@router.api_route("/ontology", methods=["GET", "HEAD"], include_in_schema=False)
def ontology(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    format: Annotated[Literal["html", "ttl", "jsonld", "nt"] | None, Query()] = None,
) -> Response:
    """The ontology (``{base_uri}ontology``, its terms ``...ontology#Term``) as HTML or RDF."""
    rep = format or negotiate(request, {k: media for k, (media, _) in FORMATS.items()}, "ttl")
    namespace = settings.base_uri + "ontology"

    def build() -> Response:
        graph = resources.vocabulary_graph(store, namespace)
        media, serializer = FORMATS[rep]
        if serializer is not None:
            response = _serialize(graph, serializer, media)
        else:
            terms = sorted({s for s in graph.subjects() if isinstance(s, URIRef)})
            linker = Linker(request, settings)
            entries = [
                (d.ref.uri.partition("#")[2], d.ref, _rows(linker, d, d.outgoing))
                for d in resources.describe(store, terms)
            ]
            context = {"uri": namespace, "entries": entries, "home": str(request.base_url)}
            response = page(request, "ontology.html", context)
        response.headers["Link"] = _alternates(request)
        return response

    return conditional(request, store, f"ontology-{rep}", build)


@router.api_route(
    "/id/{path:path}", methods=["GET", "HEAD"], include_in_schema=False, response_model=None
)
def dereference(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    path: str,
    format: Annotated[Literal["html", "ttl", "jsonld", "nt"] | None, Query()] = None,
) -> Response:
    """Describe ``{base_uri}id/{path}`` as HTML, Turtle, JSON-LD or N-Triples."""
    rep = format or negotiate(request, {k: media for k, (media, _) in FORMATS.items()}, "ttl")

    def build() -> Response:
        if not _IRI_PATH.fullmatch(path):
            return problem(404, "Not found", f"no IRI of this graph ends in id/{path!r}")
        uri = URIRef(settings.base_uri + "id/" + path)
        if not resources.exists(store, uri):
            return problem(404, "Not found", f"the graph says nothing about <{uri}>")
        media, serializer = FORMATS[rep]
        table = dataset_page(request, store, str(uri)) if serializer is None else None
        if table is not None:  # a qb:DataSet: the table as the report printed it
            response = table
        elif serializer is None:
            response = _html(request, store, Linker(request, settings), uri)
        else:
            response = _rdf(store, uri, serializer, media)
        response.headers["Link"] = _alternates(request)
        return response

    return conditional(request, store, f"ld-{rep}", build)
