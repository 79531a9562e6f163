"""Turtle files → one rdflib Graph (errors name the file and line) → the store, atomically."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from llgraph.errors import LoadError

__all__ = ["LoadedData", "expand_paths", "parse_files"]

RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig"}


@dataclass
class LoadedData:
    """The parsed data plus, for every subject, the file it was written in."""

    graph: Graph
    files: list[Path]
    origin: dict[URIRef, Path] = field(default_factory=dict)

    def file_of(self, node: object) -> Path | None:
        """The file a subject was first written in, if known."""
        return self.origin.get(node)  # type: ignore[call-overload]


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files named, plus the RDF files inside directories named, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in RDF_SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise LoadError(path, "no such file or directory")
    return found


def parse_file(path: Path, into: Graph) -> Graph:
    """Parse one RDF file into ``into``; a syntax error becomes a :class:`LoadError`."""
    fmt = RDF_SUFFIXES.get(path.suffix)
    if fmt is None:
        raise LoadError(path, f"unknown RDF file type {path.suffix!r}: use .ttl, .nt, .nq or .trig")
    part = Graph()
    try:
        part.parse(path, format=fmt)
    except BadSyntax as exc:
        raise LoadError(path, f"Turtle syntax error: {exc._why}", line=exc.lines + 1) from exc
    except UnicodeDecodeError as exc:
        raise LoadError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise LoadError(path, str(exc)) from exc
    into += part
    return part


def parse_files(paths: Sequence[Path | str]) -> LoadedData:
    """Parse every file into one graph, remembering where each subject came from."""
    files = expand_paths(paths)
    graph = Graph()
    origin: dict[URIRef, Path] = {}
    for path in files:
        part = parse_file(path, graph)
        for subject in part.subjects(unique=True):
            origin.setdefault(subject, path)  # type: ignore[arg-type]
    return LoadedData(graph=graph, files=files, origin=origin)
