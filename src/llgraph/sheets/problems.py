"""A problem in a sheet, located as ``FILE:SHEET:ROW:COLUMN``, and the error listing them."""

from __future__ import annotations

from dataclasses import dataclass

from llgraph.errors import SheetsInvalid

__all__ = ["SheetProblem", "SheetsInvalid"]


@dataclass(frozen=True, order=True)
class SheetProblem:
    """One thing to fix: the row as the spreadsheet numbers it (the header is row 1)."""

    file: str
    sheet: str
    row: int
    column: str
    message: str

    @property
    def cell(self) -> tuple[str, str, int, str]:
        """Where it is: file, sheet, row, column."""
        return (self.file, self.sheet, self.row, self.column)

    def __str__(self) -> str:
        return f"{self.file}:{self.sheet}:{self.row}:{self.column}: {self.message}"
