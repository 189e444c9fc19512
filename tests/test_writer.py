"""SQLite's one writer (grassroots.writer): writers queue for one connection, a group of
them is committed with one COMMIT, each returns only once its own work is durable, and a
failure touches only what it must. Real SQLite files, real threads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from grassroots.db import make_engine, make_session_factory, transaction
from grassroots.writer import GroupCommitFailed, gate_for


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with eng.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql(
            "CREATE TABLE row (id INTEGER PRIMARY KEY, v TEXT UNIQUE, "
            "parent_id INTEGER REFERENCES parent(id))"
        )
    yield eng
    eng.dispose()


def stored(engine: Engine) -> list[str]:
    """What another connection sees: only committed rows."""
    with engine.connect() as conn:
        return sorted(conn.execute(text("SELECT v FROM row")).scalars())


def insert(session: Session, value: str) -> None:
    session.execute(text("INSERT INTO row (v) VALUES (:v)"), {"v": value})


def in_thread(fn: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    out: list[object] = []

    def run() -> None:
        try:
            out.append(fn())
        except BaseException as exc:  # handed to the test
            out.append(exc)

    t = threading.Thread(target=run)
    t.start()
    return t, out


def queued(engine: Engine, n: int) -> bool:
    """Whether n writers are waiting for the gate (a test's way to line them up)."""
    gate = gate_for(engine)
    assert gate is not None
    for _ in range(500):
        if gate.waiting() >= n:
            return True
        threading.Event().wait(0.01)
    return False


def test_writers_in_line_share_one_commit_and_each_returns_durable(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    first_in, let_go = threading.Event(), threading.Event()

    def first() -> list[str]:
        with sessions() as s, transaction(s):
            insert(s, "a")
            first_in.set()
            let_go.wait(10)
        return stored(engine)  # what is stored when transaction() returned

    def other(v: str) -> Callable[[], list[str]]:
        def run() -> list[str]:
            with sessions() as s, transaction(s):
                insert(s, v)
            return stored(engine)

        return run

    t1, out1 = in_thread(first)
    assert first_in.wait(10)
    others = [in_thread(other(v)) for v in "bcd"]
    assert queued(engine, 3)
    assert stored(engine) == []  # nothing committed while the first holds the writer
    let_go.set()
    for t, _ in [(t1, out1), *others]:
        t.join(10)
    gate = gate_for(engine)
    assert gate is not None
    assert gate.stats.transactions == 4 and gate.stats.commits == 1
    # Each writer returned only after the one COMMIT: every answer sees all four rows.
    assert out1 == [["a", "b", "c", "d"]]
    assert all(out == [["a", "b", "c", "d"]] for _, out in others)


def test_a_failing_writer_rolls_back_alone(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    first_in, let_go = threading.Event(), threading.Event()

    def first() -> None:
        with sessions() as s, transaction(s):
            insert(s, "a")
            first_in.set()
            let_go.wait(10)

    def failing() -> None:
        with sessions() as s, transaction(s):
            insert(s, "b")
            insert(s, "a")  # UNIQUE: sees the first's row, fails, takes its "b" back

    def last() -> None:
        with sessions() as s, transaction(s):
            insert(s, "c")

    t1, out1 = in_thread(first)
    assert first_in.wait(10)
    t2, out2 = in_thread(failing)
    assert queued(engine, 1)
    t3, out3 = in_thread(last)
    assert queued(engine, 2)
    let_go.set()
    for t in (t1, t2, t3):
        t.join(10)
    assert out1 == [None] and out3 == [None]
    assert "UNIQUE" in str(out2[0])
    assert stored(engine) == ["a", "c"]


def test_a_failed_group_commit_fails_every_writer_of_the_group(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    first_in, let_go = threading.Event(), threading.Event()

    def first() -> None:
        with sessions() as s, transaction(s):
            insert(s, "a")
            first_in.set()
            let_go.wait(10)

    def poisons_the_commit() -> None:
        # A deferred foreign-key violation passes the SAVEPOINT's release and fails COMMIT.
        with sessions() as s, transaction(s):
            s.execute(text("PRAGMA defer_foreign_keys = ON"))
            s.execute(text("INSERT INTO row (v, parent_id) VALUES ('b', 99)"))

    t1, out1 = in_thread(first)
    assert first_in.wait(10)
    t2, out2 = in_thread(poisons_the_commit)
    assert queued(engine, 1)
    let_go.set()
    t1.join(10)
    t2.join(10)
    assert isinstance(out1[0], GroupCommitFailed) and isinstance(out2[0], GroupCommitFailed)
    assert stored(engine) == []
    with sessions() as s, transaction(s):  # the writer carries on with a new connection
        insert(s, "c")
    assert stored(engine) == ["c"]


def test_readers_do_not_wait_for_the_writer(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    with sessions() as s, transaction(s):
        insert(s, "old")
    inside, let_go = threading.Event(), threading.Event()

    def writer() -> None:
        with sessions() as s, transaction(s):
            insert(s, "new")
            inside.set()
            let_go.wait(10)

    t, _ = in_thread(writer)
    assert inside.wait(10)
    try:
        with sessions() as reader:  # answers at once from the committed snapshot
            assert list(reader.execute(text("SELECT v FROM row")).scalars()) == ["old"]
    finally:
        let_go.set()
        t.join(10)
    assert stored(engine) == ["new", "old"]


def test_changes_left_outside_transaction_are_refused(engine: Engine) -> None:
    from grassroots.audit.models import AuditChainHead

    sessions = make_session_factory(engine)
    with sessions() as s:
        s.execute(text("SELECT 1"))
        s.add(AuditChainHead(id=1, last_id=0, last_hash="x"))
        with pytest.raises(RuntimeError, match="outside transaction"), transaction(s):
            pass
