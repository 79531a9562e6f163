"""Oxigraph through pyoxigraph: in memory (``oxigraph``) or on disk (``oxigraph:PATH``)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping, MutableSequence, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import Graph, Variable
from rdflib.query import Result, ResultRow
from rdflib.term import Identifier

from llgraph.errors import QueryError, ResultTooLarge, StoreError
from llgraph.store.base import DEFAULT_PREFIXES as PREFIXES
from llgraph.store.base import Store
from llgraph.store.binding import bind_values
from llgraph.store.generations import (
    CURRENT,
    hold,
    hold_current,
    hold_new,
    point_current,
    read_current,
    remove_unheld,
)
from llgraph.store.terms import XSD_STRING, from_ox

__all__ = ["OxigraphStore", "RowsResult", "ox_result"]

OX_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
#: Held while this process switches generations (opens one, takes or lets go of a hold,
#: removes unheld ones) and across every fork: no child is forked while RocksDB is half-way
#: through opening a store, nor with a copy of a hold the parent is letting go of.
_SWITCHING = threading.Lock()
os.register_at_fork(
    before=_SWITCHING.acquire,
    after_in_parent=_SWITCHING.release,
    after_in_child=_SWITCHING.release,
)


def _from_ox_or_none(term: Any) -> Identifier | None:
    return None if term is None else from_ox(term)


class RowsResult(Result):
    """A SELECT answer kept as rows of rdflib terms: iterating it builds no dict per row
    (rdflib's :class:`Result` makes one, and a labels dict, for every row it yields).

    Rows read like rdflib's: by position, name or attribute; a row with nothing bound is
    skipped, as rdflib does. ``bindings`` (dicts) is made on first use.
    """

    def __init__(self, names: list[Variable], rows: list[tuple[Identifier | None, ...]]) -> None:
        super().__init__("SELECT")
        self.vars = names
        self._rows = rows
        self._labels = {str(name): i for i, name in enumerate(names)}

    @property
    def bindings(self) -> MutableSequence[Mapping[Variable, Identifier]]:
        if self._bindings is None:
            names = self.vars or []
            self._bindings = [
                {n: v for n, v in zip(names, row, strict=True) if v is not None}
                for row in self._rows
            ]
        return self._bindings

    @bindings.setter
    def bindings(
        self,
        value: MutableSequence[Mapping[Variable, Identifier]]
        | Iterator[Mapping[Variable, Identifier]],
    ) -> None:
        self._bindings = list(value)

    def __iter__(self) -> Iterator[ResultRow]:
        labels = self._labels
        for values in self._rows:
            if any(v is not None for v in values):
                row = tuple.__new__(ResultRow, values)
                row.labels = labels
                yield row

    def __len__(self) -> int:
        return len(self._rows)


def _json_term(term: Any) -> dict[str, str]:
    """One RDF term as SPARQL 1.1 Query Results JSON writes it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": datatype}
    raise QueryError(f"unsupported RDF term in a result: {term!r}")


@contextmanager
def _engine_errors() -> Iterator[None]:
    """Oxigraph's exceptions (raised while a query runs or is read) as :class:`QueryError`."""
    try:
        yield
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from exc


def ox_result(answer: Any) -> Result:
    """A pyoxigraph query answer as an rdflib :class:`Result` of rdflib terms."""
    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, ox.QuerySolutions):
        names = [Variable(v.value) for v in answer.variables]
        return RowsResult(names, [tuple(map(_from_ox_or_none, row)) for row in answer])
    graph = Graph()
    for triple in answer:
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    result = Result("CONSTRUCT")
    result.graph = graph
    return result


def _bulk_load(target: ox.Store, graph: Graph, files: Sequence[Path] | None) -> None:
    """Load ``files`` directly when Oxigraph reads them all, else a dump of ``graph``."""
    if files and all(f.suffix in OX_FORMATS for f in files):
        for path in files:
            target.bulk_load(path=str(path), format=OX_FORMATS[path.suffix])
        return
    with tempfile.NamedTemporaryFile(suffix=".nt") as dump:
        graph.serialize(destination=dump.name, format="nt", encoding="utf-8")
        target.bulk_load(path=dump.name, format=ox.RdfFormat.N_TRIPLES)


class OxigraphStore(Store):
    """Oxigraph, queried directly (no rdflib in the query path).

    With ``path`` the data lives on disk: every :meth:`replace` loads into a new
    generation directory, closes it, reopens it read-only (so forked workers can open
    it too), then one atomic rename of ``CURRENT`` makes it the live one, so a failed
    load leaves the previous data serving. The metadata given to
    :meth:`replace` is kept beside it (``<generation>.json``).

    Every process serving a generation holds it (:mod:`llgraph.store.generations`);
    :meth:`refresh` switches to the generation another process made current, and a
    generation is removed only once no process holds it.
    """

    name = "oxigraph"

    def __init__(self, path: Path | str | None = None) -> None:
        super().__init__()
        self.path = Path(path) if path is not None else None
        self._gen: Path | None = None
        self._inherited: list[ox.Store] = []
        self._hold: BinaryIO | None = None
        self._ox = ox.Store()
        if self.path is not None:
            self._open_disk(self.path)

    def _open_disk(self, path: Path) -> None:
        try:
            path.mkdir(parents=True, exist_ok=True)
            ours = ("gen-", f"{CURRENT}.")  # a first load killed half-way leaves these
            if read_current(path) is None and any(
                not p.name.startswith(ours) for p in path.iterdir()
            ):
                raise StoreError(f"{path} is not an llgraph store: choose an empty directory")
            with _SWITCHING:
                found = hold_current(path)
                if found is not None:
                    self._take(*found)
        except OSError as exc:
            raise StoreError(f"cannot open the Oxigraph store at {path}: {exc}") from exc

    def _take(self, gen: Path, handle: BinaryIO) -> None:
        """Serve generation ``gen`` (held by ``handle``), releasing the one served before.

        The caller holds ``_SWITCHING`` (or is a freshly forked child)."""
        try:
            fresh = ox.Store.read_only(str(gen))
            meta = json.loads(gen.with_suffix(".json").read_text(encoding="utf-8"))
            version, metadata = meta["version"], meta["metadata"]
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            handle.close()
            raise StoreError(f"cannot open the Oxigraph store at {gen}: {exc}") from exc
        old, self._ox, self._gen, self._hold = self._hold, fresh, gen, handle
        self.metadata = metadata
        self._version = version  # last: whoever sees the new version finds the new data
        if old is not None:
            old.close()

    def refresh(self) -> bool:
        """Switch to the generation another process made current (a load while serving),
        then remove the generations nobody holds any more. True if it switched."""
        if self.path is None:
            return False
        with self._lock, _SWITCHING:
            name = read_current(self.path)
            switched = name is not None and (self._gen is None or name != self._gen.name)
            try:
                found = hold_current(self.path) if switched else None
                if found is not None:
                    self._take(*found)
                remove_unheld(self.path)
            except OSError as exc:
                raise StoreError(f"cannot switch to the new data in {self.path}: {exc}") from exc
        return switched

    def _replace(
        self,
        graph: Graph,
        *,
        files: Sequence[Path] | None,
        version: str,
        metadata: dict[str, Any],
    ) -> None:
        if self.path is None:
            fresh = ox.Store()
            _bulk_load(fresh, graph, files)
            self._ox = fresh
            return
        gen, handle = hold_new(self.path)  # held before it exists: nobody removes it
        try:
            writer = ox.Store(str(gen))
            _bulk_load(writer, graph, files)
            writer.flush()
            del writer  # closed: from now on every process only reads this generation
            fresh = ox.Store.read_only(str(gen))
            meta = {"version": version, "metadata": metadata}
            gen.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
            point_current(self.path, gen.name)
        except (OSError, ValueError, SyntaxError, RuntimeError) as exc:
            shutil.rmtree(gen, ignore_errors=True)
            gen.with_suffix(".json").unlink(missing_ok=True)
            handle.close()
            remove_unheld(self.path)
            raise StoreError(f"cannot write the Oxigraph store at {self.path}: {exc}") from exc
        with _SWITCHING:
            old, self._ox, self._gen, self._hold = self._hold, fresh, gen, handle
            if old is not None:
                old.close()  # whoever still serves the previous generation holds it
            remove_unheld(self.path)

    def _run(self, sparql: str, bindings: Mapping[str, Identifier] | None) -> Any:
        """Oxigraph's answer to ``sparql`` with ``bindings`` as a ``VALUES`` block.

        Not the engine's own ``substitutions``: pyoxigraph 0.5 substitutes only variables a
        SELECT projects (SEP-0007), and the named queries' parameters mostly are not.
        """
        return self._ox.query(bind_values(sparql, bindings or {}), prefixes=PREFIXES)

    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result:
        with _engine_errors():
            return ox_result(self._run(sparql, bindings))

    def query_json(
        self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None, limit: int
    ) -> bytes | None:
        with _engine_errors():
            answer = self._run(sparql, bindings)
            if isinstance(answer, ox.QueryBoolean):
                return json.dumps({"head": {}, "boolean": bool(answer)}).encode()
            if not isinstance(answer, ox.QuerySolutions):
                return None
            rows = list(islice(answer, limit + 1))
        if len(rows) > limit:
            raise ResultTooLarge(
                f"the result has more than {limit} rows: add a LIMIT or narrow the query"
            )
        names = [v.value for v in answer.variables]
        bindings_out = [
            {n: _json_term(v) for n, v in zip(names, row, strict=True) if v is not None}
            for row in rows
        ]
        document = {"head": {"vars": names}, "results": {"bindings": bindings_out}}
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()

    def __len__(self) -> int:
        return len(self._ox)

    def after_fork(self) -> None:
        super().after_fork()
        if self._gen is None or self.path is None:
            return
        # The inherited RocksDB handle must never be dropped here: its destructor
        # would join background threads that do not exist in a forked child.
        self._inherited.append(self._ox)
        inherited, self._hold = self._hold, None
        handle = hold(self._gen)  # this process's own hold, before letting go of the parent's
        found = (self._gen, handle) if handle is not None else hold_current(self.path)
        if inherited is not None:
            inherited.close()
        if found is None:
            raise StoreError(f"the Oxigraph store at {self.path} lost its data")
        self._take(*found)

    def close(self) -> None:
        super().close()
        self._ox = ox.Store()
        if self._hold is not None:
            self._hold.close()
            self._hold, self._gen = None, None
