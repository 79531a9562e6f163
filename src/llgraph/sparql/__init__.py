"""Safe SPARQL execution: read-only, no remote fetching, time and size limits, result formats.

``classify`` guards a query (``check_syntax`` also parses it); ``choose_format`` negotiates
its result format; ``execute`` runs it on a store within the result-size limit;
``QueryPool`` runs it in a forked worker process that is killed at the time limit and,
on Linux, cannot open a network socket (``sandbox``).
"""

from __future__ import annotations

from llgraph.errors import (
    NotAcceptable,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooComplex,
    ResultTooLarge,
    ServerBusy,
    TooManyQueries,
    WorkerDied,
)
from llgraph.sparql.formats import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    choose_format,
    execute,
    formats_of,
    serialize_graph,
    serialize_result,
)
from llgraph.sparql.guard import SparqlQuery, check_syntax, classify, explain
from llgraph.sparql.pool import QueryPool

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "NotAcceptable",
    "QueryPool",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "QueryTooComplex",
    "ResultTooLarge",
    "ServerBusy",
    "SparqlQuery",
    "TooManyQueries",
    "WorkerDied",
    "check_syntax",
    "choose_format",
    "classify",
    "execute",
    "explain",
    "formats_of",
    "serialize_graph",
    "serialize_result",
]
