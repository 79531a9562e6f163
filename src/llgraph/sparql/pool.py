"""The worker pool: each query runs in a forked process that is killed at the time limit."""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import multiprocessing
import os
import queue
import resource
import signal
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from multiprocessing.connection import Connection

from rdflib.term import Identifier

from llgraph.errors import QueryError, QueryTimeout, ServerBusy, TooManyQueries, WorkerDied
from llgraph.sparql.formats import execute
from llgraph.sparql.guard import SparqlQuery
from llgraph.sparql.sandbox import deny_network
from llgraph.store import Store

__all__ = ["QueryPool", "WorkerDied"]

log = logging.getLogger("llgraph.sparql")

_FORK = multiprocessing.get_context("fork")
#: How much memory a worker may take beyond its parent's size (the data it shares).
WORKER_MEMORY = 4 << 30
#: A query still running after this many seconds yields the processor to the HTTP workers
#: and to short queries (long ones must not slow every answer): its worker is made this
#: much "nicer" (lower priority), and retired once it answers.
DEMOTE_AFTER, QUERY_NICENESS = 0.25, 10
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


def _work(conn: Connection, store: Store, memory: int, parent: int, sandbox: bool) -> None:
    """A worker's loop: run each job on the store inherited from the parent, send bytes back.

    With ``sandbox``, the worker first denies itself network sockets (it fails rather than
    run unsandboxed). It ends when its pipe closes or its parent is gone (a killed server
    leaves no orphan: forked siblings hold copies of the pipe, so end-of-file alone is not
    enough).
    """
    store.after_fork()
    faulthandler.disable()  # a crash is reported by the pool, with its signal (_Worker.death)
    _cap_memory(memory)
    if sandbox:
        deny_network()
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
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # never die on one bad query (pyo3's panics included)
            conn.send((False, QueryError(f"the query failed: {exc}")))


class _Worker:
    """One forked process with its end of a pipe, and the data version it was forked with."""

    def __init__(self, store: Store, memory: int, sandbox: bool) -> None:
        self.conn, child = _FORK.Pipe()
        self.version, self.memory = store.version, memory
        self.process = _FORK.Process(
            target=_work, args=(child, store, memory, os.getpid(), sandbox), daemon=True
        )
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()

    def demote(self) -> None:
        """Run this worker's query at a lower priority than the HTTP workers."""
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.process.pid or 0, QUERY_NICENESS)

    def death(self) -> WorkerDied:
        """What ended this worker, as an error to report (and logged)."""
        self.process.join(1.0)
        code = self.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            why = "was killed (out of memory?)" if -code == signal.SIGKILL else f"crashed ({name})"
            if -code == signal.SIGABRT and self.memory:  # Rust aborts when an allocation fails
                why += f": most likely the query needed more than {self.memory >> 20} MiB of memory"
        else:
            why = f"ended (exit status {code})"
        log.error("query worker %s %s while running a query", self.process.pid, why)
        return WorkerDied(f"the query's worker process {why}; the query was not answered")


class QueryPool:
    """Runs queries in forked worker processes so a runaway query can be killed.

    Neither rdflib nor Oxigraph can interrupt a query from outside its thread: each
    query runs in a worker forked after the data was loaded (sharing it copy-on-write);
    at the time limit the worker is killed. Workers forked before the store's data was
    replaced (``store.version`` changed) are replaced before their next job. Each worker
    may grow by ``memory`` bytes beyond the data it shares, so a query that would build
    an enormous result fails instead of exhausting the machine.

    Fairness: ``size`` workers are kept ready, and more are forked on demand up to
    ``max_workers`` queries at once; past that a query waits at most ``queue_wait``
    seconds for a free place, then :class:`ServerBusy`. One client (``client`` of
    :meth:`run`, its address) may run ``per_client`` queries at once; one more is
    :class:`TooManyQueries` at once. :meth:`run` blocks: call it off the event loop.
    """

    def __init__(
        self,
        store: Store,
        *,
        size: int = 2,
        timeout: float = 30.0,
        limit: int = 100_000,
        memory: int = WORKER_MEMORY,
        sandbox: bool | None = None,
        max_workers: int = 16,
        per_client: int = 2,
        queue_wait: float = 2.0,
    ) -> None:
        self.store, self.size, self.timeout, self.limit = store, size, timeout, limit
        self.memory, self.max_workers = memory, max(size, max_workers)
        self.per_client, self.queue_wait = per_client, queue_wait
        #: Workers deny themselves network sockets, unless they must reach a SPARQL server.
        self.sandbox = store.name != "sparql" if sandbox is None else sandbox
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._places = threading.BoundedSemaphore(self.max_workers)
        self._running: Counter[str] = Counter()
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store, self.memory, self.sandbox)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        """Stop ``worker``; fork a ready one in its place while fewer than ``size`` exist."""
        with self._lock:
            self._workers.discard(worker)
            short = len(self._workers) < self.size
        worker.stop()
        if short:
            self._idle.put(self._spawn())

    def _acquire(self) -> _Worker:
        """A ready worker on the current data: an idle one, or one forked now."""
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return self._spawn()
            if worker.version == self.store.version and worker.process.is_alive():
                return worker
            with self._lock:
                self._workers.discard(worker)
            worker.stop()

    @contextmanager
    def _admitted(self, client: str) -> Iterator[None]:
        """Hold one of the ``max_workers`` places for ``client`` while a query runs."""
        with self._lock:
            if self._running[client] >= self.per_client:
                raise TooManyQueries(
                    f"this client already runs {self.per_client} queries, the most allowed "
                    "at once: wait for one to end"
                )
            self._running[client] += 1
        try:
            if not self._places.acquire(timeout=self.queue_wait):
                raise ServerBusy(
                    f"all {self.max_workers} query workers stayed busy for "
                    f"{self.queue_wait:g} s: try again shortly"
                )
            try:
                yield
            finally:
                self._places.release()
        finally:
            with self._lock:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]

    def run(
        self,
        query: SparqlQuery,
        fmt: str,
        *,
        bindings: Mapping[str, Identifier] | None = None,
        client: str = "",
    ) -> bytes:
        """``query``'s result written as ``fmt``; :class:`QueryTimeout` past the limit,
        :class:`ServerBusy` or :class:`TooManyQueries` when it cannot start soon."""
        with self._admitted(client):
            return self._run(query, fmt, dict(bindings or {}))

    def _run(self, query: SparqlQuery, fmt: str, bindings: dict[str, Identifier]) -> bytes:
        worker = self._acquire()
        try:
            worker.conn.send((query, fmt, bindings, self.limit))
            demoted = not worker.conn.poll(min(DEMOTE_AFTER, self.timeout))
            if demoted:
                worker.demote()
            if demoted and not worker.conn.poll(max(0.0, self.timeout - DEMOTE_AFTER)):
                raise QueryTimeout(
                    f"the query ran longer than the {self.timeout:g} s limit and was stopped"
                )
            ok, payload = worker.conn.recv()
        except (EOFError, OSError) as exc:
            died = worker.death()
            self._retire(worker)
            raise died from exc
        except BaseException:
            self._retire(worker)
            raise
        if demoted:  # a lower priority cannot be undone: fork a fresh worker when needed
            self._retire(worker)
        else:
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
