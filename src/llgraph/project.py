"""Load the project's ontology and data, validate them, and swap them into a store."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from llgraph.config import Settings
from llgraph.errors import ValidationFailed
from llgraph.load import LoadedData, expand_paths, file_manifest, manifest_digest, parse_files
from llgraph.load import parse_file as _parse_file
from llgraph.namespaces import RDF, SH
from llgraph.store import Store
from llgraph.validate import ValidationReport, validate_data

__all__ = ["class_counts", "load_validated", "revalidate", "shapes_are_local"]


def load_validated(
    settings: Settings,
    store: Store,
    paths: Sequence[Path] | None = None,
    *,
    progress: bool | None = None,
) -> ValidationReport:
    """Parse and validate the data; only if it conforms, replace the store's content.

    A parse error or a failed validation raises and leaves the store as it was. When
    the store already holds exactly these files (same content hash of data, ontology
    and shapes), nothing is parsed or validated again.
    """
    files = expand_paths(paths or settings.data_paths)
    inputs = [*settings.ontology_files, *settings.shapes_files, *files]
    manifest = file_manifest(inputs, store.metadata.get("manifest"))
    digest = manifest_digest(manifest)
    if store.version == digest and "triples" in store.metadata:
        return ValidationReport(conforms=True, problems=[], triples=store.metadata["triples"])
    data = parse_files(files, progress=progress)
    ontology = parse_files(settings.ontology_files).graph
    report = validate_data(data, parse_files(settings.shapes_files).graph, ontology)
    if not report.conforms:
        raise ValidationFailed(report)
    data.graph += ontology
    store.replace(
        data.graph,
        fingerprint=digest,
        files=[*settings.ontology_files, *files],
        metadata={"manifest": manifest, "triples": report.triples},
    )
    return report


REPEATED_PATHS = (SH.zeroOrMorePath, SH.oneOrMorePath)


def shapes_are_local(shapes: Graph) -> bool:
    """Whether every constraint looks at most two hops from its focus node.

    False when a shape uses a sequence path or a repeated path (``sh:zeroOrMorePath``,
    ``sh:oneOrMorePath``). SPARQL constraints are assumed to stay within two hops of
    ``$this``, as every one in ``ontology/shapes.ttl`` does.
    """
    if any(any(shapes.triples((None, p, None))) for p in REPEATED_PATHS):
        return False
    return not any(
        (path, RDF.first, None) in shapes
        for path in shapes.objects(None, SH.path)
        if isinstance(path, BNode)
    )


def _neighbourhood(graph: Graph, focus: Iterable[Node]) -> Graph:
    """The triples a local shape can look at for ``focus``: in and out, plus neighbours."""
    sub = Graph()
    hop: set[Node] = set()
    for node in focus:
        for s, p, o in graph.triples((node, None, None)):
            sub.add((s, p, o))
            hop.add(o)
        for s, p, o in graph.triples((None, None, node)):
            sub.add((s, p, o))
            hop.add(s)
    for node in hop:
        if isinstance(node, URIRef | BNode):
            for s, p, o in graph.triples((node, None, None)):
                sub.add((s, p, o))
                for t in graph.objects(o, RDF.type):
                    sub.add((o, RDF.type, t))
    return sub


def revalidate(
    previous: LoadedData, changed: Sequence[Path], shapes: Graph, ontology: Graph
) -> tuple[LoadedData, ValidationReport]:
    """Re-validate after ``changed`` files were edited, checking only what they can affect.

    ``previous`` is the last validated data (its graph is updated in place and returned).
    Only the changed files' subjects (old and new), what they reference and what refers
    to them are validated, on their neighbourhood alone; shapes that are not
    :func:`local <shapes_are_local>` fall back to validating everything.
    """
    changed_set = set(changed)
    graph, origin = previous.graph, previous.origin
    old = {s for s, f in origin.items() if f in changed_set}
    for subject in old:
        graph.remove((subject, None, None))
        del origin[subject]
    fresh = Graph()
    fresh_origin: dict[Node, Path] = {}
    for path in changed:
        _parse_file(path, fresh, fresh_origin)
    graph += fresh
    for subject, path in fresh_origin.items():
        origin.setdefault(subject, path)  # type: ignore[index]
    data = LoadedData(graph=graph, files=previous.files, origin=origin)
    if not shapes_are_local(shapes):
        return data, validate_data(data, shapes, ontology)
    touched = old | set(fresh_origin)
    focus = touched | {o for o in fresh.objects() if isinstance(o, URIRef | BNode)}
    focus |= {s for node in touched for s in graph.subjects(None, node)}
    named = sorted(n for n in focus if isinstance(n, URIRef))
    if not named:
        return data, ValidationReport(conforms=True, problems=[], triples=len(graph))
    part = LoadedData(graph=_neighbourhood(graph, focus), files=previous.files, origin=origin)
    report = validate_data(part, shapes, ontology, focus=named)
    report.triples = len(graph)
    return data, report


CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""


def class_counts(store: Store) -> list[tuple[str, int]]:
    """Instances per class, most numerous first."""
    return [(str(row[0]), int(row[1])) for row in store.query(CLASS_COUNTS)]
