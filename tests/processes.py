"""Process helpers shared by the tests that start servers: free ports, children, liveness."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without LLGRAPH_* settings (a child llgraph uses its
    defaults and ``extra``, not the developer's shell)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLGRAPH_")}
    return {**env, **extra}


def _stat(pid: int | str) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie nobody reaps counts as gone)."""
    try:
        return _stat(pid)[0] != "Z"
    except OSError:
        return False


def children(pid: int) -> list[int]:
    """The running child processes of ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = _stat(entry.name)
            except OSError:
                continue
            if int(stat[1]) == pid and stat[0] != "Z":
                found.append(int(entry.name))
    return found


def wait_until(condition: Callable[[], bool], seconds: float = 15.0) -> bool:
    """Poll ``condition`` until it holds (True) or ``seconds`` pass (False)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it accepts (and closes them)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.count = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.count += 1
            conn.close()

    def settled(self) -> int:
        """The count, once connections under way have had a moment to arrive."""
        time.sleep(0.01)
        return self.count

    def close(self) -> None:
        self.sock.close()


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = .
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = {max_seconds}
"""


def virtuoso_config(
    folder: Path,
    buffers: int = 20_000,
    *,
    max_rows: int = 10_000_000,
    max_seconds: int = 600,
) -> tuple[Path, int]:
    """A ``virtuoso.ini`` keeping everything in ``folder``, on free loopback ports;
    returns it and the HTTP port. ``buffers`` are 8 KiB pages of cache (20,000: 160 MiB);
    ``max_rows`` is ``ResultSetMaxRows`` (where Virtuoso cuts answers) and ``max_seconds``
    ``MaxQueryExecutionTime``. The SQL port listens on 127.0.0.1 too; the account is
    Virtuoso's initial ``dba``/``dba``, fine for a throw-away test server."""
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    values = {"folder": folder, "sql_port": sql_port, "http_port": http_port}
    limits = {"max_rows": max_rows, "max_seconds": max_seconds}
    ini.write_text(VIRTUOSO_INI.format(**values, **limits, buffers=buffers, dirty=buffers * 3 // 4))
    return ini, http_port


def wait_for_http(url: str, proc: subprocess.Popen[bytes], seconds: float = 90.0) -> None:
    """Wait until ``url`` answers 200; raise with the reason when ``proc`` dies or time runs out."""
    import httpx

    def up() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} while starting")
        try:
            return httpx.get(url, timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    if not wait_until(up, seconds):
        raise RuntimeError(f"{url} did not answer within {seconds:g} s")


#: Headless Chromium as the browser tests and page benchmarks run it: no sandbox (root),
#: no GPU, and none of the background connections Chromium makes on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """The Chromium to drive: LLGRAPH_CHROMIUM, else `chromium` on PATH."""
    return os.environ.get("LLGRAPH_CHROMIUM") or shutil.which("chromium")
