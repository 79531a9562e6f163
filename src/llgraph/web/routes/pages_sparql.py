"""The SPARQL editor page (GET /sparql from a browser): YASGUI served from the package.

Its settings (endpoint, our prefixes, the classes and properties for completion, the named
queries as examples) are written into the page as JSON, so the editor calls nothing but
this server: YASGUI's default completers, which ask public services, are replaced.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from llgraph.namespaces import PREFIXES
from llgraph.store import Store
from llgraph.web.deps import app_state
from llgraph.web.routes.editor_text import standalone
from llgraph.web.templating import EDITOR_CSP, page

__all__ = ["DEFAULT_QUERY", "editor_page"]

DEFAULT_QUERY = """PREFIX llo: <https://w3id.org/llgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Partnerships by programme: a first query (Ctrl-Enter runs it)
SELECT ?programme (COUNT(?partnership) AS ?partnerships) WHERE {
  ?partnership a llo:Partnership ; llo:programme/rdfs:label ?programme .
  FILTER (lang(?programme) = "en")
}
GROUP BY ?programme
ORDER BY DESC(?partnerships)
"""

_TERMS = """
SELECT DISTINCT ?term ?kind WHERE {
  { ?x a ?term . BIND("class" AS ?kind) }
  UNION { ?term a ?c . VALUES ?c { owl:Class rdfs:Class } BIND("class" AS ?kind) }
  UNION { ?x ?term ?y . BIND("property" AS ?kind) }
  UNION { ?term a ?p .
          VALUES ?p { rdf:Property owl:ObjectProperty owl:DatatypeProperty
                      owl:AnnotationProperty qb:DimensionProperty qb:MeasureProperty
                      qb:AttributeProperty }
          BIND("property" AS ?kind) }
  FILTER (isIRI(?term))
}"""


@lru_cache(maxsize=4)
def _terms(store: Store, version: str) -> dict[str, list[str]]:
    """The classes and properties of the data and the ontology, for the editor's completion."""
    found: dict[str, set[str]] = {"class": set(), "property": set()}
    for term, kind in store.select(_TERMS):
        found[str(kind)].add(str(term))
    return {kind: sorted(terms) for kind, terms in found.items()}


def editor_config(request: Request, query: str | None) -> dict[str, Any]:
    """Everything the editor's script needs, as one JSON-able dict."""
    from llgraph.web.routes.queries import get_catalogue  # here: it imports routes.sparql

    store = app_state(request).store
    examples = [
        {"name": q.name, "title": q.title, "query": standalone(q.query.text, q.bindings())}
        for q in get_catalogue(request).values()
    ]
    return {
        "endpoint": str(request.url_for("sparql_get")),
        "query": query if query is not None else DEFAULT_QUERY,
        "run": query is not None,
        "base": app_state(request).settings.base_uri,
        "prefixes": {prefix: str(ns) for prefix, ns in PREFIXES.items()},
        "terms": _terms(store, store.version),
        "examples": examples,
    }


def editor_page(request: Request, query: str | None) -> HTMLResponse:
    """The editor, opened on ``query`` (and running it) or on a first example."""
    config = editor_config(request, query)
    context = {"config": config, "examples": config["examples"]}
    return page(request, "sparql.html", context, csp=EDITOR_CSP)
