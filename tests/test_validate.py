"""`llgraph validate`: the data conforms; each broken fixture fails on its shape, located."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from llgraph.cli import main
from llgraph.config import Settings
from llgraph.errors import LoadError
from llgraph.load import parse_files
from llgraph.namespaces import QB, SKOS
from llgraph.validate import ValidationReport, validate_data, validate_paths

BROKEN = Path(__file__).parent / "fixtures" / "broken"
SYNTAX_ERROR = BROKEN / "syntax-error.ttl"

# fixture stem → (the property the problem is reported on, words of the shape's message)
EXPECTED = {
    "partnership-no-domestic-region": ("llo:domesticRegion", "needs llo:domesticRegion"),
    "partnership-no-overseas-region": ("llo:overseasRegion", "needs llo:overseasRegion"),
    "partnership-no-programme": ("llo:programme", "exactly one llo:programme"),
    "partnership-no-industry": ("llo:industry", "needs llo:industry"),
    "partnership-no-year": (
        "(llo:startFiscalYear|llo:fiscalYear)",
        "llo:startFiscalYear or at least one llo:fiscalYear",
    ),
    "partnership-domestic-region-overseas": ("llo:domesticRegion", "a llo:DomesticRegion"),
    "industry-outside-schemes": ("llo:industry", "a llo:Industry"),
    "activity-count-zero": ("llo:numberOfTimes", "positive integer"),
    "activity-count-untyped": ("llo:numberOfTimes", "xsd:positiveInteger"),
    "label-without-language": ("rdfs:label", "without a language tag"),
    "label-missing-en": ("rdfs:label", "Missing English label"),
    "missing-source": ("dcterms:source", "needs dcterms:source"),
    "fiscal-year-not-gyear": ("llo:startFiscalYear", "xsd:gYear"),
    "end-before-start": ("", "is before llo:startFiscalYear"),
    "prefecture-code-bad": ("llo:prefectureCode", "two-digit JIS X 0401"),
    "prefecture-code-missing": ("", "A prefecture needs llo:prefectureCode"),
    "country-code-bad": ("llo:countryCode", "ISO 3166-1 alpha-2"),
    "region-both-sides": ("", "exactly one of llo:DomesticRegion and llo:OverseasRegion"),
    "success-factor-no-phase": ("llo:phase", "exactly one llo:phase"),
    "cited-example-no-region": ("llo:region", "exactly one llo:region"),
    "outcome-no-english-description": ("schema:description", "in English (@en)"),
    "membership-no-role": ("org:role", "exactly one org:role"),
    "survey-valid-exceeds-sent": ("llo:numberOfValidResponses", "no more than llo:numberSent"),
    "finding-no-section": ("dcterms:source", "analysis step needs dcterms:source"),
}


def _fixtures() -> list[Path]:
    return sorted(p for p in BROKEN.glob("*.ttl") if p != SYNTAX_ERROR)


@pytest.fixture(scope="module")
def broken_report(settings: Settings) -> ValidationReport:
    """One validation of the real data plus every broken fixture (each has its own focus node)."""
    _, report = validate_paths(
        [*settings.data_paths, *_fixtures()], settings.shapes_files, settings.ontology_files
    )
    return report


def test_every_fixture_has_an_expectation() -> None:
    assert {p.stem for p in _fixtures()} == set(EXPECTED)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_broken_fixture_is_rejected_by_its_shape(
    broken_report: ValidationReport, stem: str
) -> None:
    path, words = EXPECTED[stem]
    problems = [p for p in broken_report.problems if p.file and Path(p.file).name == f"{stem}.ttl"]
    assert problems, f"{stem}.ttl was not rejected"
    assert all(f"broken-{stem}" in p.focus for p in problems)
    assert all(p.line for p in problems), "every problem names the line of its focus node"
    if stem == "industry-outside-schemes":  # also caught by the scheme check on the same node
        outside = [p for p in problems if "outside the industry schemes" in p.message]
        assert [p.value for p in outside] == ["<https://w3id.org/llgraph/id/phase/action>"]
        assert str(outside[0]).endswith(
            "llo:industry <https://w3id.org/llgraph/id/phase/action>: " + outside[0].message
        )
    assert any(p.path == path and words in p.message for p in problems), problems
    line = next(str(p) for p in problems if words in p.message)
    assert f"{stem}.ttl:" in line and f"broken-{stem}" in line and words in line


def test_problems_come_only_from_the_fixtures(broken_report: ValidationReport) -> None:
    assert not broken_report.conforms
    files = {Path(p.file).parent if p.file else None for p in broken_report.problems}
    assert files == {BROKEN}, "the real data must stay clean while the fixtures fail"


def test_validate_command_passes_on_the_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("conforms:") and "no problems" in out


def test_validate_command_fails_with_a_report(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = BROKEN / "partnership-no-domestic-region.ttl"
    assert main(["validate", *map(str, settings.data_paths), str(fixture)]) == 1
    err = capsys.readouterr().err
    first, *_, last = err.strip().splitlines()
    assert "partnership-no-domestic-region.ttl:" in first
    assert "llo:domesticRegion" in first and "needs llo:domesticRegion" in first
    assert last.startswith("1 problem(s) in ")


def test_syntax_error_names_file_and_line() -> None:
    with pytest.raises(LoadError) as info:
        validate_paths([SYNTAX_ERROR], [], [])
    assert Path(info.value.path) == SYNTAX_ERROR
    assert info.value.line == 7
    assert str(info.value).startswith(f"{SYNTAX_ERROR}:7: ")


def test_validate_command_exit_code_on_syntax_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SYNTAX_ERROR)]) == 2
    assert "syntax-error.ttl:7:" in capsys.readouterr().err


def test_validate_command_exit_code_on_missing_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no-such-file.ttl"]) == 2
    assert "no-such-file.ttl: no such file or directory" in capsys.readouterr().err


def test_problem_in_a_file_with_prefixes_names_its_line(settings: Settings, tmp_path: Path) -> None:
    text = (BROKEN / "missing-source.ttl").read_text(encoding="utf-8")
    iri = "<https://w3id.org/llgraph/id/partnership/broken-missing-source>"
    prefixed = tmp_path / "prefixed.ttl"
    prefixed.write_text(
        "@prefix pship: <https://w3id.org/llgraph/id/partnership/> .\n"
        + text.replace(iri, "pship:broken-missing-source"),
        encoding="utf-8",
    )
    _, report = validate_paths(
        [*settings.data_paths, prefixed], settings.shapes_files, settings.ontology_files
    )
    expected = 2 + next(i for i, line in enumerate(text.splitlines()) if line.startswith(iri))
    assert [(p.line, p.path) for p in report.problems] == [(expected, "dcterms:source")]


def test_paths_are_written_as_sparql_paths(settings: Settings) -> None:
    """Sequence and alternative paths read as in SPARQL, not as blank nodes."""
    data = parse_files(settings.data_paths)
    industry = URIRef("https://w3id.org/llgraph/id/industry/ll/food")
    data.graph.add((industry, SKOS.exactMatch, URIRef("https://w3id.org/llgraph/id/phase/action")))
    structure = URIRef("https://w3id.org/llgraph/id/dataset/survey-obstacles/structure")
    for spec in list(data.graph.objects(structure, QB.component)):
        if (spec, QB.measure, None) in data.graph:
            data.graph.remove((structure, QB.component, spec))
    shapes = parse_files(settings.shapes_files).graph
    report = validate_data(data, shapes, parse_files(settings.ontology_files).graph)
    paths = {(p.focus, p.path) for p in report.problems}
    assert (
        "<https://w3id.org/llgraph/id/industry/ll/food>",
        "(skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch|skos:relatedMatch)",
    ) in paths
    assert (f"<{structure}>", "qb:component/qb:measure") in paths


def test_validation_leaves_the_data_as_it_was(settings: Settings) -> None:
    """The ontology's axioms are added for the run only (pyshacl is not given a copy)."""
    data = parse_files([BROKEN / "end-before-start.ttl"])
    before = set(data.graph)
    shapes = parse_files(settings.shapes_files).graph
    report = validate_data(data, shapes, parse_files(settings.ontology_files).graph)
    assert any("is before llo:startFiscalYear" in p.message for p in report.problems)
    assert set(data.graph) == before


def test_shapes_with_rules_are_refused(settings: Settings, tmp_path: Path) -> None:
    shapes = tmp_path / "rules.ttl"
    shapes.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:shape> a sh:NodeShape ; sh:targetClass <https://w3id.org/llgraph/ontology#Partnership> ;
    sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate <urn:p> ; sh:object sh:this ] .
""",
        encoding="utf-8",
    )
    with pytest.raises(LoadError, match="sh:rule"):
        validate_paths([BROKEN / "missing-source.ttl"], [shapes], settings.ontology_files)


def test_unusable_shapes_are_a_load_error(settings: Settings, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:shape> a sh:NodeShape ; sh:targetClass <https://w3id.org/llgraph/ontology#Partnership> ;
    sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } }" ] .
""",
        encoding="utf-8",
    )
    with pytest.raises(LoadError, match="shapes cannot be used"):
        validate_paths([BROKEN / "missing-source.ttl"], [shapes], settings.ontology_files)
