"""Settings from command-line flags and LLGRAPH_* environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from llgraph.errors import LLGraphError

__all__ = ["DEFAULT_BASE_URI", "PROJECT_ROOT", "Settings"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BASE_URI = "https://w3id.org/llgraph/"


def _paths(value: str) -> tuple[Path, ...]:
    return tuple(Path(p) for p in value.split(os.pathsep) if p)


@dataclass(frozen=True)
class Settings:
    """Everything a run of llgraph is configured by; build it with :meth:`from_env`."""

    data_paths: tuple[Path, ...] = (PROJECT_ROOT / "data" / "ttl",)
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    queries_dir: Path = PROJECT_ROOT / "queries"
    store: str = "oxigraph"
    host: str = "127.0.0.1"
    port: int = 8000
    base_uri: str = DEFAULT_BASE_URI
    query_timeout: float = 30.0
    result_limit: int = 100_000
    #: HTTP worker processes of ``llgraph serve`` (0: one per core).
    workers: int = 0
    #: Queries one HTTP worker runs at once (its query processes), and one client may run.
    query_workers: int = 16
    client_queries: int = 2
    #: Proxies whose X-Forwarded-For/-Proto headers are believed (comma-separated
    #: addresses, ``*`` for any); none by default, so a client cannot forge them.
    forwarded_allow_ips: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read LLGRAPH_* variables, then apply explicit overrides (flags win)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if "LLGRAPH_DATA" in env:
            values["data_paths"] = _paths(env["LLGRAPH_DATA"])
        if "LLGRAPH_ONTOLOGY" in env:
            values["ontology_dir"] = Path(env["LLGRAPH_ONTOLOGY"])
        if "LLGRAPH_QUERIES" in env:
            values["queries_dir"] = Path(env["LLGRAPH_QUERIES"])
        for key, cast in (
            ("store", str),
            ("host", str),
            ("port", int),
            ("base_uri", str),
            ("query_timeout", float),
            ("result_limit", int),
            ("workers", int),
            ("query_workers", int),
            ("client_queries", int),
            ("forwarded_allow_ips", str),
        ):
            name = f"LLGRAPH_{key.upper()}"
            if name in env:
                try:
                    values[key] = cast(env[name])
                except ValueError:
                    raise LLGraphError(
                        f"{name}={env[name]!r} is not a valid {cast.__name__}"
                    ) from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)

    @property
    def ontology_files(self) -> list[Path]:
        """The ontology and vocabulary files (everything but the shapes)."""
        return sorted(p for p in self.ontology_dir.glob("*.ttl") if not p.name.startswith("shapes"))

    @property
    def shapes_files(self) -> list[Path]:
        """The SHACL shapes files."""
        return sorted(self.ontology_dir.glob("shapes*.ttl"))
