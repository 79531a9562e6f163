"""The worker pool: each query runs in a forked process that is killed at the time limit."""

from __future__ import annotations

import multiprocessing
import os
import queue
import resource
import threading
import time
from collections.abc import Mapping
from multiprocessing.connection import Connection

from rdflib.term import Identifier

from llgraph.errors import QueryError
from llgraph.sparql.formats import execute
from llgraph.sparql.guard import QueryTimeout, SparqlQuery
from llgraph.store import Store

__all__ = ["QueryPool"]

_FORK = multiprocessing.get_context("fork")
#: How much memory a worker may take beyond its parent's size (the data it shares).
WORKER_MEMORY = 4 << 30
#: How often (seconds) an idle worker checks that the server that forked it still runs.
PARENT_CHECK = 1.0


def _cap_memory(extra: int) -> None:
    """Limit this process's address space to its present size plus ``extra`` bytes (Linux)."""
    try:
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # no /proc: rely on the time limit alone
        return
    resource.setrlimit(resource.RLIMIT_AS, (size + extra, size + extra))


def _follow(store: Store) -> None:
    """An idle worker switches to data a load made current, letting go of the old data.

    (Its server re-forks it before the next job anyway, once the server has switched.)
    """
    try:
        store.refresh()
    except Exception:  # the server's own switch says why: this worker just goes on
        return


def _work(conn: Connection, store: Store, memory: int, parent: int) -> None:
    """A worker's loop: run each job on the store inherited from the parent, send bytes back.

    It ends when its pipe closes or its parent is gone (a killed server leaves no orphan:
    forked siblings hold copies of the pipe, so end-of-file alone is not enough).
    """
    store.after_fork()
    _cap_memory(memory)
    while True:
        try:
            if not conn.poll(PARENT_CHECK):
                if os.getppid() != parent:
                    return
                _follow(store)
                continue
            query, fmt, bindings, limit = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send((True, execute(store, query, fmt, bindings=bindings, limit=limit)))
        except QueryError as exc:
            conn.send((False, exc))
        except MemoryError:
            message = f"the query needed more than {memory >> 20} MiB of memory: narrow it"
            conn.send((False, QueryError(message)))
        except Exception as exc:  # never let a worker die on one bad query
            conn.send((False, QueryError(f"the query failed: {exc}")))


class _Worker:
    """One forked process with its end of a pipe, and the data version it was forked with."""

    def __init__(self, store: Store, memory: int) -> None:
        self.conn, child = _FORK.Pipe()
        self.version = store.version
        self.process = _FORK.Process(
            target=_work, args=(child, store, memory, os.getpid()), daemon=True
        )
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


class QueryPool:
    """Runs queries in forked worker processes so a runaway query can be killed.

    Neither rdflib nor Oxigraph can interrupt a query from outside its thread: each
    query runs in a worker forked after the data was loaded (sharing it copy-on-write);
    at the time limit the worker is killed and a fresh one forked. Workers forked
    before the store's data was replaced (``store.version`` changed) are replaced
    before their next job. Each worker may grow by ``memory`` bytes beyond the data it
    shares, so a query that would build an enormous result fails instead of exhausting
    the machine. :meth:`run` blocks: call it off the event loop.
    """

    def __init__(
        self,
        store: Store,
        *,
        size: int = 2,
        timeout: float = 30.0,
        limit: int = 100_000,
        memory: int = WORKER_MEMORY,
    ) -> None:
        self.store, self.size, self.timeout, self.limit = store, size, timeout, limit
        self.memory = memory
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store, self.memory)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.stop()

    def _replace(self, worker: _Worker) -> None:
        self._retire(worker)
        self._idle.put(self._spawn())

    def _acquire(self, deadline: float) -> _Worker:
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout(
                f"every query worker stayed busy for {self.timeout:g} s: try again later"
            ) from None
        if worker.version != self.store.version or not worker.process.is_alive():
            self._retire(worker)
            worker = self._spawn()
        return worker

    def run(
        self, query: SparqlQuery, fmt: str, *, bindings: Mapping[str, Identifier] | None = None
    ) -> bytes:
        """``query``'s result written as ``fmt``; :class:`QueryTimeout` past the limit."""
        deadline = time.monotonic() + self.timeout
        worker = self._acquire(deadline)
        try:
            worker.conn.send((query, fmt, dict(bindings or {}), self.limit))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout(
                    f"the query ran longer than the {self.timeout:g} s limit and was stopped"
                )
            ok, payload = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise QueryError("the query's worker process died (out of memory?)") from exc
        except BaseException:
            self._replace(worker)
            raise
        self._idle.put(worker)
        if not ok:
            raise payload
        return payload

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()
