"""The `llgraph` command: its subcommands, exit codes, and errors as one-line messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from llgraph.cli import build_parser, main
from llgraph.config import PROJECT_ROOT

COMMANDS = ("validate", "load", "stats", "openapi", "serve", "query", "centrality", "export")


def test_help_lists_every_command_and_the_default_store(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["--help"])
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert all(f" {name} " in out for name in COMMANDS)
    assert "default: oxigraph (in memory" in out


def test_validate_the_data_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "conforms" in capsys.readouterr().out


def test_llgraph_load_twice_reads_unchanged_data_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}"
    assert main(["--store", spec, "load", "--no-progress"]) == 0
    assert "— loaded: oxigraph store" in capsys.readouterr().out
    assert main(["--store", spec, "load"]) == 0
    assert "unchanged, not re-read" in capsys.readouterr().out


def test_llgraph_load_names_the_file_and_line_of_a_syntax_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\n\nex:a ex:b .\n", encoding="utf-8")
    assert main(["load", str(bad)]) == 2
    assert f"{bad}:3: syntax error" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--store", "nosuch", "stats"], "nosuch"),
        (["load", "no/such/dir"], "no such file or directory"),
        (["query", "no-such-query"], "no named query 'no-such-query'"),
        (["centrality", "--level", "galaxy"], "unknown region level 'galaxy'"),
    ],
)
def test_errors_are_one_line_messages_with_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("llgraph: error: ") and message in err
    assert "Traceback" not in err


def test_openapi_prints_the_published_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi"]) == 0
    published = (PROJECT_ROOT / "api" / "openapi.json").read_text(encoding="utf-8")
    assert capsys.readouterr().out == published
