"""Load the project's ontology and data, validate them, and swap them into a store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from llgraph.config import Settings
from llgraph.errors import ValidationFailed
from llgraph.load import (
    expand_paths,
    file_manifest,
    manifest_digest,
    parse_files,
)
from llgraph.store import RemoteStore, Store
from llgraph.validate import ValidationReport, validate_data

__all__ = ["class_counts", "load_validated"]


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


CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""


def class_counts(store: Store) -> list[tuple[str, int]]:
    """Instances per class, most numerous first."""
    return [(str(row[0]), int(row[1])) for row in store.select(CLASS_COUNTS)]
