"""Settings: LLGRAPH_* variables, flags over variables, and clear errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from llgraph.config import Settings
from llgraph.errors import LLGraphError


def test_variables_are_read_and_typed() -> None:
    settings = Settings.from_env(
        {"LLGRAPH_PORT": "8123", "LLGRAPH_QUERY_TIMEOUT": "2.5", "LLGRAPH_DATA": "a:b"}
    )
    assert settings.port == 8123
    assert settings.query_timeout == 2.5
    assert settings.data_paths == (Path("a"), Path("b"))


def test_flags_win_over_variables() -> None:
    settings = Settings.from_env({"LLGRAPH_STORE": "memory"}, store="oxigraph", port=None)
    assert settings.store == "oxigraph"
    assert settings.port == Settings().port


def test_a_malformed_variable_names_itself() -> None:
    with pytest.raises(LLGraphError, match="LLGRAPH_PORT='abc'"):
        Settings.from_env({"LLGRAPH_PORT": "abc"})


def test_values_out_of_range_are_refused_with_the_variable() -> None:
    with pytest.raises(LLGraphError, match="LLGRAPH_QUERY_TIMEOUT='0'"):
        Settings.from_env({"LLGRAPH_QUERY_TIMEOUT": "0"})
    with pytest.raises(LLGraphError, match="port: Input should be less than or equal to 65535"):
        Settings.from_env({}, port=70000)


def test_replace_checks_and_keeps_what_is_unset() -> None:
    settings = Settings.from_env({"LLGRAPH_PORT": "8123"})
    assert settings.replace(host="::1", port=None).port == 8123
    with pytest.raises(LLGraphError, match="result_limit"):
        settings.replace(result_limit=0)
