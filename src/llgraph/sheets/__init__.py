"""Spreadsheets in and out of the graph: the template, checked imports, and the graph as a sheet."""

from llgraph.sheets.importer import ImportResult, import_sheets
from llgraph.sheets.problems import SheetProblem, SheetsInvalid
from llgraph.sheets.service import export_sheet, write_graph_template

__all__ = [
    "ImportResult",
    "SheetProblem",
    "SheetsInvalid",
    "export_sheet",
    "import_sheets",
    "write_graph_template",
]
