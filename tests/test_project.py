"""Incremental re-validation finds what a full validation finds, on the real data."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from llgraph.config import PROJECT_ROOT, Settings
from llgraph.load import LoadedData, parse_files
from llgraph.project import revalidate, shapes_are_local
from llgraph.validate import validate_data

SUWA = "region:jp-nagano-suwa-area a llo:DomesticRegion ;"


@pytest.fixture(scope="module")
def graphs(settings: Settings) -> tuple[Graph, Graph]:
    """The shapes and the ontology."""
    return parse_files(settings.shapes_files).graph, parse_files(settings.ontology_files).graph


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """A copy of data/ttl to edit."""
    for path in (PROJECT_ROOT / "data" / "ttl").glob("*.ttl"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    return tmp_path


def _validated(copied: Path, graphs: tuple[Graph, Graph]) -> LoadedData:
    data = parse_files([copied])
    assert validate_data(data, *graphs).conforms
    return data


def test_shapes_are_local(graphs: tuple[Graph, Graph]) -> None:
    assert shapes_are_local(graphs[0])
    sequence = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> ."
        "ex:S a sh:NodeShape ; sh:property [ sh:path ( ex:a ex:b ex:c ) ; sh:minCount 1 ] .",
        format="turtle",
    )
    assert not shapes_are_local(sequence)


def test_an_edited_label_revalidates_quickly(copied: Path, graphs: tuple[Graph, Graph]) -> None:
    data = _validated(copied, graphs)
    size = len(data.graph)
    regions = copied / "regions.ttl"
    regions.write_text(
        regions.read_text(encoding="utf-8").replace('"Suwa area"@en', '"Suwa Area"@en'),
        encoding="utf-8",
    )
    started = time.perf_counter()
    data, report = revalidate(data, [regions], *graphs)
    assert time.perf_counter() - started < 5
    assert report.conforms and report.triples == len(data.graph) == size
    assert (None, None, Literal("Suwa Area", lang="en")) in data.graph


def test_revalidation_finds_what_full_validation_finds(
    copied: Path, graphs: tuple[Graph, Graph]
) -> None:
    data = _validated(copied, graphs)
    regions = copied / "regions.ttl"
    text = regions.read_text(encoding="utf-8")
    assert SUWA in text
    # no longer a region: every partnership that names it as its domestic region breaks
    regions.write_text(text.replace(SUWA, "region:jp-nagano-suwa-area a llo:Phase ;"))
    data, report = revalidate(data, [regions], *graphs)
    full = validate_data(parse_files([copied]), *graphs)
    assert not report.conforms and not full.conforms
    assert {(p.focus, p.path) for p in report.problems} == {
        (p.focus, p.path) for p in full.problems
    }
    assert any("ll-suwa-dalian" in p.focus for p in report.problems)


def test_revalidation_keeps_what_other_files_state(
    copied: Path, graphs: tuple[Graph, Graph]
) -> None:
    """A subject of the edited file that another file also describes keeps both."""
    data = _validated(copied, graphs)
    hokkaido = URIRef("https://w3id.org/llgraph/id/region/jp-bureau-hokkaido")
    stated = set(data.graph.triples((hokkaido, None, None)))
    assert data.also[hokkaido] == {copied / "survey-codes.ttl"}
    regions = copied / "regions.ttl"
    regions.write_text(
        regions.read_text(encoding="utf-8").replace('"Suwa area"@en', '"Suwa Area"@en'),
        encoding="utf-8",
    )
    data, report = revalidate(data, [regions], *graphs)
    assert report.conforms
    assert set(data.graph.triples((hokkaido, None, None))) == stated
    assert data.origin[hokkaido] == regions
    assert data.also[hokkaido] == {copied / "survey-codes.ttl"}


def test_revalidation_checks_an_observation_against_a_structure_elsewhere(
    copied: Path, graphs: tuple[Graph, Graph]
) -> None:
    """The Data Cube constraints (SPARQL) read a structure three hops away: whole graph."""
    table = copied / "survey-obstacles.ttl"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(next(line for line in lines if line.startswith("obs:all-it ")))
    header = "".join(line for line in lines if line.startswith("@prefix"))
    observation = copied / "survey-obstacles-all-it.ttl"  # the same table, split in two files
    observation.write_text(header + "".join(lines[start : start + 3]), encoding="utf-8")
    table.write_text("".join(lines[:start] + lines[start + 3 :]), encoding="utf-8")
    data = _validated(copied, graphs)
    observation.write_text(
        observation.read_text(encoding="utf-8").replace("llo:surveyIndustry si:it ;", ""),
        encoding="utf-8",
    )
    data, report = revalidate(data, [observation], *graphs)
    full = validate_data(parse_files([copied]), *graphs)
    assert not report.conforms
    assert [str(p) for p in report.problems] == [str(p) for p in full.problems]
    assert "needs exactly one value of https://w3id.org/llgraph/ontology#surveyIndustry" in str(
        report
    )


def test_llgraph_load_twice_reads_unchanged_data_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from llgraph.cli import main

    spec = f"oxigraph:{tmp_path / 'store'}"
    assert main(["--store", spec, "load", "--no-progress"]) == 0
    assert "— loaded: oxigraph store" in capsys.readouterr().out
    assert main(["--store", spec, "load"]) == 0
    assert "unchanged, not re-read" in capsys.readouterr().out


def test_llgraph_load_names_the_file_and_line_of_a_syntax_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from llgraph.cli import main

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\n\nex:a ex:b .\n", encoding="utf-8")
    assert main(["load", str(bad)]) == 2
    assert f"{bad}:3: syntax error" in capsys.readouterr().err
