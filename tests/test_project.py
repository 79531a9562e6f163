"""Load + validate + swap into a store: only data that conforms replaces what a store holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from llgraph.config import Settings
from llgraph.errors import ValidationFailed
from llgraph.project import class_counts, load_validated
from llgraph.store import OxigraphStore

BROKEN = Path(__file__).parent / "fixtures" / "broken"
#: A file that conforms on its own (no shape targets what it states).
SMALL = '<https://example.org/a> <https://example.org/b> "c" .\n'


def test_data_that_fails_validation_leaves_the_store_as_it_was(
    settings: Settings, tmp_path: Path
) -> None:
    good = tmp_path / "small.ttl"
    good.write_text(SMALL, encoding="utf-8")
    store = OxigraphStore()
    load_validated(settings, store, [good])
    before, size = store.version, len(store)
    with pytest.raises(ValidationFailed) as failed:
        load_validated(settings, store, [good, BROKEN / "partnership-no-domestic-region.ttl"])
    assert "partnership-no-domestic-region.ttl" in str(failed.value.report)
    assert (store.version, len(store)) == (before, size)
    assert dict(class_counts(store))["http://www.w3.org/2002/07/owl#Class"] > 20  # the ontology


def test_the_same_files_are_not_read_twice(settings: Settings, tmp_path: Path) -> None:
    good = tmp_path / "small.ttl"
    good.write_text(SMALL, encoding="utf-8")
    store = OxigraphStore()
    first = load_validated(settings, store, [good])
    version = store.version
    again = load_validated(settings, store, [good])
    assert store.version == version and again.triples == first.triples
    good.write_text(good.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    load_validated(settings, store, [good])
    assert store.version != version
