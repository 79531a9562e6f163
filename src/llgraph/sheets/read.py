"""Spreadsheets → tables of text cells: .xlsx, CSV (UTF-8, with or without BOM, or CP932)."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from llgraph.errors import LoadError
from llgraph.sheets.columns import EXPLANATION_SHEET, LISTS_SHEET, SHEETS, SheetSpec, column_key
from llgraph.sheets.match import normalise
from llgraph.sheets.problems import SheetProblem

__all__ = ["Row", "Table", "decode_csv", "read_path"]

#: Files and sheets the template writes for people, not for import.
HELPERS = {EXPLANATION_SHEET, LISTS_SHEET, "codes"}


@dataclass
class Row:
    """One data row: its number as the spreadsheet shows it, and its cells by column key."""

    number: int
    cells: dict[str, str]


@dataclass
class Table:
    """One sheet (or CSV file) of one kind, read."""

    file: str
    sheet: str
    spec: SheetSpec
    rows: list[Row] = field(default_factory=list)


def decode_csv(data: bytes, path: Path) -> str:
    """The text of a CSV file: UTF-8 with BOM, UTF-8, or CP932 (Excel's Shift_JIS), detected."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LoadError(path, "not UTF-8 or CP932 (Shift_JIS) text: save the CSV as UTF-8")


class _Uncomputed:
    """A formula cell whose value was never computed (a file written by a program, not Excel)."""

    message = (
        "a formula without a computed value: open and save the file in Excel or LibreOffice first"
    )

    def __str__(self) -> str:
        return ""


UNCOMPUTED = _Uncomputed()


def _text(value: object) -> str:
    """A cell as text: whole numbers without ``.0``, dates in ISO form, spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def _spec_for(name: str, headings: list[str]) -> SheetSpec | None:
    """The kind of sheet: by its name (English or Japanese), else by its headings."""
    for spec in SHEETS.values():
        if normalise(name) in {spec.name, normalise(spec.ja)}:
            return spec
    scores = {s.name: sum(column_key(h, s) is not None for h in headings) for s in SHEETS.values()}
    best = max(scores, key=lambda k: scores[k])
    return SHEETS[best] if scores[best] >= 3 else None


def _table(
    file: str,
    sheet: str,
    spec: SheetSpec,
    grid: Iterable[Sequence[object]],
    problems: list[SheetProblem],
    blank: Set[int] = frozenset(),
) -> Table:
    """Rows of cells (the first being the headings) → a :class:`Table` keyed by column."""
    rows = iter(grid)
    headings = next(rows, [])
    keys: list[str | None] = []
    for heading in headings:
        key = column_key(heading, spec)
        if heading and key is None:
            expected = ", ".join(c.key for c in spec.columns)
            problems.append(
                SheetProblem(
                    file,
                    sheet,
                    1,
                    str(heading),
                    f"unknown column {heading!r}: the columns are {expected}",
                )
            )
        if key is not None and key in keys:
            problems.append(SheetProblem(file, sheet, 1, key, f"column {key} appears twice"))
        keys.append(key if key not in keys else None)
    for column in spec.columns:
        if column.required and column.key not in keys:
            problems.append(
                SheetProblem(
                    file, sheet, 1, column.key, f"the sheet has no column {column.heading}"
                )
            )
    table = Table(file, sheet, spec)
    for number, cells in enumerate(rows, start=2):
        values = {k: _text(v) for k, v in zip(keys, cells, strict=False) if k is not None}
        for key, value in zip(keys, cells, strict=False):
            if key is not None and value is UNCOMPUTED:
                problems.append(SheetProblem(file, sheet, number, key, UNCOMPUTED.message))
        if any(values.values()) and number not in blank:
            table.rows.append(Row(number, values))
    return table


def _read_csv(path: Path, problems: list[SheetProblem]) -> list[Table]:
    try:
        text = decode_csv(path.read_bytes(), path)
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror}") from exc
    grid = list(csv.reader(io.StringIO(text, newline="")))
    spec = _spec_for(path.stem, grid[0] if grid else [])
    if spec is None:
        names = ", ".join(f"{s}.csv" for s in SHEETS)
        raise LoadError(path, f"cannot tell which sheet this is: name it one of {names}")
    return [_table(path.name, path.stem, spec, grid, problems)]


def _merged_values(sheet: Any) -> dict[tuple[int, int], object]:
    """Every cell of a merged range, with the value of its top-left cell."""
    filled = {}
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                filled[(row, col)] = value
    return filled


def _has_formulas(path: Path) -> bool:
    """Whether any sheet of the workbook holds a formula (``<f>`` in its XML)."""
    with zipfile.ZipFile(path) as book:
        names = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        return any(b"<f>" in book.read(n) or b"<f " in book.read(n) for n in names)


def _formulas(path: Path, name: str) -> set[tuple[int, int]]:
    """Cells holding a formula, to tell an uncomputed formula from an empty cell."""
    sheet = load_workbook(path, data_only=False)[name]
    return {
        (c.row, c.column)
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    }


def _sheet_grid(path: Path, sheet: Any) -> tuple[list[list[object]], set[int]]:
    """The cells of a sheet by row (merged ranges filled, uncomputed formulas marked), and
    the rows that are blank but for merged cells reaching into them."""
    merged = _merged_values(sheet)
    grid: list[list[object]] = []
    blank = set()
    formulas: set[tuple[int, int]] | None = None
    for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if all(v is None or str(v).strip() == "" for v in row):
            blank.add(r)
        cells = [merged.get((r, c), v) for c, v in enumerate(row, start=1)]
        if None in cells and r > 1:
            if formulas is None:
                formulas = _formulas(path, sheet.title) if _has_formulas(path) else set()
            cells = [
                UNCOMPUTED if v is None and (r, c) in formulas else v
                for c, v in enumerate(cells, start=1)
            ]
        grid.append(cells)
    return grid, blank


def _read_xlsx(path: Path, problems: list[SheetProblem], notes: list[str]) -> list[Table]:
    try:
        book = load_workbook(path, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise LoadError(path, f"not a readable .xlsx workbook: {exc}") from exc
    tables = []
    for sheet in book.worksheets:
        if normalise(sheet.title) in HELPERS:
            continue
        grid, blank = _sheet_grid(path, sheet)
        spec = _spec_for(sheet.title, [_text(v) for v in (grid[0] if grid else [])])
        if spec is None:
            kinds = ", ".join(SHEETS)
            notes.append(f"{path.name}: sheet {sheet.title!r} ignored (not one of {kinds})")
            continue
        tables.append(_table(path.name, sheet.title, spec, grid, problems, blank))
    return tables


def read_path(path: Path) -> tuple[list[Table], list[SheetProblem], list[str]]:
    """The tables of an .xlsx file, a CSV file or a folder of CSV files; problems; notes."""
    problems: list[SheetProblem] = []
    notes: list[str] = []
    if path.is_dir():
        files = sorted(p for p in path.glob("*.csv") if normalise(p.stem) not in HELPERS)
        if not files:
            raise LoadError(path, "no .csv files in this folder")
        tables = [t for f in files for t in _read_csv(f, problems)]
    elif not path.is_file():
        raise LoadError(path, "no such file or directory")
    elif path.suffix.lower() == ".csv":
        tables = _read_csv(path, problems)
    elif path.suffix.lower() in {".xlsx", ".xlsm"}:
        tables = _read_xlsx(path, problems, notes)
    else:
        raise LoadError(path, "give an .xlsx workbook, a .csv file or a folder of .csv files")
    return tables, problems, notes
