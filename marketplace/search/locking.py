"""A cross-process write lock with retries: Whoosh allows one writer per index, and gunicorn runs several workers.

An `fcntl` lock on a file next to the index (the index lives on one host's disk, so every writer is on this host);
the kernel releases it when a process dies, so a crashed worker never leaves the index locked.
"""

from __future__ import annotations

import fcntl
import os
import random
import time
from contextlib import contextmanager


class IndexBusy(RuntimeError):
    """The index stayed locked by another writer for longer than the timeout."""


@contextmanager
def file_lock(path: str, timeout: float = 60.0):
    """Hold an exclusive lock on `path`, retrying with jitter until `timeout` seconds; raises IndexBusy then."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexBusy(f"search index locked for more than {timeout:.0f} s") from None
                time.sleep(0.005 + random.random() * 0.02)
        yield
    finally:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
