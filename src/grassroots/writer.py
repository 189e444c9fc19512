"""SQLite's one writer: every write transaction of a process runs on ONE connection, in turn.

SQLite allows one writer at a time. Left to itself, each request's connection would take
the write lock with BEGIN IMMEDIATE and the others would sleep in SQLite's busy handler,
in steps of up to 100 ms, however soon the lock is free again: most of the time under load
went into those sleeps, and the tail latency into seconds. Here the writers queue instead
(first come, first served, woken the moment it is their turn) for the process's one
writer connection, and what they queued is committed together:

* a writer takes its turn (`WriteGate.hold`), runs its transaction as a SAVEPOINT inside
  the group transaction on the writer connection, releases it and hands the connection on;
* whoever finishes while nobody else is waiting (or when the group is large) COMMITs the
  group: one fsync (synchronous=FULL) for every transaction in it;
* each writer returns only after the COMMIT that made its own transaction durable
  (`hold` waits for it); if that COMMIT fails, every writer of the group gets the error,
  so nothing unacknowledged ever counts as done, and nothing acknowledged can be lost.

A writer sees the transactions released before it in the same group (they are ahead of it
in the one serial order, and if their commit fails, so does its own). Reads never wait for
the writer: they use the engine's other connections, WAL snapshots of what is committed.

`db.transaction()` uses the gate for every session bound to a SQLite file engine; tests
that bind sessions to their own connection and PostgreSQL (row locks, its own group
commit) do not. Other processes (the CLI) still meet this one through SQLite's lock.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)
CHECKPOINT_SECONDS = 1.0
# A group is committed after this many transactions even if more are waiting, so that the
# first ones are not kept waiting for their acknowledgement behind a long queue.
MAX_GROUP = 64


class GroupCommitFailed(RuntimeError):
    """The COMMIT of the group this transaction belonged to failed: it was not stored."""


@dataclass
class _Group:
    size: int = 0
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None

    def wait(self) -> None:
        self.done.wait()
        if self.error is not None:
            raise GroupCommitFailed(str(self.error)) from self.error


@dataclass
class GateStats:
    """Counters for tests and the benchmarks: transactions stored and COMMITs (fsyncs)."""

    transactions: int = 0
    commits: int = 0
    failed_commits: int = 0
    largest_group: int = 0


class WriteGate:
    """One writer connection, lent to one transaction at a time in FIFO order, with group
    commit (see the module docstring)."""

    def __init__(self, engine: Engine, max_group: int = MAX_GROUP) -> None:
        self._engine = engine
        self._max_group = max_group
        self._conn: Connection | None = None
        self._lock = threading.Lock()  # guards _busy and _line
        self._busy = False  # the connection is lent out
        self._line: deque[threading.Lock] = deque()  # each waiter's own lock, held for it
        self._group = _Group()
        self.stats = GateStats()
        self._checkpointer = Checkpointer(engine.url.database or "")

    @contextmanager
    def hold(self) -> Iterator[Connection]:
        """The writer connection, inside the open group transaction, for one transaction.
        The caller works in a SAVEPOINT of its own (a Session joined with
        join_transaction_mode="create_savepoint") and leaves it released or rolled back.
        Returns once that work is durable; raises GroupCommitFailed if it could not be."""
        self._wait_for_turn()
        try:
            conn = self._connection()
            yield conn
        except BaseException:
            self._leave(joined=False)
            raise
        group = self._leave(joined=True)
        group.wait()

    def waiting(self) -> int:
        """How many writers are waiting for their turn (not counting the one holding it)."""
        with self._lock:
            return len(self._line)

    def _wait_for_turn(self) -> None:
        """Take the connection, or join the line and sleep until the one before hands it
        over. Each waiter sleeps on a lock of its own, so a hand-over wakes exactly the next
        one (a shared Condition's notify_all woke every waiter to find it was not its turn:
        a tenth of the server's CPU under load)."""
        with self._lock:
            if not self._busy:
                self._busy = True
                return
            mine = threading.Lock()
            mine.acquire()
            self._line.append(mine)
        mine.acquire()  # released by _hand_over: the connection is now ours

    def _connection(self) -> Connection:
        if self._conn is None or self._conn.closed:
            self._conn = self._engine.connect().execution_options(sqlite_immediate=True)
            # Checkpoints (copying the WAL into the database file, with its fsync) are left
            # to the checkpointer's thread instead of the COMMIT that crosses the threshold:
            # the writer then never stops for one.
            self._conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
            self._checkpointer.start()
        if not self._conn.in_transaction():
            self._conn.begin()  # BEGIN IMMEDIATE (db.py): the group transaction
        return self._conn

    def _leave(self, *, joined: bool) -> _Group:
        """Count the transaction into the group, COMMIT the group if nobody is waiting for
        the connection (or it is full), then hand the connection to the next in line."""
        group = self._group
        if joined:
            group.size += 1
            self.stats.transactions += 1
        waiting = self.waiting()
        if group.size and (waiting == 0 or group.size >= self._max_group):
            self._commit(group)
        elif not group.size and self._conn is not None and self._conn.in_transaction():
            self._conn.rollback()  # nothing of the group left: give the lock back
        self._hand_over()
        return group

    def _hand_over(self) -> None:
        """The next in line gets the connection (first come, first served), or it is free.
        Whoever joins the line after `waiting` was read finds the group still open and
        commits it when it leaves."""
        with self._lock:
            if self._line:
                self._line.popleft().release()
            else:
                self._busy = False

    def _commit(self, group: _Group) -> None:
        assert self._conn is not None
        try:
            self._conn.commit()
        except BaseException as exc:  # every member of the group hears of it
            group.error = exc
            self.stats.failed_commits += 1
            self._discard_connection()
        self.stats.commits += 1
        self.stats.largest_group = max(self.stats.largest_group, group.size)
        self._group = _Group()
        group.done.set()

    def _discard_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(Exception):  # already broken: it is dropped either way
                conn.invalidate()
                conn.close()

    def close(self) -> None:
        """Engine disposal: roll back anything not committed and drop the connection."""
        self._checkpointer.stop()
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None and not conn.closed:
            conn.close()


class Checkpointer:
    """Checkpoints the WAL every CHECKPOINT_SECONDS on a connection of its own, PASSIVE: it
    copies what no reader still needs without waiting for, or blocking, the writer."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint",
                                            daemon=True)  # fmt: skip
            self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self._path, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout = 1000")
            while not self._stop.wait(CHECKPOINT_SECONDS):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:  # busy or gone: the next round tries again
                    log.debug("checkpoint skipped", exc_info=True)
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None


_GATES: weakref.WeakKeyDictionary[Any, WriteGate] = weakref.WeakKeyDictionary()
_GATES_LOCK = threading.Lock()


def uses_gate(engine: Engine) -> bool:
    """SQLite on a file: one writer per process through the gate. (An in-memory database
    is private to its connection: there is nothing to share or queue for.)"""
    if engine.dialect.name != "sqlite":
        return False
    database = engine.url.database or ""
    return database not in ("", ":memory:") and not database.startswith("file::memory:")


def gate_for(engine: Engine) -> WriteGate | None:
    """The process's gate for this engine (shared by its execution_options() variants,
    which share its pool), made on first use; None where no gate is used."""
    if not uses_gate(engine):
        return None
    pool = engine.pool
    gate = _GATES.get(pool)
    if gate is not None:
        return gate
    with _GATES_LOCK:
        gate = _GATES.get(pool)
        if gate is None:
            base: Engine = getattr(engine, "_proxied", engine)  # an OptionEngine's own
            gate = _GATES[pool] = WriteGate(base)
            event.listen(base, "engine_disposed", lambda _engine: gate.close())
    return gate
