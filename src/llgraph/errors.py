"""The exception tree: every error llgraph raises on purpose, with its HTTP status and title.

Each error says what went wrong and where (file, line, focus node, parameter). The web
layer renders any of them as RFC 9457 problem details from the class alone: ``status``,
``title``, ``retry_after`` (a ``Retry-After`` header) and :meth:`LLGraphError.problem_fields`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

__all__ = [
    "BadRequest",
    "ExportError",
    "LLGraphError",
    "LayoutError",
    "LoadError",
    "MetricError",
    "NotAcceptable",
    "NotFound",
    "ParameterError",
    "ProjectionError",
    "QueryError",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "QueryTooComplex",
    "ResultTooLarge",
    "ServerBusy",
    "SheetsInvalid",
    "StoreError",
    "TooManyQueries",
    "UnknownGraph",
    "UnsupportedMediaType",
    "ValidationFailed",
    "WorkerDied",
]


class LLGraphError(Exception):
    """Base class of every error llgraph raises on purpose."""

    #: The HTTP status and problem title the web layer answers this error with.
    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    #: Seconds a client is told to wait (``Retry-After``) before trying again; None: no header.
    retry_after: ClassVar[int | None] = None

    def problem_fields(self) -> dict[str, object]:
        """Members a problem-details answer adds to type, title, status and detail."""
        return {}


class _ParameterMixin:
    """An error about one request parameter, named in the problem's ``errors``."""

    parameter: str

    def problem_fields(self) -> dict[str, object]:
        if not self.parameter:
            return {}
        return {"errors": [{"parameter": self.parameter}]}


# --- HTTP requests ------------------------------------------------------------------


class BadRequest(LLGraphError):
    """A request the server cannot read: a parameter missing or given twice, a body not UTF-8."""


class NotFound(LLGraphError):
    """The request names something this graph does not hold (a named query, a table)."""

    status, title = 404, "Not found"


class UnsupportedMediaType(LLGraphError):
    """A request body of a media type the route does not read."""

    status, title = 415, "Unsupported media type"


# --- data: loading, validation, stores, sheets ---------------------------------------


@dataclass
class LoadError(LLGraphError):
    """A file could not be read or parsed."""

    title = "Cannot load"

    path: Path | str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class ValidationFailed(LLGraphError):
    """The data does not conform to the SHACL shapes; ``report`` lists every problem."""

    title = "Data does not conform"

    def __init__(self, report: object) -> None:
        self.report = report
        super().__init__(str(report))


class StoreError(LLGraphError):
    """A store could not be opened, read or written (a server answering it is not at fault)."""

    status, title = 503, "Store unavailable"


class SheetsInvalid(LLGraphError):
    """The sheets cannot be imported; ``problems`` says where and why. Nothing was written."""

    title = "Sheets invalid"

    def __init__(self, problems: Sequence[object]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.problems)} problem(s); nothing was written")
        super().__init__("\n".join(lines))


# --- SPARQL queries ----------------------------------------------------------------


class QueryError(LLGraphError):
    """A SPARQL query is malformed, refused or failed."""

    title = "Query failed"


class ResultTooLarge(QueryError):
    """The result has more rows or triples than the result-size limit."""

    title = "Result too large"


class QuerySyntaxError(QueryError):
    """The query is not SPARQL 1.1; ``line`` and ``column`` say where the parser stopped."""

    title = "SPARQL syntax error"

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line, self.column = line, column

    def problem_fields(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column}


class QueryRefused(QueryError):
    """The query is valid but not allowed here (an update, SERVICE, FROM)."""

    status, title = 403, "Query refused"


class QueryTooComplex(QueryError):
    """The query nests deeper than the engine can safely parse."""

    title = "Query too deeply nested"


class QueryTimeout(QueryError):
    """The query ran longer than the time limit and was stopped."""

    status, title = 503, "Query timed out"


class ServerBusy(QueryError):
    """Every query worker stayed busy: the query did not start (try again shortly)."""

    status, title, retry_after = 503, "Query workers busy", 2


class TooManyQueries(QueryError):
    """This client already runs as many queries at once as one client may."""

    status, title, retry_after = 429, "Too many queries at once", 1


class NotAcceptable(QueryError):
    """None of the formats the client accepts can represent this kind of result."""

    status, title = 406, "Not acceptable"


class UnknownGraph(QueryError):
    """The query asks for a graph (default-graph-uri, named-graph-uri) this dataset lacks."""

    title = "Unknown graph"


class WorkerDied(QueryError):
    """The process running a query ended without answering (a crash, or killed)."""

    status, title = 503, "Query worker died"


class ParameterError(QueryError):
    """A named query's parameter value is missing, unknown or not of its declared type."""

    status, title = 422, "Invalid parameter"

    def __init__(self, message: str, parameter: str = "") -> None:
        super().__init__(message)
        self.parameter = parameter

    def problem_fields(self) -> dict[str, object]:
        return {"errors": [{"parameter": self.parameter, "in": "query", "message": str(self)}]}


# --- the partnership network ---------------------------------------------------------


class ProjectionError(_ParameterMixin, LLGraphError):
    """An unknown projection or region level, or a level the projection cannot use."""

    status, title = 422, "Invalid parameter"

    def __init__(self, message: str, parameter: str = "") -> None:
        super().__init__(message)
        self.parameter = parameter


class MetricError(LLGraphError):
    """An unknown metric was asked for."""

    title = "Unknown metric"


class LayoutError(LLGraphError):
    """A layout that cannot be computed here (too many nodes for the exact ForceAtlas2)."""

    title = "Cannot lay out"


class ExportError(_ParameterMixin, LLGraphError):
    """An unknown export format, language, colouring or size metric, or a file not written."""

    status, title = 422, "Cannot export"

    def __init__(self, message: str, parameter: str = "") -> None:
        super().__init__(message)
        self.parameter = parameter
