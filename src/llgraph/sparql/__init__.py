"""Safe SPARQL execution: read-only, no remote fetching, time and size limits, result formats.

``classify`` parses and guards a query; ``choose_format`` negotiates its result format;
``execute`` runs it on a store within the result-size limit; ``QueryPool`` runs it in a
forked worker process that is killed at the time limit.
"""

from __future__ import annotations

from llgraph.sparql.formats import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    choose_format,
    execute,
    formats_of,
    serialize_graph,
    serialize_result,
)
from llgraph.sparql.guard import (
    NotAcceptable,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    SparqlQuery,
    classify,
)
from llgraph.sparql.pool import QueryPool

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "NotAcceptable",
    "QueryPool",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "ResultTooLarge",
    "SparqlQuery",
    "choose_format",
    "classify",
    "execute",
    "formats_of",
    "serialize_graph",
    "serialize_result",
]
