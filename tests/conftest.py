"""Shared fixtures: the settings, and stores loaded with the project's validated data (one
backend, every backend, or the data under another base)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from processes import free_port
from rebase import OTHER_BASE, rebased

from llgraph.config import Settings
from llgraph.load import parse_files
from llgraph.project import load_validated
from llgraph.store import OxigraphStore, Store, open_store


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The project's settings, independent of the caller's LLGRAPH_* variables."""
    return Settings.from_env({})


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[str]:
    """A real ``oxigraph serve`` (in memory) on 127.0.0.1; yields its base URL."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    assert binary, "the oxigraph server is missing: pip install -e '.[dev]'"
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "oxigraph did not start"
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def store_spec(backend: str, server: str) -> str:
    """The ``--store`` value of ``backend`` (``sparql`` points at ``server``)."""
    if backend == "sparql":
        return f"sparql:{server}/query,update={server}/update,store={server}/store"
    return backend


BACKENDS = ["memory", "oxigraph", "sparql"]


@pytest.fixture(scope="session")
def oxigraph_store(settings: Settings) -> Iterator[Store]:
    """Oxigraph in memory (the default backend) holding the ontology and the validated data
    of data/ttl."""
    store = open_store("oxigraph")
    load_validated(settings, store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def store(oxigraph_store: Store) -> Store:
    """The store the tests read: :func:`oxigraph_store`. Where the backend matters (the
    stores, named queries, projections), a test module overrides it with :func:`backend_store`."""
    return oxigraph_store


@pytest.fixture(scope="session", params=BACKENDS)
def backend_store(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Store]:
    """The same content once per backend (``memory``, ``oxigraph``, a SPARQL server): for
    the tests of the stores, the named queries and the network projections, which show
    that every backend answers alike (so the other tests need only one)."""
    if request.param == "oxigraph":
        yield request.getfixturevalue("oxigraph_store")
        return
    server = request.getfixturevalue("oxigraph_server") if request.param == "sparql" else ""
    store = open_store(store_spec(request.param, server))
    load_validated(settings, store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def other_base_store(settings: Settings) -> Iterator[Store]:
    """An Oxigraph store holding the ontology and data/ttl with their resources under
    :data:`OTHER_BASE` (``{OTHER_BASE}id/...``), as a deployment with its own base has."""
    graph = parse_files([*settings.ontology_files, *settings.data_paths]).graph
    store = OxigraphStore()
    store.replace(rebased(graph, OTHER_BASE))
    yield store
    store.close()
