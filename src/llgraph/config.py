"""Settings from command-line flags and LLGRAPH_* environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from llgraph.errors import LLGraphError

__all__ = ["DEFAULT_BASE_URI", "PROJECT_ROOT", "Settings"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BASE_URI = "https://w3id.org/llgraph/"

#: The variables whose name is not ``LLGRAPH_`` + the setting's name in capitals.
_VARIABLES = {
    "data_paths": "LLGRAPH_DATA",
    "ontology_dir": "LLGRAPH_ONTOLOGY",
    "queries_dir": "LLGRAPH_QUERIES",
}


class Settings(BaseModel):
    """Everything a run of llgraph is configured by; build it with :meth:`from_env`.

    pydantic casts and checks the values (pydantic-settings would read only
    ``os.environ``; tests and the server's workers pass a mapping of their own).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Turtle files or folders, ``os.pathsep``-separated in LLGRAPH_DATA.
    data_paths: tuple[Path, ...] = (PROJECT_ROOT / "data" / "ttl",)
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    queries_dir: Path = PROJECT_ROOT / "queries"
    store: str = "oxigraph"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    base_uri: str = DEFAULT_BASE_URI
    query_timeout: float = Field(30.0, gt=0)
    result_limit: int = Field(100_000, ge=1)
    #: HTTP worker processes of ``llgraph serve`` (0: one per core).
    workers: int = Field(0, ge=0)
    #: Queries one HTTP worker runs at once (its query processes), and one client may run.
    query_workers: int = Field(16, ge=1)
    client_queries: int = Field(2, ge=1)
    #: Proxies whose X-Forwarded-For/-Proto headers are believed (comma-separated
    #: addresses, ``*`` for any); none by default, so a client cannot forge them.
    forwarded_allow_ips: str = ""

    @field_validator("data_paths", mode="before")
    @classmethod
    def _split_paths(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(Path(p) for p in value.split(os.pathsep) if p)
        return value

    @classmethod
    def variable(cls, name: str) -> str:
        """The environment variable that sets ``name``."""
        return _VARIABLES.get(name, f"LLGRAPH_{name.upper()}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read LLGRAPH_* variables, then apply explicit overrides (flags win; None is unset)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            name: env[cls.variable(name)] for name in cls.model_fields if cls.variable(name) in env
        }
        given = {k: v for k, v in overrides.items() if v is not None}
        return cls._checked({**values, **given}, set(values) - set(given))

    def replace(self, **changes: object) -> Settings:
        """A copy with ``changes`` (None leaves a setting as it is), checked like the rest."""
        given = {k: v for k, v in changes.items() if v is not None}
        return self._checked({**dict(self), **given}, set())

    @classmethod
    def _checked(cls, values: dict[str, object], from_env: set[str]) -> Settings:
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            error = exc.errors()[0]
            name = str(error["loc"][0]) if error["loc"] else ""
            given = f"{cls.variable(name)}={values.get(name)!r}" if name in from_env else name
            raise LLGraphError(f"{given}: {error['msg']}") from None

    @property
    def ontology_files(self) -> list[Path]:
        """The ontology and vocabulary files (everything but the shapes)."""
        return sorted(p for p in self.ontology_dir.glob("*.ttl") if not p.name.startswith("shapes"))

    @property
    def shapes_files(self) -> list[Path]:
        """The SHACL shapes files."""
        return sorted(self.ontology_dir.glob("shapes*.ttl"))
