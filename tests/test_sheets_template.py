"""``llgraph template`` and ``export-sheet``: the sheets, headings, drop-downs and guide."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from llgraph.cli import main
from llgraph.sheets.columns import SHEETS


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    assert main(["template", "--out", str(path)]) == 0
    return path


def test_one_sheet_per_kind_with_a_guide_and_hidden_lists(template: Path) -> None:
    book = load_workbook(template)
    assert book.sheetnames == [*SHEETS, "columns", "lists"]
    assert book["lists"].sheet_state == "hidden"
    headings = [c.value for c in book["partnerships"][1]]
    assert headings[:4] == [
        "ID / id",
        "名称（日本語） / label_ja",
        "名称（英語） / label_en",
        "事業 / programme",
    ]
    guide = [[c.value for c in row] for row in book["columns"].iter_rows(min_row=2)]
    assert len(guide) == sum(len(s.columns) for s in SHEETS.values())
    assert ["partnerships", "start_year"] in [row[:2] for row in guide]


def test_drop_downs_offer_the_graphs_code_lists(template: Path) -> None:
    book = load_workbook(template)
    lists = {c[0].value: [x.value for x in c[1:] if x.value] for c in book["lists"].iter_cols()}
    assert "LL事業 (ll)" in lists["programmes"] and any(
        v.endswith("(rit)") for v in lists["programmes"]
    )
    assert "福島県 (jp-fukushima)" in lists["domestic-regions"]
    assert "スウェーデン (se)" in lists["overseas-regions"]
    assert "国内実施主体 (domestic-implementing-body)" in lists["roles"]
    assert any(v.endswith("(mission-dispatch)") for v in lists["activity-types"])
    assert any(v.endswith("(contract)") for v in lists["outcome-types"])
    checks = {
        str(v.sqref).split(":")[0]: v for v in book["partnerships"].data_validations.dataValidation
    }
    programme = checks["D2"]
    assert programme.type == "list" and programme.formula1.startswith("lists!$")
    assert programme.errorStyle == "warning"  # an id or a label typed by hand passes to import


def test_the_csv_template_is_excel_friendly_utf8(tmp_path: Path) -> None:
    assert main(["template", "--format", "csv", "--out", str(tmp_path / "t")]) == 0
    raw = (tmp_path / "t" / "partnerships.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader([raw.decode("utf-8-sig").splitlines()[0]]))
    assert [h.split(" / ")[-1] for h in header] == [c.key for c in SHEETS["partnerships"].columns]
    codes = list(csv.reader((tmp_path / "t" / "codes.csv").read_text("utf-8-sig").splitlines()))
    assert codes[codes.index(next(r for r in codes if r[:2] == ["programmes", "LL事業 (ll)"]))][
        :4
    ] == ["programmes", "LL事業 (ll)", "ll", "LL事業"]


def test_export_sheet_writes_the_graphs_partnerships(tmp_path: Path) -> None:
    assert main(["export-sheet", "--out", str(tmp_path / "graph.xlsx")]) == 0
    rows = list(load_workbook(tmp_path / "graph.xlsx")["partnerships"].iter_rows(values_only=True))
    by_id = {row[0]: row for row in rows[1:]}
    assert len(by_id) == 29
    fukushima = by_id["ll-fukushima-sweden"]
    assert fukushima[4] == "福島県 (jp-fukushima)"
    assert fukushima[5] == "スウェーデン (se); スコーネ (se-skane)"
    assert (fukushima[7], fukushima[8]) == ("2003", "2006")
    assert "report/jetro-2008/ll-case-fukushima-sweden" in fukushima[10]
