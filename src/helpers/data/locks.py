"""File locks between builds sharing a checkout: held exclusively by one process (or thread) at
a time, or shared by any number. filelock's ReadWriteLock (SQLite's locking underneath) works
alike on Linux, macOS and Windows, is released when its holder exits, even killed, and can give
up after a timeout. Used for the editions' steps (helpers.workflow.editions) and the firm-level
tables' folder (helpers.firmlevel.tables)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from filelock import ReadWriteLock, Timeout

from helpers.paths import display_path


@contextlib.contextmanager
def locked(
    path: Path, shared: bool = False, *, quiet: bool = False, timeout: float = -1
) -> Iterator[None]:
    """Hold the lock at `path` (created if missing, with its folder), shared or exclusive. When
    another holder is in the way, say so (unless `quiet`) and wait: as long as it takes, or
    `timeout` seconds, then filelock.Timeout."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = ReadWriteLock(path, timeout=timeout, is_singleton=False)
    acquire = lock.acquire_read if shared else lock.acquire_write
    try:
        try:
            acquire(blocking=False)
        except Timeout:
            if not quiet:
                print(f"waiting for another build holding {display_path(path)} ...", flush=True)
            acquire()
        try:
            yield
        finally:
            lock.release()
    finally:
        lock.close()
