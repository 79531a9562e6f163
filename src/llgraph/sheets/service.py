"""The template and export commands: read the graph's code lists, then write the sheets."""

from __future__ import annotations

from pathlib import Path

from llgraph.config import Settings
from llgraph.load import parse_files
from llgraph.sheets.export_sheet import partnership_rows
from llgraph.sheets.match import code_lists
from llgraph.sheets.template import write_template

__all__ = ["export_sheet", "write_graph_template"]


def write_graph_template(out: Path, settings: Settings, *, fmt: str = "xlsx") -> list[Path]:
    """An empty template whose drop-downs list the code lists of the configured data."""
    graph = parse_files(settings.data_paths).graph
    return write_template(out, code_lists(graph), fmt=fmt)


def export_sheet(out: Path, settings: Settings, *, fmt: str = "xlsx") -> list[Path]:
    """The template, filled with the partnerships of the configured data."""
    graph = parse_files(settings.data_paths).graph
    lists = code_lists(graph)
    return write_template(
        out, lists, fmt=fmt, rows={"partnerships": partnership_rows(graph, lists)}
    )
