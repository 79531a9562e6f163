"""Reading sheets: CSV encodings, headings, empty rows; matching names after NFKC."""

from __future__ import annotations

from pathlib import Path

import pytest
from sheet_files import GOOD, csv_bytes, write_xlsx

from llgraph.config import Settings
from llgraph.errors import LoadError
from llgraph.load import parse_files
from llgraph.namespaces import ID
from llgraph.sheets import SheetsInvalid, import_sheets
from llgraph.sheets.cells import fiscal_year
from llgraph.sheets.match import NoMatch, code_lists, normalise
from llgraph.sheets.read import decode_csv, read_path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_encodings_are_detected(encoding: str) -> None:
    grid = [["id", "label_ja"], ["x", "長野県－オウル（情報通信）"]]
    text = decode_csv(csv_bytes(grid, encoding), Path("p.csv"))
    assert text.splitlines()[1] == "x,長野県－オウル（情報通信）"


def test_text_in_another_encoding_is_an_error() -> None:
    with pytest.raises(LoadError, match="not UTF-8 or CP932"):
        decode_csv("長野".encode("utf-16"), Path("p.csv"))


def test_empty_rows_are_skipped_and_rows_keep_their_numbers(tmp_path: Path) -> None:
    grid = [*GOOD["activities"], ["", "", "", "", ""], ["ll-x", "mission-dispatch", " 3 ", "", "s"]]
    (tmp_path / "activities.csv").write_bytes(csv_bytes(grid, "utf-8"))
    tables, problems, _ = read_path(tmp_path / "activities.csv")
    assert problems == []
    assert [row.number for row in tables[0].rows] == [2, 4]
    assert tables[0].rows[1].cells["times"] == "3"  # trailing spaces trimmed


def test_unknown_and_missing_columns_are_reported_in_row_1(tmp_path: Path) -> None:
    grid = [["partnership", "activty_type", "source"], ["ll-x", "mission-dispatch", "s"]]
    (tmp_path / "activities.csv").write_bytes(csv_bytes(grid, "utf-8"))
    _, problems, _ = read_path(tmp_path / "activities.csv")
    assert [(p.row, p.column) for p in problems] == [(1, "activty_type"), (1, "activity_type")]


def test_a_csv_named_otherwise_is_recognised_by_its_headings(tmp_path: Path) -> None:
    grid = [[str(c).replace("–", "-") for c in row] for row in GOOD["partnerships"]]
    (tmp_path / "テーマ一覧.csv").write_bytes(csv_bytes(grid, "cp932"))
    tables, _, _ = read_path(tmp_path / "テーマ一覧.csv")
    assert tables[0].spec.name == "partnerships" and tables[0].sheet == "テーマ一覧"


def test_fiscal_years_as_people_write_them() -> None:
    assert [fiscal_year(t) for t in ("2004", "FY2004", "２００４", "H16", "平成16年度")] == [
        2004
    ] * 5
    assert fiscal_year("20x5") is None and fiscal_year("H99") is None


@pytest.fixture(scope="module")
def lists(settings):
    return code_lists(parse_files(settings.data_paths).graph)


def test_names_match_by_id_label_and_after_nfkc(lists) -> None:
    regions = lists["regions"]
    assert normalise("ＡＢＣ　１２") == "abc 12"
    for name in (
        "jp-nagano",
        "長野県",
        "nagano prefecture",
        "長野県 (jp-nagano)",
        " 長野県 ",
        "id:region/jp-nagano",
    ):
        assert regions.resolve(name) == ID["region/jp-nagano"], name
    assert lists["industries"].resolve("ll/metal-machining") == ID["industry/ll/metal-machining"]


def test_ambiguous_and_unknown_names_suggest_the_closest(lists) -> None:
    with pytest.raises(NoMatch, match=r"ambiguous.*環境 \(ll/environment\).*survey/environment"):
        lists["industries"].resolve("環境")
    with pytest.raises(NoMatch, match=r"did you mean スウェーデン \(se\)"):
        lists["overseas-regions"].resolve("スウエーデン")


def test_a_region_in_the_wrong_column_says_where_it_belongs(
    tmp_path: Path, settings: Settings
) -> None:
    sheets = {"partnerships": [list(r) for r in GOOD["partnerships"]]}
    sheets["partnerships"][1][4:6] = ["スウェーデン", "長野県"]
    with pytest.raises(SheetsInvalid) as exc:
        import_sheets(write_xlsx(tmp_path / "s.xlsx", sheets), tmp_path / "s.ttl", settings)
    messages = {p.column: p.message for p in exc.value.problems}
    assert messages["domestic_region"].endswith("('スウェーデン' belongs in overseas_region)")
    assert messages["overseas_region"].endswith("('長野県' belongs in domestic_region)")
