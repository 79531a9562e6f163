"""Loading Turtle: stable file order, subjects remember their file, errors are located."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from llgraph.config import Settings
from llgraph.errors import LoadError
from llgraph.load import expand_paths, parse_files
from llgraph.namespaces import ID, LLO, RDF

GOOD = """@prefix llo: <https://w3id.org/llgraph/ontology#> .
<https://w3id.org/llgraph/id/region/jp> a llo:DomesticRegion .
"""


def test_data_directory_expands_to_every_turtle_file(settings: Settings) -> None:
    files = expand_paths(settings.data_paths)
    names = [p.name for p in files]
    assert names == sorted(names)
    assert {"regions.ttl", "industries.ttl", "partnerships-ll.ttl", "partnerships-rit.ttl"} <= set(
        names
    )


def test_subjects_remember_the_file_they_were_written_in(settings: Settings) -> None:
    data = parse_files(settings.data_paths)
    assert len(data.graph) > 5000
    assert data.file_of(ID["partnership/ll-suwa-dalian"]).name == "partnerships-ll.ttl"
    assert data.file_of(ID["region/jp-nagano"]).name == "regions.ttl"
    assert data.file_of(ID["success-factor/5"]).name == "success-factors.ttl"
    assert (ID["partnership/rit-iwate-dalian"], RDF.type, LLO.Partnership) in data.graph


def test_files_are_merged_into_one_graph(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(
        GOOD.replace("region/jp>", "region/cn>").replace("Domestic", "Overseas"), encoding="utf-8"
    )
    data = parse_files([tmp_path])
    assert len(data.graph) == 2
    assert data.file_of(URIRef(ID["region/cn"])) == tmp_path / "b.ttl"


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(GOOD + "\n<x> <y> .\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        parse_files([bad])
    assert info.value.path == bad and info.value.line == 4
    assert str(info.value).startswith(f"{bad}:4: ")
    assert "syntax error" in str(info.value)


def test_missing_path_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file or directory"):
        parse_files([tmp_path / "missing.ttl"])


def test_unknown_suffix_is_a_load_error(tmp_path: Path) -> None:
    odd = tmp_path / "data.rdfx"
    odd.write_text(GOOD, encoding="utf-8")
    with pytest.raises(LoadError, match="unknown RDF file type"):
        parse_files([odd])


def test_non_utf8_file_is_a_load_error(tmp_path: Path) -> None:
    latin = tmp_path / "latin.ttl"
    latin.write_bytes(GOOD.encode() + '"é"'.encode("latin-1"))
    with pytest.raises(LoadError):
        parse_files([latin])
