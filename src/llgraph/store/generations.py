"""Generations of an on-disk store: the ``CURRENT`` pointer, holds on them, removal when unheld.

Each load writes a new generation directory ``gen-N`` (with ``gen-N.json`` beside it) and
switches ``CURRENT`` to it with one atomic rename. Every process that serves a generation
holds a shared ``flock`` on ``gen-N.lock``; a generation is removed (under an exclusive
lock, which only succeeds once nobody holds it) by whichever process finds it unheld and
no longer current. A forked child shares its parent's lock until it closes its copy, so a
child takes its own hold first, then closes the one it inherited.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "CURRENT",
    "hold",
    "hold_current",
    "hold_new",
    "point_current",
    "read_current",
    "remove_unheld",
]

CURRENT = "CURRENT"
#: How often to re-read ``CURRENT`` when the generation it names vanishes while being held.
ATTEMPTS = 20


def read_current(root: Path) -> str | None:
    """The name of the generation ``root/CURRENT`` points to, or None if there is none."""
    try:
        return (root / CURRENT).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def point_current(root: Path, name: str) -> None:
    """Make generation ``name`` the current one, atomically (one rename)."""
    pointer = root / f"{CURRENT}.{os.getpid()}-{threading.get_ident()}.tmp"
    pointer.write_text(name, encoding="utf-8")
    os.replace(pointer, root / CURRENT)


def _lock_file(gen: Path) -> Path:
    return gen.with_suffix(".lock")


def _lock(path: Path, operation: int) -> BinaryIO | None:
    """``path`` opened (made if missing) and locked, or None if a non-blocking lock is refused.

    A lock file removed while this process waited for it is made again and locked anew.
    """
    while True:
        handle = open(path, "ab", buffering=0)  # noqa: SIM115 (the open file is the lock)
        try:
            fcntl.flock(handle.fileno(), operation)
        except BlockingIOError:
            handle.close()
            return None
        try:
            same = os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return handle
        handle.close()


def hold_new(root: Path) -> tuple[Path, BinaryIO]:
    """A fresh generation name in ``root``, held before its directory exists."""
    gen = root / f"gen-{time.time_ns()}"
    handle = _lock(_lock_file(gen), fcntl.LOCK_SH)
    assert handle is not None  # a blocking lock is never refused
    return gen, handle


def hold(gen: Path) -> BinaryIO | None:
    """A shared hold on generation ``gen`` (kept until closed), or None if it is gone."""
    handle = _lock(_lock_file(gen), fcntl.LOCK_SH)
    assert handle is not None
    if gen.is_dir():
        return handle
    handle.close()
    return None


def hold_current(root: Path) -> tuple[Path, BinaryIO] | None:
    """The generation ``CURRENT`` names, held; None when no generation was loaded yet.

    Raises OSError when ``CURRENT`` keeps naming a generation that does not exist.
    """
    for _ in range(ATTEMPTS):
        name = read_current(root)
        if name is None:
            return None
        handle = hold(root / name)
        if handle is not None:
            return root / name, handle
    raise OSError(f"{root / CURRENT} names {name}, which does not exist")


def remove_unheld(root: Path) -> list[str]:
    """Remove every generation but the current one that no process holds; their names."""
    names = {p.name.partition(".")[0] for p in root.glob("gen-*")}
    removed = []
    for name in sorted(names - {read_current(root)}):
        gen = root / name
        handle = _lock(_lock_file(gen), fcntl.LOCK_EX | fcntl.LOCK_NB)
        if handle is None:
            continue
        with handle:
            if read_current(root) == name:  # a load made it current since the listing
                continue
            shutil.rmtree(gen, ignore_errors=True)
            gen.with_suffix(".json").unlink(missing_ok=True)
            _lock_file(gen).unlink(missing_ok=True)
        removed.append(name)
    return removed
