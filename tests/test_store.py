"""Every backend answers like rdflib's in-memory store; persistence, atomicity, forking."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from answers import canonical_rows, canonical_triples, same_answer
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.query import Result

from llgraph.config import PROJECT_ROOT, Settings
from llgraph.errors import LoadError, QueryError, StoreError, ValidationFailed
from llgraph.project import load_validated
from llgraph.queries import load_catalogue
from llgraph.sparql import execute
from llgraph.store import MemoryStore, OxigraphStore, RemoteStore, Store, open_store


@pytest.fixture(scope="module")
def store(backend_store: Store) -> Store:
    """The stores themselves: every backend."""
    return backend_store


ID = "https://w3id.org/llgraph/id/"
CATALOGUE = load_catalogue(PROJECT_ROOT / "queries")

QUERIES = {
    "all-triples": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "labels-undeclared-prefix": "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(lang(?l) = 'ja') }",
    "class-counts": "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
    "plain-literals": "SELECT ?s ?o WHERE { ?s ?p ?o FILTER(datatype(?o) = xsd:string) }",
    "optional": "SELECT ?p ?l WHERE { ?p a llo:Partnership OPTIONAL { ?p rdfs:label ?l } }",
}


@pytest.fixture(scope="module")
def reference(settings: Settings) -> MemoryStore:
    """rdflib's in-memory store with the project data: the answer every backend must give."""
    store = MemoryStore()
    load_validated(settings, store)
    return store


def test_store_holds_the_project_data(store: Store, reference: Store) -> None:
    assert len(store) == len(reference) > 1000
    assert store.version == reference.version


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_answers_match_memory(store: Store, reference: Store, name: str) -> None:
    expected = reference.query(QUERIES[name])
    assert len(expected) > 0
    same_answer(store.query(QUERIES[name]), expected)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_named_query_answers_match_memory(store: Store, reference: Store, name: str) -> None:
    """Every named query, with its default parameters, answers alike on every backend."""
    named = CATALOGUE[name]
    expected = reference.query(named.query.text, bindings=named.bindings())
    assert len(expected) > 0 or expected.type == "ASK"
    same_answer(store.query(named.query.text, bindings=named.bindings()), expected)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_json_answers_match_memory(store: Store, reference: Store, name: str) -> None:
    """The SPARQL JSON a backend writes (Oxigraph: straight from its own terms) reads back
    as the reference's answer."""
    named = CATALOGUE[name]
    expected = reference.query(named.query.text, bindings=named.bindings())
    body = execute(store, named.query, "json", bindings=named.bindings())
    same_answer(Result.parse(io.BytesIO(body), format="json"), expected)


def test_ask_and_construct_match_memory(store: Store, reference: Store) -> None:
    ask = "ASK { ?p a llo:Partnership ; llo:programme ?prog }"
    assert store.query(ask).askAnswer is reference.query(ask).askAnswer is True
    construct = "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a llo:Partnership ; rdfs:label ?l }"
    same_answer(store.query(construct), reference.query(construct))
    assert len(store.query(construct).graph) > 0  # type: ignore[arg-type]


def test_bindings_need_not_be_projected(store: Store, reference: Store) -> None:
    query = "SELECT ?l WHERE { ?s rdfs:label ?l }"
    bindings = {"s": URIRef(ID + "programme/ll")}
    rows = canonical_rows(store.query(query, bindings=bindings))
    assert rows == canonical_rows(reference.query(query, bindings=bindings))
    assert any("@ja" in row[0] for row in rows)


def test_bindings_are_terms_not_text(store: Store) -> None:
    sneaky = Literal('x" } ?s ?p ?o { "')
    rows = list(store.query("SELECT ?s WHERE { ?s rdfs:label ?l }", bindings={"l": sneaky}))
    assert rows == []


def test_oxigraph_binds_every_kind_of_term() -> None:
    store = OxigraphStore()
    store.replace(_tiny_graph())
    terms = [URIRef("http://e/a"), Literal("a", lang="ja"), Literal(2), Literal("plain")]
    for term in terms:
        rows = list(store.query("SELECT ?o WHERE { ?s ?p ?o }", bindings={"o": term}))
        assert rows == [(term,)], term
    assert store.query("ASK { ?s ?p ?o }", bindings={"s": URIRef("http://e/z")}).askAnswer is False


def _tiny_graph() -> Graph:
    graph = Graph()
    subject, predicate = URIRef("http://e/s"), URIRef("http://e/p")
    for term in (URIRef("http://e/a"), Literal("a", lang="ja"), Literal(2), Literal("plain")):
        graph.add((subject, predicate, term))
    return graph


def test_a_syntax_error_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError):
        store.query("SELECT WHERE {")


def test_every_triple_matches_memory(store: Store, reference: MemoryStore) -> None:
    everything = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    ours, theirs = store.query(everything).graph, reference.graph()
    assert ours is not None
    assert len(ours) == len(theirs)
    assert canonical_triples(ours) == canonical_triples(theirs)


@pytest.mark.parametrize(
    "spec", ["nope", "oxigraph:", "sparql:ftp://x", "sparql:http://x,bogus=1", "sparql:"]
)
def test_bad_store_specs_say_what_to_use(spec: str) -> None:
    with pytest.raises(StoreError, match=r"use|oxigraph:|http"):
        open_store(spec)


def test_open_store_kinds(tmp_path: Path) -> None:
    assert isinstance(open_store("memory"), MemoryStore)
    assert isinstance(open_store("oxigraph"), OxigraphStore)
    assert isinstance(open_store(f"oxigraph:{tmp_path / 's'}"), OxigraphStore)
    remote = open_store("sparql:http://127.0.0.1:9/q,update=http://127.0.0.1:9/u")
    assert isinstance(remote, RemoteStore) and remote.update_url == "http://127.0.0.1:9/u"


def test_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot reach"):
        len(open_store("sparql:http://127.0.0.1:9/query"))


def test_read_only_remote_store_refuses_to_load(settings: Settings, oxigraph_server: str) -> None:
    store = open_store(f"sparql:{oxigraph_server}/query")
    with pytest.raises(StoreError, match="read-only"):
        load_validated(settings, store)


def test_remote_store_loads_by_sparql_update(
    settings: Settings, oxigraph_server: str, reference: Store
) -> None:
    store = open_store(f"sparql:{oxigraph_server}/query,update={oxigraph_server}/update")
    try:
        load_validated(settings, store)
        assert len(store) == len(reference)
    finally:
        # leave the shared server as the session fixture loaded it
        spec = f"sparql:{oxigraph_server}/query,store={oxigraph_server}/store"
        restore = open_store(spec)
        restore.replace(reference.graph())


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for path in (PROJECT_ROOT / "data" / "ttl").glob("*.ttl"):
        (data / path.name).write_bytes(path.read_bytes())
    return data


def test_persistent_store_survives_a_restart_without_reparsing(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _copy_data(tmp_path)
    spec = f"oxigraph:{tmp_path / 'store'}"
    first = open_store(spec)
    load_validated(settings, first, [data])
    size, version = len(first), first.version
    first.close()
    del first

    import llgraph.project as project

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("unchanged data was parsed again")

    monkeypatch.setattr(project, "parse_files", no_parsing)
    again = open_store(spec)
    report = load_validated(settings, again, [data])
    assert report.conforms and (len(again), again.version) == (size, version)
    (data / "programmes.ttl").touch()  # a new mtime, same content: still no parsing
    load_validated(settings, again, [data])
    assert again.version == version


def test_changed_data_is_reloaded(settings: Settings, tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    load_validated(settings, store, [data])
    before = store.version
    extra = data / "extra.ttl"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    extra.write_text(f'<https://w3id.org/llgraph/id/example/x> {label} "x" .\n')
    load_validated(settings, store, [data])
    assert store.version != before
    assert store.query("ASK { ?s rdfs:label 'x' }").askAnswer
    assert len(list((tmp_path / "store").glob("gen-*.json"))) == 1  # the old generation is gone


def _load_and_close(settings: Settings, store_dir: Path, data: Path) -> None:
    """What `llgraph load` does: load in a store of its own, then let go of it."""
    loader = open_store(f"oxigraph:{store_dir}")
    try:
        load_validated(settings, loader, [data])
    finally:
        loader.close()


def _generations(store_dir: Path) -> set[str]:
    return {p.name.partition(".")[0] for p in store_dir.glob("gen-*")}


def test_a_held_generation_outlives_a_load_until_its_reader_switches(
    settings: Settings, tmp_path: Path
) -> None:
    data, store_dir = _copy_data(tmp_path), tmp_path / "store"
    _load_and_close(settings, store_dir, data)
    reader = open_store(f"oxigraph:{store_dir}")  # a server's store, opened by another process
    assert not reader.refresh()
    held = _generations(store_dir)
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    (data / "extra.ttl").write_text(f'<https://w3id.org/llgraph/id/example/x> {label} "x" .\n')
    writer = open_store(f"oxigraph:{store_dir}")
    load_validated(settings, writer, [data])
    assert held < _generations(store_dir)  # the reader still holds the old generation
    assert not reader.query("ASK { ?s rdfs:label 'x' }").askAnswer
    assert reader.refresh() and reader.version == writer.version
    assert reader.query("ASK { ?s rdfs:label 'x' }").askAnswer
    assert _generations(store_dir) == {(store_dir / "CURRENT").read_text()}
    assert not reader.refresh()


def test_leftover_generations_nobody_holds_are_removed(settings: Settings, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    (store_dir / "gen-0").mkdir(parents=True)  # a first load killed half-way: still ours
    store = open_store(f"oxigraph:{store_dir}")
    load_validated(settings, store, [_copy_data(tmp_path)])
    (store_dir / "gen-1").mkdir()  # what a load killed half-way leaves
    (store_dir / "gen-1" / "000001.sst").write_bytes(b"partial")
    (store_dir / "gen-2.lock").touch()
    store.refresh()
    assert _generations(store_dir) == {(store_dir / "CURRENT").read_text()}


def test_a_forked_child_holds_its_generation_until_it_ends(
    settings: Settings, tmp_path: Path
) -> None:
    data, store_dir = _copy_data(tmp_path), tmp_path / "store"
    store = open_store(f"oxigraph:{store_dir}")
    load_validated(settings, store, [data])
    old = _generations(store_dir)
    (ready, ready_w), (stop, stop_w) = os.pipe(), os.pipe()
    pid = os.fork()
    if pid == 0:  # a query worker: holds the generation it was forked with
        try:
            store.after_fork()
            os.write(ready_w, b"ready")
            os.read(stop, 1)  # until the parent says stop
        finally:
            os._exit(0)
    write = stop_w
    try:
        assert os.read(ready, 5) == b"ready"
        (data / "extra.ttl").write_text("<http://e/a> <http://e/b> 'c' .\n")
        _load_and_close(settings, store_dir, data)
        assert store.refresh() and old < _generations(store_dir)  # the child still holds it
    finally:
        os.write(write, b"x")
        os.waitpid(pid, 0)
    store.refresh()  # any holder that ticks removes what nobody holds
    assert _generations(store_dir) == {(store_dir / "CURRENT").read_text()}


@pytest.mark.parametrize("backend", ["memory", "oxigraph", "oxigraph-disk"])
def test_failed_load_leaves_previous_data_serving(
    settings: Settings, tmp_path: Path, backend: str
) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}" if backend == "oxigraph-disk" else backend
    store = open_store(spec)
    data = _copy_data(tmp_path)
    load_validated(settings, store, [data])
    size, version = len(store), store.version
    broken = data / "zz-broken.ttl"
    broken.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b ex:c ex:d .\n")
    with pytest.raises(LoadError) as error:
        load_validated(settings, store, [data])
    assert error.value.line == 3 and "zz-broken.ttl:3" in str(error.value)
    assert (len(store), store.version) == (size, version)
    broken.unlink()
    with pytest.raises(ValidationFailed):
        load_validated(settings, store, [data, _invalid(tmp_path)])
    assert (len(store), store.version) == (size, version)


def _invalid(tmp_path: Path) -> Path:
    """A partnership with no programme, label or regions: no shape set accepts it."""
    path = tmp_path / "invalid.ttl"
    path.write_text(
        "<https://w3id.org/llgraph/id/partnership/ll-x-y> a "
        "<https://w3id.org/llgraph/ontology#Partnership> ;\n"
        '  <https://w3id.org/llgraph/ontology#startFiscalYear> "not a year" .\n'
    )
    return path


def test_forked_child_reopens_a_persistent_store(settings: Settings, tmp_path: Path) -> None:
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    load_validated(settings, store, [_copy_data(tmp_path)])
    expected = len(store)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: what the SPARQL endpoint's workers do
        try:
            store.after_fork()
            rows = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
            os.write(write, str(int(rows[0][0])).encode())  # type: ignore[index]
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 64).decode()
    os.waitpid(pid, 0)
    assert answer == str(expected)


def test_persistent_store_refuses_a_foreign_directory(tmp_path: Path) -> None:
    (tmp_path / "something.txt").write_text("not a store")
    with pytest.raises(StoreError, match="not an llgraph store"):
        open_store(f"oxigraph:{tmp_path}")


def test_oxigraph_canonical_numbers(store: Store, reference: Store) -> None:
    """The one known difference: Oxigraph keeps numbers in canonical form, by value."""
    query = "SELECT ?n WHERE { ?s llo:maturityLevel ?n } ORDER BY ?n LIMIT 1"
    [[ours]] = list(store.query(query))  # type: ignore[misc]
    [[theirs]] = list(reference.query(query))  # type: ignore[misc]
    assert ours.eq(theirs) and int(ours) == int(theirs) == 1
    expected = theirs.datatype if store.name == "memory" else XSD.integer
    assert ours.datatype == expected
