"""Links to authorities: e-Stat area codes of prefectures, ISO 3166-2 codes checked by pycountry."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest
from data_queries import rows

from llgraph.store import Store

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "authority_links.py"


def _script() -> ModuleType:
    """scripts/authority_links.py, imported from its file."""
    spec = importlib.util.spec_from_file_location("authority_links", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pycountry() -> ModuleType:
    """pycountry (a dev extra); skipped without it on a user's machine, never under CI=true."""
    if os.environ.get("CI") == "true":
        import pycountry

        return pycountry
    return pytest.importorskip(
        "pycountry", reason="pycountry is a dev extra: pip install -e '.[dev]'"
    )


def test_every_prefecture_links_to_its_estat_area_code(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?code ?link WHERE { ?r llo:prefectureCode ?code .
             OPTIONAL { ?r schema:sameAs ?link ; dcterms:source src:e-stat-sac } }""",
    )
    assert len(found) == 16
    assert all(link == f"http://data.e-stat.go.jp/lod/sac/C{code}000" for code, link in found)


def test_subdivision_codes_are_pycountrys(store: Store, pycountry: ModuleType) -> None:
    found = rows(
        store,
        """SELECT ?r ?code ?country WHERE { ?r llo:subdivisionCode ?code ;
             dcterms:source src:iso-3166-2 ; schema:containedInPlace+ ?c .
             ?c llo:countryCode ?country }""",
    )
    assert len(found) == len(_script().SUBDIVISIONS) == 11
    for region, code, country in found:
        subdivision = pycountry.subdivisions.get(code=code)
        assert subdivision is not None, f"{region}: {code} is not an ISO 3166-2 code"
        assert subdivision.country_code == country, f"{region}: {code} is not in {country}"


def test_the_committed_links_are_the_generated_ones(pycountry: ModuleType) -> None:
    script = _script()
    assert script.OUTPUT.read_text(encoding="utf-8") == script.generate(), (
        "data/ttl/standard-links.ttl is stale: run python scripts/authority_links.py"
    )


def test_a_subdivision_pycountry_lacks_is_an_error(pycountry: ModuleType) -> None:
    with pytest.raises(LookupError, match="0 subdivisions of FR named 'Rhône-Alpes'"):
        _script().subdivision_code("FR", "Rhône-Alpes")
