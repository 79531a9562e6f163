"""Load the project's ontology and data, validate them, and swap them into a store."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from llgraph.config import Settings
from llgraph.errors import ValidationFailed
from llgraph.load import (
    LoadedData,
    expand_paths,
    file_manifest,
    manifest_digest,
    note_subject,
    parse_file,
    parse_files,
)
from llgraph.namespaces import RDF, SH
from llgraph.store import RemoteStore, Store
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
    and shapes), nothing is parsed or validated again. A ``readonly`` remote store is
    never written: it is read as the server holds it (llgraph does not validate that),
    and the report only counts its triples.
    """
    if isinstance(store, RemoteStore):
        if store.readonly:
            return ValidationReport(conforms=True, problems=[], triples=len(store))
        store.progress = progress
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
    """Whether every SHACL Core constraint looks at most two hops from its focus node.

    False when a shape uses a repeated path (``sh:zeroOrMorePath``, ``sh:oneOrMorePath``)
    or a sequence path longer than two steps. SPARQL constraints may look anywhere (the
    Data Cube ones read a data set's structure three hops away, and every structure):
    :func:`revalidate` checks them on the whole graph.
    """
    if any(any(shapes.triples((None, p, None))) for p in REPEATED_PATHS):
        return False
    return all(
        len(Collection(shapes, path)) <= 2
        for path in shapes.objects(None, SH.path)
        if isinstance(path, BNode) and (path, RDF.first, None) in shapes
    )


TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def _targeting(shapes: Graph, *, sparql: bool) -> Graph:
    """A copy of ``shapes`` where only the shapes with (``sparql``) or without SPARQL
    constraints keep their targets; the others still apply where a shape uses them."""
    copy = Graph()
    copy += shapes
    for predicate in TARGETS:
        for shape, target in shapes.subject_objects(predicate):
            if ((shape, SH.sparql, None) in shapes) != sparql:
                copy.remove((shape, predicate, target))
    return copy


def _inverse_predicates(shapes: Graph) -> set[Node]:
    return set(shapes.objects(None, SH.inversePath))


def _neighbourhood(
    graph: Graph, touched: set[Node], focus: Iterable[Node], inverse: set[Node]
) -> Graph:
    """The triples a local shape can look at for ``focus``.

    Out of every focus node and of its neighbours (with the neighbours' objects' types);
    into a node only for the changed nodes themselves and along ``inverse`` predicates
    (the shapes' inverse paths), so a hub every resource points at stays out.
    """
    sub = Graph()
    hop: set[Node] = set()

    def add(triple: tuple[Node, Node, Node], neighbour: Node) -> None:
        sub.add(triple)
        hop.add(neighbour)

    for node in focus:
        for triple in graph.triples((node, None, None)):
            add(triple, triple[2])
        incoming = [None] if node in touched else inverse
        for p in incoming:
            for triple in graph.triples((None, p, node)):
                add(triple, triple[0])
    for node in hop:
        if isinstance(node, URIRef | BNode):
            for s, p, o in graph.triples((node, None, None)):
                sub.add((s, p, o))
                for t in graph.objects(o, RDF.type):
                    sub.add((o, RDF.type, t))
            for p in inverse:
                for triple in graph.triples((None, p, node)):
                    sub.add(triple)
    return sub


def _about(graph: Graph, subjects: set[Node]) -> Iterable[tuple[Node, Node, Node]]:
    return (t for t in graph if t[0] in subjects)


def revalidate(
    previous: LoadedData, changed: Sequence[Path], shapes: Graph, ontology: Graph
) -> tuple[LoadedData, ValidationReport]:
    """Re-validate after ``changed`` files were edited, checking only what they can affect.

    ``previous`` is the last validated data (its graph is updated in place and returned).
    Only the subjects whose statements changed, what they now reference and what refers
    to them are validated: against the SHACL Core shapes on their neighbourhood alone,
    against the shapes with SPARQL constraints on the whole graph. Shapes that are not
    :func:`local <shapes_are_local>` fall back to validating everything.
    """
    changed_set = set(changed)
    graph, origin, also = previous.graph, previous.origin, previous.also
    scope = {s for s, f in origin.items() if f in changed_set}
    scope |= {s for s, files in also.items() if files & changed_set}
    before = {s: set(graph.triples((s, None, None))) for s in scope}
    others = {f for s in scope for f in {origin[s], *also.get(s, ())}} - changed_set
    for subject in scope:
        del origin[subject]
        also.pop(subject, None)
    fresh = Graph()
    for path in changed:
        parse_file(path, fresh, origin, also=also)
    for path in sorted(others):
        part = Graph()
        parse_file(path, part, {})
        for triple in _about(part, scope):
            fresh.add(triple)
            note_subject(origin, also, triple[0], path)
    after = {s: set(fresh.triples((s, None, None))) for s in scope | set(fresh.subjects())}
    touched = {s for s, triples in after.items() if before.get(s) != triples}
    for subject in touched:  # only what changed: most subjects of an edited file did not
        old = before.get(subject, set())
        for triple in old - after[subject]:
            graph.remove(triple)
        for triple in after[subject] - old:
            graph.add(triple)
    data = LoadedData(graph=graph, files=previous.files, origin=origin, also=also)
    if not shapes_are_local(shapes):
        return data, validate_data(data, shapes, ontology)
    focus = touched | {o for s in touched for _, _, o in after[s] if isinstance(o, URIRef)}
    focus |= {s for node in touched for s in graph.subjects(None, node)}
    named = sorted(n for n in focus if isinstance(n, URIRef))
    if not named:
        return data, ValidationReport(conforms=True, problems=[], triples=len(graph))
    context = _neighbourhood(graph, touched, focus, _inverse_predicates(shapes))
    part = LoadedData(graph=context, files=previous.files, origin=origin, also=also)
    report = validate_data(part, _targeting(shapes, sparql=False), ontology, focus=named)
    whole = validate_data(data, _targeting(shapes, sparql=True), ontology, focus=named)
    return data, whole.merged(report)


CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""


def class_counts(store: Store) -> list[tuple[str, int]]:
    """Instances per class, most numerous first."""
    return [(str(row[0]), int(row[1])) for row in store.query(CLASS_COUNTS)]
