"""The import template: a workbook (or CSV files) with headings, drop-down lists and a guide."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from llgraph.errors import LoadError
from llgraph.sheets.columns import EXPLANATION_SHEET, LISTS_SHEET, SHEETS
from llgraph.sheets.match import CodeList
from llgraph.sheets.write import write_atomically

__all__ = ["Rows", "template_workbook", "write_template"]

#: Cell values by column key, per sheet name (the rows ``export-sheet`` fills in).
Rows = Mapping[str, Sequence[Mapping[str, str]]]
#: The drop-down lists cover this many input rows.
INPUT_ROWS = 2000
_HEADING = Font(bold=True)
_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED = PatternFill("solid", fgColor="FCE4D6")
_GUIDE = ("sheet", "column", "見出し", "required / 必須", "meaning", "example", "drop-down list")


def _used_lists(lists: Mapping[str, CodeList]) -> list[str]:
    used = {c.codes for s in SHEETS.values() for c in s.columns if c.codes}
    return sorted(name for name in used if name in lists)


def _lists_sheet(book: Workbook, lists: Mapping[str, CodeList]) -> dict[str, str]:
    """The hidden sheet of code lists; the range each drop-down reads."""
    sheet = book.create_sheet(LISTS_SHEET)
    ranges = {}
    for col, name in enumerate(_used_lists(lists), start=1):
        values = [e.display for e in lists[name].sorted_entries()]
        sheet.cell(1, col, name).font = _HEADING
        for row, value in enumerate(values, start=2):
            sheet.cell(row, col, value)
        letter = get_column_letter(col)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${max(2, len(values) + 1)}"
    sheet.sheet_state = "hidden"
    return ranges


def _data_sheet(book: Workbook, name: str, ranges: Mapping[str, str], rows: Sequence) -> None:
    spec = SHEETS[name]
    sheet = book.create_sheet(name)
    sheet.freeze_panes = "A2"
    for col, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(1, col, column.heading)
        cell.font, cell.alignment = _HEADING, Alignment(wrap_text=True, vertical="top")
        cell.fill = _REQUIRED if column.required else _FILL
        cell.comment = Comment(column.help + (" (required)" if column.required else ""), "llgraph")
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = 24
        if column.codes is not None and column.codes in ranges:
            check = DataValidation(type="list", formula1=ranges[column.codes], allow_blank=True)
            check.errorStyle, check.showErrorMessage = "warning", True
            check.error = (
                "Not in the graph's list: an id or label is also accepted; import checks it."
            )
            check.prompt, check.showInputMessage = column.help, True
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{max(INPUT_ROWS, len(rows) + 1)}")
    for r, values in enumerate(rows, start=2):
        for col, column in enumerate(spec.columns, start=1):
            if values.get(column.key):
                sheet.cell(r, col, values[column.key])


def _guide_rows() -> list[list[str]]:
    return [
        [s.name, c.key, c.ja, "yes / 必須" if c.required else "", c.help, c.example, c.codes or ""]
        for s in SHEETS.values()
        for c in s.columns
    ]


def template_workbook(lists: Mapping[str, CodeList], rows: Rows | None = None) -> Workbook:
    """One sheet per kind, the guide to every column, and the code lists behind the drop-downs."""
    book = Workbook()
    for default in book.worksheets:  # the empty "Sheet" a new workbook starts with
        book.remove(default)
    ranges = _lists_sheet(book, lists)
    for name in SHEETS:
        _data_sheet(book, name, ranges, (rows or {}).get(name, []))
    guide = book.create_sheet(EXPLANATION_SHEET)
    guide.append(list(_GUIDE))
    for cell in guide[1]:
        cell.font, cell.fill = _HEADING, _FILL
    for row in _guide_rows():
        guide.append(row)
    for letter, width in zip("ABCDEFG", (14, 18, 18, 14, 70, 30, 18), strict=True):
        guide.column_dimensions[letter].width = width
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    return book


def _csv_text(rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return "\ufeff" + buffer.getvalue()  # with a BOM, so Excel reads it as UTF-8


def _write_csvs(out: Path, lists: Mapping[str, CodeList], rows: Rows) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, spec in SHEETS.items():
        body = [[c.heading for c in spec.columns]]
        body += [[r.get(c.key, "") for c in spec.columns] for r in rows.get(name, [])]
        files[f"{name}.csv"] = body
    files[f"{EXPLANATION_SHEET}.csv"] = [list(_GUIDE), *_guide_rows()]
    codes = [["list", "value", "id", "label_ja", "label_en"]]
    for name in _used_lists(lists):
        codes += [
            [name, e.display, e.key, e.label_ja, e.label_en] for e in lists[name].sorted_entries()
        ]
    files["codes.csv"] = codes
    for filename, body in files.items():
        write_atomically(out / filename, _csv_text(body))
    return [out / f for f in files]


def write_template(
    out: Path, lists: Mapping[str, CodeList], *, fmt: str = "xlsx", rows: Rows | None = None
) -> list[Path]:
    """Write the template (``xlsx``: one workbook; ``csv``: a folder of files); the paths."""
    if fmt == "csv":
        return _write_csvs(out, lists, rows or {})
    buffer = io.BytesIO()
    template_workbook(lists, rows).save(buffer)
    temporary = out.with_name(f".{out.name}.tmp")
    try:
        temporary.write_bytes(buffer.getvalue())
        temporary.replace(out)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise LoadError(out, f"cannot write: {exc.strerror}") from exc
    return [out]
