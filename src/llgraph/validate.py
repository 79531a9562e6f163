"""pyshacl → a report a person can act on: one line per problem (file:line, focus, path)."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyshacl import validate as shacl_validate
from pyshacl.graph_abstraction import DataGraph
from pyshacl.rdfutil.inoculate import inoculate
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier, Node

from llgraph.errors import LoadError
from llgraph.load import LoadedData, parse_files
from llgraph.namespaces import PREFIXES, RDF, SH

__all__ = ["Problem", "ValidationReport", "validate_data", "validate_paths"]


@dataclass(frozen=True)
class Problem:
    """One SHACL result, located in the file that wrote the focus node."""

    focus: str
    path: str
    message: str
    severity: str
    file: str | None = None
    line: int | None = None
    #: The offending value, when the result names one.
    value: str = ""

    def __str__(self) -> str:
        where = self.file or "<graph>"
        if self.line:
            where = f"{where}:{self.line}"
        what = " ".join(part for part in (self.focus, self.path, self.value) if part)
        return f"{where}: {self.severity}: {what}: {self.message}"


@dataclass
class ValidationReport:
    """The outcome of validating a graph against the shapes."""

    conforms: bool
    problems: list[Problem]
    triples: int

    def merged(self, other: ValidationReport) -> ValidationReport:
        """This report with the problems of ``other`` (found in part of the same graph)."""
        return ValidationReport(
            conforms=self.conforms and other.conforms,
            problems=sorted([*self.problems, *other.problems], key=_order),
            triples=self.triples,
        )

    def __str__(self) -> str:
        if self.conforms:
            return f"conforms: {self.triples} triples, no problems"
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.problems)} problem(s) in {self.triples} triples")
        return "\n".join(lines)


def _order(problem: Problem) -> tuple[str, int, str, str, str]:
    return (problem.file or "", problem.line or 0, problem.focus, problem.path, problem.message)


def _short(node: Node | None, graph: Graph) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # rdflib raises assorted errors for unsplittable IRIs
            return f"<{node}>"
    return node.n3(graph.namespace_manager)


_REPEATS = ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?"))


def _path_text(path: Node | None, graph: Graph) -> str:
    """A SHACL property path in SPARQL's syntax: ``a/b``, ``(a|b)``, ``^a``, ``a*``."""
    if not isinstance(path, BNode):
        return _short(path, graph)
    if (path, RDF.first, None) in graph:
        return "/".join(_path_text(step, graph) for step in Collection(graph, path))
    if (alternatives := graph.value(path, SH.alternativePath)) is not None:
        return "(" + "|".join(_path_text(p, graph) for p in Collection(graph, alternatives)) + ")"
    if (inverse := graph.value(path, SH.inversePath)) is not None:
        return "^" + _path_text(inverse, graph)
    for repeat, mark in _REPEATS:
        if (inner := graph.value(path, repeat)) is not None:
            return _path_text(inner, graph) + mark
    return _short(path, graph)


_PREFIX_LINE = re.compile(r"\s*(?:@prefix|PREFIX)\s+(?P<p>[\w.-]*):\s*<(?P<ns>[^>]*)>", re.I)


@lru_cache(maxsize=256)
def _file_lines(path: Path) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").splitlines())


def _prefixed_forms(node: URIRef, lines: Sequence[str]) -> set[str]:
    """``node`` written with the prefixes the file itself declares (``@prefix p: <ns> .``)."""
    forms = set()
    for text in lines:
        match = _PREFIX_LINE.match(text)
        if match and str(node).startswith(match["ns"]):
            forms.add(f"{match['p']}:{str(node)[len(match['ns']) :]}")
    return forms


def _line_of(node: Node, path: Path, graph: Graph) -> int | None:
    """The first line of ``path`` that starts a statement about ``node``."""
    if not isinstance(node, URIRef):
        return None
    lines = _file_lines(path)
    forms = {f"<{node}>", _short(node, graph), *_prefixed_forms(node, lines)}
    for i, text in enumerate(lines, start=1):
        head = text.split(maxsplit=1)[0] if text.strip() else ""
        if head in forms:
            return i
    return next((i for i, t in enumerate(lines, 1) if any(f in t for f in forms)), None)


def _bind_prefixes(graph: Graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, str(ns) if not isinstance(ns, str) else ns, replace=True)


class _ParsedQueries(Graph):
    """The same triples as a graph (it shares its store), parsing each SPARQL text only once.

    pyshacl hands rdflib the text of a SPARQL constraint once per focus node, and parsing it
    (about 10 ms) costs more than running it; the parsed query is kept, by its text and the
    prefixes it was resolved with, for every later validation too.
    """

    def query(  # type: ignore[override]  # the same parameters, typed less loosely
        self,
        query_object: str | Query,
        processor: str = "sparql",
        result: str = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str):
            namespaces = initNs or dict(self.namespaces())
            query_object = _parsed(query_object, tuple(namespaces.items()))
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


@lru_cache(maxsize=256)
def _parsed(text: str, namespaces: tuple[tuple[str, Any], ...]) -> Query:
    return prepareQuery(text, initNs=dict(namespaces))


@contextmanager
def _graph_left_out_of_gc() -> Iterator[None]:
    """The objects that exist now (the data graph above all) are skipped by Python's GC.

    pyshacl makes millions of short-lived objects, and every full collection walked the
    whole graph again (at 1M triples, a sixth of the validation time).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _axioms(ontology: Graph | None) -> Graph:
    """What pyshacl copies from ``ont_graph`` into the data: the RDFS and OWL axioms."""
    axioms = Graph()
    if ontology is not None:
        inoculate(DataGraph.from_rdflib(axioms), ontology)
    return axioms


def validate_data(
    data: LoadedData,
    shapes: Graph,
    ontology: Graph | None = None,
    *,
    focus: Sequence[URIRef] | None = None,
) -> ValidationReport:
    """Validate loaded data against ``shapes`` (with ``ontology`` for class hierarchy).

    ``focus``: validate only these nodes (incremental re-validation), not every target.
    pyshacl would copy the whole data graph to add the ontology's axioms to it; they are
    added to ``data.graph`` itself for the run and taken out again afterwards, and pyshacl
    works on it in place (so two threads must not validate one graph at the same time).
    """
    if (None, SH.rule, None) in shapes:  # in place, a rule's inferences would stay in the data
        raise LoadError("SHACL shapes", "SHACL rules (sh:rule) are not supported")
    graph = data.graph
    added = [t for t in _axioms(ontology) if t not in graph]
    for triple in added:
        graph.add(triple)
    view = _ParsedQueries(
        store=graph.store, identifier=graph.identifier, namespace_manager=graph.namespace_manager
    )
    try:
        with _graph_left_out_of_gc():
            conforms, results, _ = shacl_validate(
                DataGraph.from_rdflib(view),
                shacl_graph=shapes,
                inference="none",
                advanced=True,
                inplace=True,
                allow_warnings=True,
                focus_nodes=list(focus) if focus else None,
            )
    finally:
        for triple in added:
            graph.remove(triple)
    if not isinstance(results, Graph):  # pyshacl reports malformed shapes this way
        raise LoadError("SHACL shapes", f"the shapes cannot be used: {results}")
    _bind_prefixes(results)
    problems = []
    for result in results.objects(None, SH.result):  # not the sh:detail under them
        node = results.value(result, SH.focusNode)
        path_node = results.value(result, SH.resultPath)
        severity = results.value(result, SH.resultSeverity)
        value = results.value(result, SH.value)  # a node shape's result repeats its focus here
        file = data.file_of(node)
        problems.append(
            Problem(
                focus=_short(node, results),
                path=_path_text(path_node, results),
                message=str(results.value(result, SH.resultMessage) or "does not conform"),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                file=str(file) if file else None,
                line=_line_of(node, file, results) if file and node is not None else None,
                value=_short(value, results) if value != node else "",
            )
        )
    problems.sort(key=_order)
    return ValidationReport(conforms=bool(conforms), problems=problems, triples=len(data.graph))


def validate_paths(
    paths: Sequence[Path | str], shapes_files: Sequence[Path], ontology_files: Sequence[Path]
) -> tuple[LoadedData, ValidationReport]:
    """Parse and validate files: the building block of ``llgraph validate`` and of loading."""
    data = parse_files(paths)
    shapes = parse_files(shapes_files).graph
    ontology = parse_files(ontology_files).graph
    return data, validate_data(data, shapes, ontology)
