"""``llgraph serve``: load once, then fork HTTP workers (uvicorn) that share the data."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import socket
import threading
import time
from typing import Any

import uvicorn
from fastapi import FastAPI

from llgraph.config import Settings
from llgraph.errors import LLGraphError
from llgraph.load import expand_paths
from llgraph.project import load_validated
from llgraph.queries import load_catalogue
from llgraph.sparql.sandbox import probe
from llgraph.store import Store, open_store
from llgraph.web.app import create_app, state_of
from llgraph.web.middleware import AccessLog

__all__ = ["build_app", "follow_store", "serve", "urls", "worker_count"]

supervisor_log = logging.getLogger("llgraph.serve")
#: How often (seconds) an HTTP worker checks that the process that forked it still runs,
#: and every process of the server whether a load made other data current.
PARENT_CHECK = 1.0
#: A worker that dies sooner than this after starting, this many times in a row, stops the server.
EARLY_DEATH, EARLY_DEATHS = 5.0, 5


def _say(text: str) -> None:
    print(text, flush=True)


def build_app(settings: Settings) -> FastAPI:
    """The served app: data loaded and validated, queries checked, access log on.
    Says what it does as it goes (start-up takes a few seconds)."""
    _say(f"checking the named queries in {settings.queries_dir} ...")
    catalogue = load_catalogue(settings.queries_dir)  # a broken query fails before loading
    files = expand_paths(settings.data_paths)
    _say(f"loading and validating {len(files)} data files into the {settings.store} store ...")
    started = time.monotonic()
    store = open_store(settings.store)
    report = load_validated(settings, store)
    _say(
        f"{len(store)} triples loaded ({report.triples} of data, with the ontology): they "
        f"conform to the SHACL shapes; {len(catalogue)} named queries ready "
        f"({time.monotonic() - started:.1f} s)"
    )
    app = create_app(settings, store, catalogue)
    app.add_middleware(AccessLog)
    return app


def urls(settings: Settings) -> dict[str, str]:
    """The URLs a user starts from: home page, SPARQL endpoint, API docs, queries."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    base = f"http://{host}:{settings.port}"
    return {
        "home page": f"{base}/",
        "SPARQL endpoint": f"{base}/sparql",
        "API docs": f"{base}/docs",
        "SPARQL editor": f"{base}/sparql (in a browser)",
        "named queries": f"{base}/queries",
        "report tables": f"{base}/tables",
    }


def worker_count(settings: Settings) -> int:
    """How many HTTP worker processes to run: ``settings.workers``, or one per core."""
    if settings.workers:
        return settings.workers
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def serve(settings: Settings) -> None:
    """Load, validate and serve until interrupted (raises if the data does not conform).

    The data is loaded and validated once, in this process; then :func:`worker_count`
    HTTP workers are forked and share it copy-on-write, each accepting on the same
    socket with its own query workers. With one worker it is served from this process.
    """
    app = build_app(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    remote = state_of(app).store.name == "sparql"
    supervisor_log.info(
        "query workers are not sandboxed: they must reach the SPARQL server; the guard "
        "refuses SERVICE and FROM"
        if remote
        else probe()
    )
    trusted = settings.forwarded_allow_ips
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        access_log=False,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
    )
    count = worker_count(settings)
    if count == 1:
        _announce(settings, count)
        pool = state_of(app).pool()  # forked now, before uvicorn starts any thread
        done = threading.Event()
        _follow_in_background(state_of(app).store, "server", done)
        try:
            uvicorn.Server(config).run()
        finally:
            done.set()
            pool.close()
        return
    try:
        sock = config.bind_socket()
    except SystemExit:  # uvicorn logged why (the port is taken, say)
        raise LLGraphError(f"cannot listen on {settings.host}:{settings.port}") from None
    _announce(settings, count)
    gc.collect()
    gc.freeze()  # what exists now is shared with the workers: their GC need not touch (copy) it
    _Supervisor(app, config, sock, count).run()


#: The last reason this process could not switch to new data (said once, not every second).
_failed_switch: dict[int, str] = {}


def follow_store(store: Store, who: str) -> None:
    """Switch ``store`` to data a load made current since (logging it); never raises."""
    before = store.version
    try:
        switched = store.refresh()
    except Exception as exc:  # the server goes on with the data it has, and says why
        if _failed_switch.get(id(store)) != str(exc):
            _failed_switch[id(store)] = str(exc)
            supervisor_log.warning(
                "%s %d still serves data version %s: %s", who, os.getpid(), before, exc
            )
        return
    _failed_switch.pop(id(store), None)
    if switched:
        supervisor_log.info(
            "%s %d: now serving data version %s (was %s): new data was loaded",
            who,
            os.getpid(),
            store.version,
            before,
        )


def _follow_in_background(store: Store, who: str, until: threading.Event) -> threading.Thread:
    def follow() -> None:
        while not until.wait(PARENT_CHECK):
            follow_store(store, who)

    thread = threading.Thread(target=follow, name="follow-store", daemon=True)
    thread.start()
    return thread


def _announce(settings: Settings, count: int) -> None:
    for name, url in urls(settings).items():
        print(f"{name:>16}: {url}", flush=True)
    print(f"{'HTTP workers':>16}: {count}", flush=True)


class _Supervisor:
    """Forks the HTTP workers, forks a new one when one dies, stops them all on a signal.

    Between deaths it follows the store (a load while serving), so that a worker forked
    later starts on the new data and the old data is not held by this process.
    """

    def __init__(self, app: FastAPI, config: uvicorn.Config, sock: socket.socket, count: int):
        self.app, self.config, self.sock, self.count = app, config, sock, count
        self.children: dict[int, float] = {}  # pid → start time
        self.stopping = False
        self.early_deaths = 0
        self.mask: set[signal.Signals | int] = set()  # the signal mask the workers start with

    def run(self) -> None:
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        # SIGCHLD stays pending until sigtimedwait takes it: a death wakes the loop at once.
        self.mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
        try:
            self._supervise()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.mask)
        self.sock.close()

    def _supervise(self) -> None:
        for _ in range(self.count):
            self._fork()
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if not pid:
                if not signal.sigtimedwait({signal.SIGCHLD}, PARENT_CHECK) and not self.stopping:
                    follow_store(state_of(self.app).store, "supervisor")
                continue
            started = self.children.pop(pid, None)
            if started is None or self.stopping:
                continue
            code = os.waitstatus_to_exitcode(status)
            supervisor_log.warning("HTTP worker %d ended (exit %d): forking another", pid, code)
            early = time.monotonic() - started < EARLY_DEATH
            self.early_deaths = self.early_deaths + 1 if early else 0
            if self.early_deaths >= EARLY_DEATHS:
                self._stop(signal.SIGTERM, None)
                raise LLGraphError(
                    f"HTTP workers keep dying at start ({EARLY_DEATHS} in a row): see the log above"
                )
            self._fork()

    def _stop(self, signum: int, frame: Any) -> None:
        self.stopping = True
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def _fork(self) -> None:
        parent = os.getpid()
        pid = os.fork()
        if pid:
            self.children[pid] = time.monotonic()
            return
        code = 0
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.mask)
            _http_worker(self.app, self.config, self.sock, parent)
        except BaseException:
            supervisor_log.exception("HTTP worker %d failed", os.getpid())
            code = 1
        finally:
            os._exit(code)  # never return into the supervisor's loop


def _http_worker(app: FastAPI, config: uvicorn.Config, sock: socket.socket, parent: int) -> None:
    """One forked HTTP worker: reopen the store, fork its query workers, serve ``sock``."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    state_of(app).store.after_fork()
    pool = state_of(app).pool()
    server = uvicorn.Server(config)

    def watch_parent() -> None:  # a killed supervisor leaves no worker behind
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK)
            follow_store(state_of(app).store, "HTTP worker")
        server.should_exit = True

    threading.Thread(target=watch_parent, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        pool.close()
