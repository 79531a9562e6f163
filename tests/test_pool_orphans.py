"""A killed server leaves no query worker behind: workers end when their parent is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from processes import alive

SERVER = """
import sys, time
from rdflib import Graph
from llgraph.sparql.pool import QueryPool
from llgraph.store import MemoryStore
store = MemoryStore()
store.replace(Graph())
pool = QueryPool(store, size=2, timeout=5)
print(" ".join(str(w.process.pid) for w in pool._workers), flush=True)
time.sleep(60)
"""


def test_workers_end_when_the_server_is_killed() -> None:
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(pid) for pid in server.stdout.readline().split()]  # type: ignore[union-attr]
        assert len(workers) == 2 and all(alive(pid) for pid in workers)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers), "orphaned query workers"
    finally:
        server.kill()
        server.wait()
