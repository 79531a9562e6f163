"""RDF files → one rdflib Graph with the file of each subject (errors name the file and line),
and the manifest of the files' contents; ``project.py`` validates and swaps it into a store."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

import pyoxigraph as ox
from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node
from tqdm import tqdm

from llgraph.errors import LoadError
from llgraph.store.terms import from_ox

__all__ = [
    "LoadedData",
    "Manifest",
    "expand_paths",
    "file_manifest",
    "manifest_digest",
    "note_subject",
    "parse_file",
    "parse_files",
]

RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig"}
#: Formats parsed as a stream by Oxigraph's parser (the others go through rdflib).
STREAMED = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
#: Show a progress bar on its own when the files add up to more than this (and on a TTY).
PROGRESS_BYTES = 16 * 1024 * 1024

#: One entry per file: {"path", "size", "mtime_ns", "sha256"}.
Manifest = list[dict[str, Any]]


@dataclass
class LoadedData:
    """The parsed data plus, for every subject, the file it was written in."""

    graph: Graph
    files: list[Path]
    origin: dict[Node, Path] = field(default_factory=dict)
    #: The other files that also state something about a subject (rare: usually none).
    also: dict[Any, set[Path]] = field(default_factory=dict)

    def file_of(self, node: Node | None) -> Path | None:
        """The file a subject was first written in, if known."""
        return None if node is None else self.origin.get(node)


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


class _Progress:
    """A binary file whose reads advance a progress bar."""

    def __init__(self, file: BinaryIO, bar: tqdm) -> None:
        self.file, self.bar = file, bar

    def read(self, size: int = -1) -> bytes:
        chunk = self.file.read(size if size > 0 else 1 << 20)
        self.bar.update(len(chunk))
        return chunk


def note_subject(
    origin: dict[Any, Path], also: dict[Any, set[Path]], subject: Any, path: Path
) -> None:
    """Record that ``path`` states something about ``subject`` (first file, other files)."""
    if origin.setdefault(subject, path) is not path:
        also.setdefault(subject, set()).add(path)


def _stream(
    path: Path, into: Graph, origin: dict[Any, Path], also: dict[Any, set[Path]], bar: tqdm | None
) -> None:
    """Parse ``path`` triple by triple with Oxigraph's streaming parser."""
    options: dict[str, Any] = {"format": STREAMED[path.suffix], "base_iri": path.resolve().as_uri()}
    try:
        with path.open("rb") as file:
            # Oxigraph's parser only calls read(): a _Progress serves as the file
            source = cast(IO[bytes], _Progress(file, bar)) if bar is not None else file
            for triple in ox.parse(input=source, **options):
                subject = from_ox(triple.subject)
                into.add((subject, from_ox(triple.predicate), from_ox(triple.object)))
                note_subject(origin, also, subject, path)
    except SyntaxError as exc:
        message = str(exc.msg).split(": ", 1)[-1] if exc.msg else str(exc)
        raise LoadError(path, f"syntax error: {message}", line=exc.lineno) from exc


def parse_file(
    path: Path,
    into: Graph,
    origin: dict[Any, Path],
    bar: tqdm | None = None,
    *,
    also: dict[Any, set[Path]] | None = None,
) -> None:
    """Parse one RDF file into ``into``, noting in ``origin`` the file of each new subject
    (and in ``also`` the further files of subjects already seen).

    Turtle and N-Triples are parsed as a stream (the file is never held whole in memory);
    a syntax error becomes a :class:`LoadError` naming the file and line.
    """
    fmt = RDF_SUFFIXES.get(path.suffix)
    if fmt is None:
        raise LoadError(path, f"unknown RDF file type {path.suffix!r}: use .ttl, .nt, .nq or .trig")
    if path.suffix in STREAMED:
        _stream(path, into, origin, {} if also is None else also, bar)
        return
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
    for subject in part.subjects(unique=True):
        note_subject(origin, {} if also is None else also, subject, path)
    if bar is not None:
        bar.update(path.stat().st_size)


def _progress_bar(files: Sequence[Path], progress: bool | None) -> tqdm | None:
    total = sum(p.stat().st_size for p in files)
    if progress is None:
        progress = sys.stderr.isatty() and total > PROGRESS_BYTES
    if not progress:
        return None
    return tqdm(total=total, unit="B", unit_scale=True, desc="parsing", file=sys.stderr)


def parse_files(paths: Sequence[Path | str], *, progress: bool | None = None) -> LoadedData:
    """Parse every file into one graph, remembering where each subject came from.

    ``progress``: show a progress bar on stderr (``None``: only on a TTY for big loads).
    """
    files = expand_paths(paths)
    graph = Graph()
    origin: dict[Node, Path] = {}
    also: dict[Any, set[Path]] = {}
    bar = _progress_bar(files, progress)
    try:
        for path in files:
            parse_file(path, graph, origin, bar, also=also)
    finally:
        if bar is not None:
            bar.close()
    return LoadedData(graph=graph, files=files, origin=origin, also=also)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def file_manifest(files: Iterable[Path], previous: Manifest | None = None) -> Manifest:
    """Size, mtime and content hash of each file; unchanged size and mtime reuse ``previous``."""
    known = {entry["path"]: entry for entry in previous or []}
    manifest = []
    for path in files:
        stat = path.stat()
        entry = {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        old = known.get(entry["path"])
        if old and (old["size"], old["mtime_ns"]) == (entry["size"], entry["mtime_ns"]):
            entry["sha256"] = old["sha256"]
        else:
            entry["sha256"] = _sha256(path)
        manifest.append(entry)
    return manifest


def manifest_digest(manifest: Manifest) -> str:
    """A short digest of the files' contents, in order (names and mtimes do not count)."""
    digest = hashlib.sha256()
    for entry in manifest:
        digest.update(entry["sha256"].encode())
    return digest.hexdigest()[:16]
