"""The exception tree: every error says what went wrong and where (file, line, focus node)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "LLGraphError",
    "LoadError",
    "QueryError",
    "ResultTooLarge",
    "StoreError",
    "ValidationFailed",
]


class LLGraphError(Exception):
    """Base class of every error llgraph raises on purpose."""


@dataclass
class LoadError(LLGraphError):
    """A file could not be read or parsed."""

    path: Path | str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class ValidationFailed(LLGraphError):
    """The data does not conform to the SHACL shapes; ``report`` lists every problem."""

    def __init__(self, report: object) -> None:
        self.report = report
        super().__init__(str(report))


class StoreError(LLGraphError):
    """A store could not be opened or written."""


class QueryError(LLGraphError):
    """A SPARQL query is malformed, refused or failed."""


class ResultTooLarge(QueryError):
    """The result has more rows or triples than the result-size limit."""
