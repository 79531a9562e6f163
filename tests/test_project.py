"""Load + validate + swap into a store: `llgraph load` reads unchanged data once, and
names the file and line of an error."""

from __future__ import annotations

from pathlib import Path

import pytest


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
