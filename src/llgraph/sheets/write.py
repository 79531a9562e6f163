"""A graph as sorted, stable Turtle (the same triples give the same bytes), written atomically."""

from __future__ import annotations

import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from llgraph.errors import LoadError
from llgraph.namespaces import DCTERMS, ID, LLO, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

__all__ = ["turtle_text", "write_atomically"]

PREFIXES: dict[str, str] = {
    "llo": str(LLO),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "org": str(ORG),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "region": f"{ID}region/",
    "level": f"{ID}region-level/",
    "pship": f"{ID}partnership/",
    "prog": f"{ID}programme/",
    "indll": f"{ID}industry/ll/",
    "indsv": f"{ID}industry/survey/",
    "indth": f"{ID}industry/theme/",
    "inst": f"{ID}org/",
    "insttype": f"{ID}institution-type/",
    "role": f"{ID}role/",
    "member": f"{ID}membership/",
    "act": f"{ID}activity/",
    "acttype": f"{ID}activity-type/",
    "out": f"{ID}outcome/",
    "outtype": f"{ID}outcome-type/",
    "sec": f"{ID}report/jetro-2008/",
    "src": f"{ID}source/",
    "cited": f"{ID}source/cited/",
}
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?$")


#: The longest namespace first, so ``cited:`` wins over ``src:``.
_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda p: -len(p[1]))


@lru_cache(maxsize=65536)
def _iri(node: str) -> str:
    if node == str(RDF.type):
        return "a"
    for prefix, ns in _LONGEST_FIRST:
        if node.startswith(ns) and _LOCAL.match(node[len(ns) :]):
            return f"{prefix}:{node[len(ns) :]}"
    return f"<{node}>"


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return _iri(str(node))
    if isinstance(node, Literal):
        text = _quoted(str(node))
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None:
            return f"{text}^^{_term(node.datatype)}"
        return text
    raise ValueError(f"blank nodes are not written: {node!r}")


def _quoted(text: str) -> str:
    """A Turtle string literal (rdflib's escaping)."""
    return Literal(text).n3()


def turtle_text(graph: Graph, header: str) -> str:
    """``graph`` as Turtle: subjects, then predicates (``a`` first), then objects, sorted."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()]
    for subject in sorted(set(graph.subjects()), key=str):
        predicates = sorted(set(graph.predicates(subject)), key=lambda p: (p != RDF.type, str(p)))
        body = []
        for predicate in predicates:
            objects = sorted(_term(o) for o in graph.objects(subject, predicate))
            body.append(f"    {_term(predicate)} " + " ,\n        ".join(objects))
        lines.append(f"\n{_term(subject)}\n" + " ;\n".join(body) + " .")
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new, never half."""
    directory = path.resolve().parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        raise LoadError(path, f"cannot write: {exc.strerror}") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
