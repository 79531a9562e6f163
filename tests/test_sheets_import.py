"""``llgraph import``: good and bad sheets, every problem located, stable output."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import Graph, Literal, URIRef
from sheet_files import GOOD, SOURCE, set_cached_value, write_csvs, write_xlsx

from llgraph.cli import main
from llgraph.config import Settings
from llgraph.namespaces import DCTERMS, ID, LLO, PROV, RDF, RDFS, SCHEMA, XSD
from llgraph.sheets import SheetsInvalid, import_sheets

PARTNERSHIP = ID["partnership/ll-nagano-oulu"]
LINE = re.compile(r"^(?P<file>[^:]+):(?P<sheet>[^:]+):(?P<row>\d+):(?P<column>[\w#]+): .+$")


def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _cells(exc: pytest.ExceptionInfo[SheetsInvalid]) -> dict[tuple[str, int, str], str]:
    return {(p.sheet, p.row, p.column): p.message for p in exc.value.problems}  # type: ignore[union-attr]


def test_a_good_workbook_becomes_turtle_with_sources_and_rows(
    tmp_path: Path, settings: Settings
) -> None:
    out = tmp_path / "new.ttl"
    result = import_sheets(write_xlsx(tmp_path / "good.xlsx", GOOD), out, settings)
    graph = _graph(out)
    assert result.counts["llo:Partnership"] == 1 and result.unchanged == 0
    assert graph.value(PARTNERSHIP, LLO.startFiscalYear) == Literal("2005", datatype=XSD.gYear)
    assert graph.value(PARTNERSHIP, LLO.endFiscalYear) == Literal("2007", datatype=XSD.gYear)
    assert graph.value(PARTNERSHIP, LLO.overseasRegion) == ID["region/fi-oulu"]
    assert graph.value(PARTNERSHIP, LLO.domesticRegion) == ID["region/jp-nagano"]
    assert graph.value(PARTNERSHIP, LLO.industry) == ID["industry/ll/it"]
    source = graph.value(PARTNERSHIP, DCTERMS.source)
    assert graph.value(source, DCTERMS.bibliographicCitation) == Literal(SOURCE)
    row = graph.value(PARTNERSHIP, PROV.wasDerivedFrom)
    assert str(graph.value(row, RDFS.label)) == "good.xlsx:partnerships:2"
    # a new region: its side follows its containment, a country is overseas unless JP
    assert (ID["region/fi-oulu"], RDF.type, LLO.OverseasRegion) in graph
    assert graph.value(ID["region/fi-oulu"], SCHEMA.containedInPlace) == ID["region/fi"]
    assert (
        ID["region/fi"],
        DCTERMS.source,
        ID["source/iso-3166-1"],
    ) not in graph  # cited as written
    organisation = ID["org/nagano-techno-foundation"]
    assert set(graph.objects(None, LLO.involvedOrganization)) == {organisation}
    membership = ID["membership/ll-nagano-oulu-nagano-techno-foundation"]
    assert (
        graph.value(membership, URIRef("http://www.w3.org/ns/org#role"))
        == ID["role/domestic-implementing-body"]
    )


def test_the_same_sheet_twice_gives_the_same_file(tmp_path: Path, settings: Settings) -> None:
    book = write_xlsx(tmp_path / "good.xlsx", GOOD)
    import_sheets(book, tmp_path / "a.ttl", settings)
    import_sheets(book, tmp_path / "b.ttl", settings)
    first = (tmp_path / "a.ttl").read_bytes()
    assert first == (tmp_path / "b.ttl").read_bytes()
    assert str(tmp_path).encode() not in first and b"\r" not in first


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_folders_in_each_encoding_give_one_file(
    tmp_path: Path, settings: Settings, encoding: str
) -> None:
    sheets = copy.deepcopy(GOOD)  # what Shift_JIS can hold: no en dash
    sheets["partnerships"][1][2] = "Nagano - Oulu, Finland (IT)"
    folder = write_csvs(tmp_path / encoding / "sheets", sheets, encoding)
    import_sheets(folder, tmp_path / encoding / "out.ttl", settings)
    reference = tmp_path / "reference"
    import_sheets(
        write_csvs(reference / "sheets", sheets, "utf-8"), reference / "out.ttl", settings
    )
    assert (tmp_path / encoding / "out.ttl").read_bytes() == (reference / "out.ttl").read_bytes()


def test_a_corrected_sheet_updates_rather_than_duplicates(
    tmp_path: Path, settings: Settings
) -> None:
    out = tmp_path / "new.ttl"
    with_out = Settings.from_env({}, data_paths=(*settings.data_paths, out))
    import_sheets(write_xlsx(tmp_path / "good.xlsx", GOOD), out, with_out)
    corrected = copy.deepcopy(GOOD)
    corrected["partnerships"][1][2] = "Nagano – Oulu (information technology)"
    import_sheets(write_xlsx(tmp_path / "good.xlsx", corrected), out, with_out)
    labels = set(_graph(out).objects(PARTNERSHIP, RDFS.label))
    assert Literal("Nagano – Oulu (information technology)", lang="en") in labels
    assert Literal("Nagano – Oulu, Finland (IT)", lang="en") not in labels


def test_an_id_left_empty_is_made_from_the_row(tmp_path: Path, settings: Settings) -> None:
    sheets = copy.deepcopy(GOOD)
    sheets["partnerships"][1][0] = ""
    for kind in ("institutions", "activities", "outcomes"):
        sheets[kind][1][0] = "長野県－フィンランド・オウル市（IT）"  # named by its label
    import_sheets(write_xlsx(tmp_path / "a.xlsx", sheets), tmp_path / "a.ttl", settings)
    made = ID["partnership/ll-jp-nagano-fi-oulu-it-2005"]
    assert (made, RDF.type, LLO.Partnership) in _graph(tmp_path / "a.ttl")
    assert (None, LLO.partnership, made) in _graph(tmp_path / "a.ttl")


def _bad_sheets() -> dict[str, list[list[object]]]:
    sheets = copy.deepcopy(GOOD)
    sheets["partnerships"] += [
        # row 3: an unknown region, an ambiguous industry, a year that is not one, no source
        ["ll-bad-one", "悪い例", "Bad one", "LL", "福島", "スウェーデン", "環境", "20x5", "", ""],
        # row 4: end before start (found by the shapes), no English label
        [
            "ll-bad-two",
            "悪い例２",
            "",
            "rit",
            "jp-fukushima",
            "se",
            "ll/it",
            "2006",
            "2003",
            SOURCE,
        ],
        # row 5: repeats a partnership of the report (regions, industry, years)
        [
            "ll-suwa-dalian-again",
            "諏訪－大連",
            "Suwa – Dalian",
            "LL",
            "jp-nagano-suwa-area; jp-suwa-city",
            "cn-dalian",
            "theme/metal-machining",
            "2004",
            "2006",
            SOURCE,
        ],
    ]
    sheets["activities"].append(["ll-nagano-oulu", "mission-dispatch", "0", "two", SOURCE])
    sheets["institutions"].append(["ll-nagano-oulu", "未知の機関", "", "", "国内実施主体", SOURCE])
    return sheets


def test_every_problem_names_its_sheet_row_and_column(tmp_path: Path, settings: Settings) -> None:
    out = tmp_path / "new.ttl"
    out.write_text("# the previous import\n")
    with pytest.raises(SheetsInvalid) as exc:
        import_sheets(write_xlsx(tmp_path / "bad.xlsx", _bad_sheets()), out, settings)
    cells = _cells(exc)
    assert set(cells) == {
        ("partnerships", 3, "domestic_region"),
        ("partnerships", 3, "industry"),
        ("partnerships", 3, "start_year"),
        ("partnerships", 3, "source"),
        ("partnerships", 4, "label_en"),
        ("partnerships", 4, "end_year"),
        ("partnerships", 5, "id"),
        ("activities", 3, "times"),
        ("activities", 3, "participants"),
        ("institutions", 3, "institution_en"),
    }
    assert "did you mean 福島県 (jp-fukushima)" in cells[("partnerships", 3, "domestic_region")]
    assert "ambiguous" in cells[("partnerships", 3, "industry")]
    assert "ll/environment" in cells[("partnerships", 3, "industry")]
    assert "'20x5' is not a fiscal year" in cells[("partnerships", 3, "start_year")]
    assert "end year is before the start year" in cells[("partnerships", 4, "end_year")]
    assert "ll-suwa-dalian" in cells[("partnerships", 5, "id")]
    assert cells[("activities", 3, "times")] == "'0': write a whole number from 1"
    assert "'two' is not a whole number" in cells[("activities", 3, "participants")]
    assert out.read_text() == "# the previous import\n"  # nothing written


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_bad_csv_files_are_located_alike(tmp_path: Path, settings: Settings, encoding: str) -> None:
    sheets = {
        k: [[str(c).replace("–", "-") for c in row] for row in v] for k, v in _bad_sheets().items()
    }
    folder = write_csvs(tmp_path / "sheets", sheets, encoding)
    with pytest.raises(SheetsInvalid) as exc:
        import_sheets(folder, tmp_path / "x.ttl", settings)
    problems = exc.value.problems
    assert {(p.file, p.row, p.column) for p in problems} >= {  # type: ignore[union-attr]
        ("partnerships.csv", 3, "domestic_region"),
        ("partnerships.csv", 4, "end_year"),
        ("activities.csv", 3, "times"),
    }
    assert len(problems) == 10


def test_the_cli_prints_file_sheet_row_column_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = write_xlsx(tmp_path / "bad.xlsx", _bad_sheets())
    assert main(["import", str(book), "--out", str(tmp_path / "x.ttl")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[-1] == "10 problem(s); nothing was written"
    assert all(LINE.match(line) for line in lines[:-1]), lines
    assert lines[0].startswith("bad.xlsx:activities:3:")
    assert not (tmp_path / "x.ttl").exists()


def test_an_exported_sheet_imports_as_nothing_new(tmp_path: Path, settings: Settings) -> None:
    book = tmp_path / "graph.xlsx"
    assert main(["export-sheet", "--out", str(book)]) == 0
    result = import_sheets(book, tmp_path / "same.ttl", settings)
    assert result.counts == {} and result.unchanged == 29


def test_merged_cells_empty_rows_spaces_and_full_width_digits(
    tmp_path: Path, settings: Settings
) -> None:
    sheets = copy.deepcopy(GOOD)
    sheets["activities"] = [
        sheets["activities"][0],
        ["ll-nagano-oulu ", "mission-dispatch", "２", "", SOURCE],
        ["", "", "", "", ""],
        ["", "expert-dispatch-survey", "1", "", ""],
    ]
    book = write_xlsx(tmp_path / "merged.xlsx", sheets)
    workbook = load_workbook(book)
    sheet = workbook["activities"]
    sheet.merge_cells("A2:A4")  # the partnership, written once for three rows
    sheet.merge_cells("E2:E4")  # the source likewise
    workbook.save(book)
    import_sheets(book, tmp_path / "m.ttl", settings)
    graph = _graph(tmp_path / "m.ttl")
    survey = ID["activity/ll-nagano-oulu-expert-dispatch-survey"]
    assert graph.value(survey, LLO.partnership) == PARTNERSHIP
    row = graph.value(survey, PROV.wasDerivedFrom)
    assert str(graph.value(row, RDFS.label)) == "merged.xlsx:activities:4"  # as the sheet numbers
    mission = ID["activity/ll-nagano-oulu-mission-dispatch"]
    assert graph.value(mission, LLO.numberOfTimes) == Literal("2", datatype=XSD.positiveInteger)


def test_formulas_use_their_computed_value_or_are_reported(
    tmp_path: Path, settings: Settings
) -> None:
    sheets = copy.deepcopy(GOOD)
    sheets["partnerships"][1][7] = "=2000+5"
    sheets["partnerships"][1][8] = "=2000+7"
    names = list(sheets)
    book = write_xlsx(tmp_path / "f.xlsx", sheets)
    set_cached_value(book, names.index("partnerships") + 1, "H2", "2005")
    with pytest.raises(SheetsInvalid) as exc:
        import_sheets(book, tmp_path / "f.ttl", settings)
    assert list(_cells(exc)) == [("partnerships", 2, "end_year")]
    assert "formula without a computed value" in _cells(exc)[("partnerships", 2, "end_year")]
    set_cached_value(book, names.index("partnerships") + 1, "I2", "2007")
    import_sheets(book, tmp_path / "f.ttl", settings)
    years = _graph(tmp_path / "f.ttl").value(PARTNERSHIP, LLO.endFiscalYear)
    assert years == Literal("2007", datatype=XSD.gYear)


def test_template_fill_import_then_query(
    tmp_path: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    template = tmp_path / "template.xlsx"
    assert main(["template", "--out", str(template)]) == 0
    book = load_workbook(template)
    options = {c[0].value: [x.value for x in c[1:]] for c in book["lists"].iter_cols()}
    programme = next(v for v in options["programmes"] if v.endswith("(ll)"))
    sweden = next(v for v in options["overseas-regions"] if v.endswith("(se)"))
    industry = next(v for v in options["industries"] if v.endswith("(ll/it)"))
    book["partnerships"].append(
        [
            "ll-nagano-sweden",
            "長野県－スウェーデン（IT）",
            "Nagano – Sweden (IT)",
            programme,
            "長野県 (jp-nagano)",
            sweden,
            industry,
            2005,
            None,
            None,
            SOURCE,
        ]
    )
    book.save(template)
    out = tmp_path / "imported.ttl"
    assert main(["import", str(template), "--out", str(out)]) == 0
    capsys.readouterr()
    data = os.pathsep.join([*(str(p) for p in settings.data_paths), str(out)])
    monkeypatch.setenv("LLGRAPH_DATA", data)
    assert (
        main(
            [
                "query",
                "partnerships-by-country",
                "--param",
                "country=id:region/se",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    answer = capsys.readouterr().out
    assert "partnership/ll-nagano-sweden" in answer and "ll-fukushima-sweden" in answer
