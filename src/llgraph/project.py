"""Load the project's ontology and data, validate them, and swap them into a store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

from llgraph.config import Settings
from llgraph.errors import ValidationFailed
from llgraph.store import Store
from llgraph.validate import ValidationReport, validate_paths

__all__ = ["class_counts", "load_validated"]


def load_validated(
    settings: Settings, store: Store, paths: Sequence[Path] | None = None
) -> ValidationReport:
    """Parse and validate the data; only if it conforms, replace the store's content.

    A parse error or a failed validation raises and leaves the store as it was.
    """
    data, report = validate_paths(
        paths or settings.data_paths, settings.shapes_files, settings.ontology_files
    )
    if not report.conforms:
        raise ValidationFailed(report)
    graph = Graph()
    for path in settings.ontology_files:
        graph.parse(path, format="turtle")
    graph += data.graph
    store.replace(graph)
    return report


CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""


def class_counts(store: Store) -> list[tuple[str, int]]:
    """Instances per class, most numerous first."""
    return [(str(row[0]), int(row[1])) for row in store.query(CLASS_COUNTS)]
