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
