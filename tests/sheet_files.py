"""Sheets for the import tests, written by the tests themselves: xlsx and CSV in every encoding."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook

from llgraph.sheets.columns import SHEETS

Grid = Sequence[Sequence[object]]

SOURCE = "JETRO 年次報告 2009, p. 12"

#: A valid import: a new country and city, a partnership, an institution, an activity, an outcome.
GOOD: dict[str, list[list[object]]] = {
    "regions": [
        ["id", "label_ja", "label_en", "level", "contained_in", "country_code", "source"],
        ["fi", "フィンランド", "Finland", "country", "", "FI", "ISO 3166-1 alpha-2"],
        ["fi-oulu", "オウル市", "Oulu", "city", "フィンランド", "", SOURCE],
    ],
    "partnerships": [
        [
            "id",
            "label_ja",
            "label_en",
            "programme",
            "domestic_region",
            "overseas_region",
            "industry",
            "start_year",
            "end_year",
            "source",
        ],
        [
            "ll-nagano-oulu",
            "長野県－フィンランド・オウル市（IT）",
            "Nagano – Oulu, Finland (IT)",
            "LL事業",
            "長野県",
            "オウル市 (fi-oulu)",
            "ll/it",
            "２００５",
            "H19",
            SOURCE,
        ],
    ],
    "institutions": [
        ["partnership", "institution_ja", "institution_en", "institution_type", "role", "source"],
        [
            "ll-nagano-oulu",
            "長野県テクノ財団",
            "Nagano Techno Foundation",
            "association",
            "国内実施主体",
            SOURCE,
        ],
    ],
    "activities": [
        ["partnership", "activity_type", "times", "participants", "source"],
        ["ll-nagano-oulu", "ミッション派遣", "2", "11", SOURCE],
    ],
    "outcomes": [
        [
            "partnership",
            "outcome_type",
            "description_ja",
            "description_en",
            "organisations",
            "source",
        ],
        [
            "ll-nagano-oulu",
            "contract",
            "オウルの企業と共同開発契約",
            "A joint development contract with an Oulu company",
            "長野県テクノ財団",
            SOURCE,
        ],
    ],
}


def headed(name: str, grid: Grid) -> list[list[object]]:
    """``grid`` with the template's two-language headings instead of the bare keys."""
    spec = SHEETS[name]
    return [[spec.column(str(k)).heading for k in grid[0]], *[list(r) for r in grid[1:]]]


def write_xlsx(path: Path, sheets: Mapping[str, Grid], *, headings: bool = True) -> Path:
    """A workbook with one sheet per entry (headings as the template writes them)."""
    book = Workbook()
    book.remove(book.active)
    for name, grid in sheets.items():
        sheet = book.create_sheet(name)
        for row in headed(name, grid) if headings else grid:
            sheet.append(list(row))
    book.save(path)
    return path


def csv_bytes(grid: Grid, encoding: str) -> bytes:
    """A CSV file as Excel writes it: ``utf-8-sig`` (with BOM), ``utf-8`` or ``cp932``."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(grid)
    return buffer.getvalue().encode(encoding)


def write_csvs(folder: Path, sheets: Mapping[str, Grid], encoding: str) -> Path:
    """A folder with one CSV file per sheet."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, grid in sheets.items():
        (folder / f"{name}.csv").write_bytes(csv_bytes(grid, encoding))
    return folder


def set_cached_value(path: Path, sheet_index: int, cell: str, value: str) -> None:
    """Give a formula cell the value Excel would have saved with it (openpyxl saves none)."""
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as source:
        parts = {item: source.read(item) for item in source.namelist()}
    xml = parts[name].decode()
    xml, n = re.subn(
        rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?', rf"\1<f>\2</f><v>{value}</v>", xml
    )
    assert n == 1, xml
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for item, data in parts.items():
            target.writestr(item, data)
