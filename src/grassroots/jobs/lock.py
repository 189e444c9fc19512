"""One process at a time per job: `only_one(engine, name)` yields whether this process got
the job's lock (and holds it for the block), without waiting for it.

PostgreSQL: a session advisory lock on a connection of its own, keyed by the job's name
(any number of app processes and hosts on one database). SQLite: an exclusive lock on a file
beside the database (every process of one machine; SQLite is not shared between machines).
A process that dies loses its lock with its connection or its file descriptor: nothing to
clean up after a crash.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for a job name (a namespace of its own)."""
    digest = hashlib.sha256(f"grassroots.job\x00{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def only_one(engine: Engine, name: str) -> Iterator[bool]:
    if engine.dialect.name == "postgresql":
        with _advisory(engine, name) as got:
            yield got
        return
    database = engine.url.database or ""
    if not database or database == ":memory:":  # private to one connection: nobody to meet
        yield True
        return
    with _lock_file(Path(f"{database}.job-{name}.lock")) as got:
        yield got


@contextmanager
def _advisory(engine: Engine, name: str) -> Iterator[bool]:
    key = lock_key(name)
    with engine.connect() as conn:
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()


@contextmanager
def _lock_file(path: Path) -> Iterator[bool]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
