"""``llgraph import``: read the sheets, turn the rows into RDF, validate, then write or refuse."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from llgraph.config import Settings
from llgraph.load import expand_paths, parse_files
from llgraph.namespaces import RDF, curie
from llgraph.sheets.check import shacl_problems
from llgraph.sheets.match import code_lists
from llgraph.sheets.problems import SheetProblem, SheetsInvalid
from llgraph.sheets.read import read_path
from llgraph.sheets.rows_to_rdf import convert
from llgraph.sheets.write import turtle_text, write_atomically

__all__ = ["ImportResult", "import_sheets"]


@dataclass
class ImportResult:
    """What an import wrote."""

    out: Path
    triples: int
    counts: dict[str, int]
    unchanged: int
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        made = ", ".join(
            f"{n} {kind}" for kind, n in sorted(self.counts.items()) if kind != "prov:Entity"
        )
        made = made or "nothing new"
        lines = [*self.notes, f"wrote {self.out}: {made} ({self.triples} triples)"]
        if self.unchanged:
            lines.append(f"{self.unchanged} row(s) state what the graph already holds: left out")
        return "\n".join(lines)


def _order(problem: SheetProblem | str) -> tuple:
    if isinstance(problem, str):
        return ("", "", 0, "", problem)
    return (problem.file, problem.sheet, problem.row, problem.column, problem.message)


def import_sheets(path: Path, out: Path, settings: Settings) -> ImportResult:
    """Import ``path`` into the Turtle file ``out``; :class:`SheetsInvalid` if any row is bad.

    The rows join the data of ``settings.data_paths`` (minus ``out`` itself, which the
    import replaces): names are matched against it, a partnership it holds already is
    reported, and the shapes validate the new resources together with it.
    """
    tables, problems, notes = read_path(path)
    others = [p for p in settings.data_paths if Path(p).resolve() != out.resolve()]
    base_files = [f for f in expand_paths(others) if f.resolve() != out.resolve()]
    data = parse_files(base_files)
    conversion = convert(tables, data.graph, code_lists(data.graph))
    found: list[SheetProblem | str] = [*problems, *conversion.problems]
    data.graph += conversion.graph
    cells = {(p.file, p.sheet, p.row, p.column) for p in found if isinstance(p, SheetProblem)}
    for problem in shacl_problems(conversion, data, settings):
        where = problem if isinstance(problem, str) else problem.cell
        if where not in cells:  # a cell already reported is not reported twice
            found.append(problem)
    if found:
        unique = sorted(set(found), key=_order)
        raise SheetsInvalid(unique)
    header = (
        f"Imported by `llgraph import` from {path.name}: edit the sheet and import it again\n"
        "rather than this file. Each resource cites its source (dcterms:source) and the row\n"
        "it was read from (prov:wasDerivedFrom)."
    )
    write_atomically(out, turtle_text(conversion.graph, header))
    counts = Counter(curie(str(t)) for t in conversion.graph.objects(None, RDF.type))
    return ImportResult(out, len(conversion.graph), dict(counts), conversion.unchanged, notes)
