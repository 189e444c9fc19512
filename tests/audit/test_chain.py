"""The hash chain: linked rows, append-only triggers, tamper detection, concurrent writers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import _chain_pending, record_audit
from grassroots.audit.chain import HASHED_FIELDS, row_hash
from grassroots.audit.models import GENESIS_HASH, AuditEntry
from grassroots.audit.verify import chain_head, verify_chain
from grassroots.db import make_engine, make_session_factory, transaction, writer_engine
from tests.audit.conftest import drop_append_only_triggers, forge_row, hash_of, swap_rows


def test_rows_link_to_each_other(session: Session, users: dict[str, User]):
    before, _ = chain_head(session)
    with transaction(session):
        first = record_audit(session, actor=users["zhao"], action="case.accept", object_id=1)
        second = record_audit(session, actor=None, action="jobs.sweep", details={"n": 2})
    assert second.prev_hash == first.row_hash
    assert (first.id, second.id) == (before + 1, before + 2)
    assert chain_head(session) == (second.id, second.row_hash)
    report = verify_chain(session)
    assert report.intact, report.message()
    assert report.message() == f"intact, {second.id} rows, head {second.row_hash}"


def test_first_row_follows_genesis(fresh_engine: Engine):
    with make_session_factory(writer_engine(fresh_engine))() as session:
        with transaction(session):
            entry = record_audit(session, actor=None, action="init")
        assert (entry.id, entry.prev_hash) == (1, GENESIS_HASH)
        fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
        assert entry.row_hash == row_hash(GENESIS_HASH, fields)


def test_stored_row_hashes_to_its_hash_after_round_trip(session: Session, users):
    """What the database gives back (time, JSON, unicode) hashes exactly as written."""
    with transaction(session):
        entry = record_audit(
            session,
            actor=users["li"],
            action="case.mediate",
            object_id="990101-2026-000001",
            details={
                "说明": "调解成功",
                "amount": 1200.5,
                "when": date(2026, 1, 2),
            },
        )
    session.expire_all()
    stored = session.get(AuditEntry, entry.id)
    assert stored is not None and stored.details["when"] == "2026-01-02"
    fields = {name: getattr(stored, name) for name in HASHED_FIELDS}
    assert row_hash(stored.prev_hash, fields) == stored.row_hash


def test_overlong_values_are_cut_to_fit(session: Session, users):
    with transaction(session):
        entry = record_audit(
            session, actor=users["zhao"], action="access.denied", object_id="/x" * 80
        )
    assert len(entry.object_id) == 64
    assert verify_chain(session).intact


def test_works_in_a_session_not_opened_as_writer(fresh_engine: Engine):
    """A GET request's refusal is audited on the read session (plain BEGIN on SQLite)."""
    with make_session_factory(fresh_engine)() as session:
        session.scalar(select(func.count()).select_from(AuditEntry))  # a read first
        with transaction(session):
            record_audit(session, actor=None, action="access.denied", result="denied")
        with transaction(session):
            record_audit(session, actor=None, action="access.denied", result="denied")
    with make_session_factory(fresh_engine)() as session:
        assert verify_chain(session).message().startswith("intact, 2 rows")


def test_triggers_refuse_update_and_delete(fresh_engine: Engine, write_audit_rows):
    write_audit_rows(2)
    for statement in (
        "UPDATE audit_log SET actor_name = 'nobody' WHERE id = 1",
        "DELETE FROM audit_log WHERE id = 2",
        "UPDATE audit_chain_head SET last_id = 0",
        "DELETE FROM audit_chain_head",
    ):
        with pytest.raises(DBAPIError, match=r"append-only|forward"), fresh_engine.begin() as conn:
            conn.execute(text(statement))
    with make_session_factory(fresh_engine)() as session:
        assert verify_chain(session).message().startswith("intact, 2 rows")


@pytest.mark.postgres_only
def test_truncate_refused_on_postgresql(fresh_engine: Engine, write_audit_rows):
    if fresh_engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    write_audit_rows(1)
    with pytest.raises(DBAPIError, match="append-only"), fresh_engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))


TAMPERING: dict[str, tuple[Callable[..., None], int, str]] = {
    "edit": (
        lambda c: c.execute(text("UPDATE audit_log SET result = 'denied' WHERE id = 3")),
        3,
        "row edited",
    ),
    "edit details": (
        lambda c: c.execute(text("UPDATE audit_log SET details = '{\"n\": 99}' WHERE id = 4")),
        4,
        "row edited",
    ),
    "delete": (lambda c: c.execute(text("DELETE FROM audit_log WHERE id = 3")), 4, "rows missing"),
    "delete last": (
        lambda c: c.execute(text("DELETE FROM audit_log WHERE id = 5")),
        5,
        "recorded head",
    ),
    "reorder": (lambda c: swap_rows(c, 2, 3), 2, "row before it"),
    "forged at end": (lambda c: forge_row(c, 6, hash_of(c, 5), False), 6, "row edited"),
    "well-forged at end": (lambda c: forge_row(c, 6, hash_of(c, 5), True), 6, "recorded head"),
    "forged in between": (
        lambda c: (
            c.execute(text("UPDATE audit_log SET id = id + 100 WHERE id >= 3")),
            c.execute(text("UPDATE audit_log SET id = id - 99 WHERE id >= 103")),
            forge_row(c, 3, hash_of(c, 2), True),
        ),
        4,
        "row before it",
    ),
}


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_verify_names_first_broken_row(fresh_engine: Engine, write_audit_rows, kind: str):
    write_audit_rows(5)
    drop_append_only_triggers(fresh_engine)
    tamper, broken_id, reason = TAMPERING[kind]
    with fresh_engine.begin() as conn:
        tamper(conn)
    with make_session_factory(fresh_engine)() as session:
        report = verify_chain(session)
    assert not report.intact
    assert report.broken_id == broken_id, report.message()
    assert reason in report.reason


def test_anchor_must_be_in_the_chain(fresh_engine: Engine, write_audit_rows):
    write_audit_rows(3)
    with make_session_factory(fresh_engine)() as session:
        _, anchored = chain_head(session)
        assert verify_chain(session, anchored).intact
        assert not verify_chain(session, "0" * 63 + "1").intact


def test_concurrent_writers_keep_one_linear_chain(fresh_engine: Engine):
    """Writers in parallel threads, each row in its own transaction: one straight chain."""
    sessions = make_session_factory(writer_engine(fresh_engine))
    threads_n, rows_each = 4, 15
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with sessions() as session:
                for i in range(rows_each):
                    with transaction(session):
                        record_audit(session, actor=None, action="thread", object_id=f"{n}-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sessions() as session:
        report = verify_chain(session)
        ids = session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
        threads_seen = {oid.split("-")[0] for oid in session.scalars(select(AuditEntry.object_id))}
    assert report.intact, report.message()
    assert report.rows == threads_n * rows_each
    assert ids == list(range(1, threads_n * rows_each + 1))
    assert threads_seen == {str(n) for n in range(threads_n)}


def test_rolled_back_transaction_leaves_no_row(session: Session, users):
    before = chain_head(session)
    with pytest.raises(RuntimeError), transaction(session):
        record_audit(session, actor=users["zhao"], action="case.accept", object_id="x")
        raise RuntimeError("the change failed")
    with transaction(session):
        kept = record_audit(session, actor=users["zhao"], action="case.accept", object_id="y")
    assert kept.id == before[0] + 1 and kept.prev_hash == before[1]
    assert session.scalars(select(AuditEntry.object_id).where(AuditEntry.id > before[0])).all() == [
        "y"
    ]


def test_savepoint_rollback_drops_only_its_rows(session: Session, users):
    before, _ = chain_head(session)
    with transaction(session):
        record_audit(session, actor=None, action="outer.before")
        savepoint = session.begin_nested()
        record_audit(session, actor=None, action="inner")
        savepoint.rollback()
        with session.begin_nested():
            record_audit(session, actor=None, action="inner.kept")
        record_audit(session, actor=None, action="outer.after")
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.id > before).order_by(AuditEntry.id)
    ).all()
    assert actions == ["outer.before", "inner.kept", "outer.after"]
    assert verify_chain(session).intact


def test_commit_with_a_savepoint_still_open_keeps_the_rows(session: Session):
    before, _ = chain_head(session)
    session.begin_nested()
    record_audit(session, actor=None, action="inside.open.savepoint")
    session.commit()
    assert session.scalars(select(AuditEntry.action).where(AuditEntry.id > before)).all() == [
        "inside.open.savepoint"
    ]
    assert verify_chain(session).intact


def _waiting_on_a_lock(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(
            conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            ).scalar()
        )


def test_head_lock_is_taken_last_so_no_deadlock(fresh_engine: Engine, write_audit_rows):
    """X locks a row, then audits; Y audits, then wants X's row. Were the head locked when
    record_audit is called, this interleaving would deadlock; it is taken at commit."""
    if fresh_engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers never overlap (BEGIN IMMEDIATE)")
    write_audit_rows(1)  # also creates the user "tester"
    sessions = make_session_factory(fresh_engine)
    x, y = sessions(), sessions()
    for s in (x, y):
        s.execute(text("SET lock_timeout = '20s'"))  # a regression fails instead of hanging
    rename = text("UPDATE app_user SET display_name = :n WHERE username = 'tester'")
    x.execute(rename, {"n": "X"})
    record_audit(y, actor=None, action="y.first")
    record_audit(x, actor=None, action="x.second")
    errors: list[BaseException] = []

    def y_continues() -> None:
        try:
            y.execute(rename, {"n": "Y"})  # waits for X's row lock
            y.commit()
        except BaseException as exc:
            errors.append(exc)

    waiter = threading.Thread(target=y_continues)
    waiter.start()
    for _ in range(200):  # until Y waits on X's row (bounded)
        if _waiting_on_a_lock(fresh_engine):
            break
        threading.Event().wait(0.05)
    x.commit()
    waiter.join()
    x.close()
    y.close()
    assert errors == []
    with sessions() as session:
        assert verify_chain(session).message().startswith("intact, 3 rows")
        assert session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()[1:] == [
            "x.second",
            "y.first",
        ]


def _head_statements(engine: Engine, write: Callable[[], None]) -> list[str]:
    """The statements on the chain head while `write` runs."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if "audit_chain_head" in statement:
            seen.append(statement.split()[0])

    event.listen(engine, "before_cursor_execute", record)
    try:
        write()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_the_head_moves_in_one_statement_when_this_process_wrote_it_last(fresh_engine: Engine):
    sessions = make_session_factory(writer_engine(fresh_engine))

    def audit(action: str) -> None:
        with sessions() as session, transaction(session):
            record_audit(session, actor=None, action=action)

    first = _head_statements(fresh_engine, lambda: audit("first"))  # nothing known yet
    second = _head_statements(fresh_engine, lambda: audit("second"))
    assert (first, second) == (["UPDATE", "UPDATE"], ["UPDATE"])
    with sessions() as session:
        assert verify_chain(session).message().startswith("intact, 2 rows")


def test_a_head_moved_by_another_process_is_chained_on_not_overwritten(fresh_engine: Engine):
    """Another process (its own engine) writes between two commits of this one: this one's
    guess of the head is stale, its UPDATE leaves the head alone, and its rows follow the
    other's."""
    ours = make_session_factory(writer_engine(fresh_engine))
    other_engine = make_engine(fresh_engine.url.render_as_string(hide_password=False))
    theirs = make_session_factory(writer_engine(other_engine))
    try:
        for sessions, action in [(ours, "a"), (theirs, "b"), (ours, "c"), (theirs, "d")]:
            with sessions() as session, transaction(session):
                record_audit(session, actor=None, action=action)
                record_audit(session, actor=None, action=action + "2")
    finally:
        other_engine.dispose()
    with ours() as session:
        report = verify_chain(session)
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert report.intact, report.message()
    assert actions == ["a", "a2", "b", "b2", "c", "c2", "d", "d2"]


def test_a_failed_commit_leaves_a_stale_guess_that_is_not_trusted(fresh_engine: Engine):
    """The rows are hashed and the guess moved before the COMMIT; if the COMMIT does not
    happen, the next transaction finds the head where it really is."""
    sessions = make_session_factory(writer_engine(fresh_engine))
    with sessions() as session, transaction(session):
        record_audit(session, actor=None, action="kept")
    with sessions() as session:
        record_audit(session, actor=None, action="lost")
        session.flush()
        _chain_pending(session)  # what the commit would do first ...
        session.rollback()  # ... but the commit never happens
    with sessions() as session, transaction(session):
        entry = record_audit(session, actor=None, action="next")
    assert entry.id == 2
    with sessions() as session:
        assert verify_chain(session).message().startswith("intact, 2 rows")
