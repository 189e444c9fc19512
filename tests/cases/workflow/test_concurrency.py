"""Two people act on one case at once: one wins, the other gets 409 conflict, nothing is
lost. Real commits on a fresh database, two threads with their own connections."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_accept, do_assign, do_record_session, do_register
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.workflow.transitions import replay
from grassroots.errors import Problem
from tests.cases.conftest import grid_in
from tests.support.race import at_once


def new_case_in_progress(factory: Callable[[], Session]) -> str:
    with factory() as session:
        wang = session.scalars(select(User).where(User.username == "wang")).one()
        zhao = session.scalars(select(User).where(User.username == "zhao")).one()
        data = s.NewCase(category_code="neighbour", source_code="visit", title="并发",
                         description="两人同时操作", grid_code=grid_in(session, wang))  # fmt: skip
        code = do_register(session, data, actor=wang).code
        do_accept(session, code, actor=zhao)
        unit = s.Assign(unit_code=f"{grid_in(session, wang)[:12]}-mediation")
        do_assign(session, code, unit, actor=zhao)
        return code


def before_the_event(barrier: threading.Barrier) -> tuple[str, Callable[..., None]]:
    """A before_flush hook that meets the other thread once, at the flush that writes the
    action's event: both have read the case by then. (Waiting at every flush could pair one
    thread's earlier flush with the other's event flush, and the race would not happen.)"""
    met = False

    def hook(session: Session, *_: Any) -> None:
        nonlocal met
        if not met and any(isinstance(row, CaseEvent) for row in session.new):
            met = True
            barrier.wait()

    return "before_flush", hook


def record_at_once(factory, code: str, expected: int | None, overlap: bool) -> list[Any]:
    """Two threads record a session on `code`. With `overlap`, both have read the case
    before either writes (a barrier in before_flush) — the lost-update race itself."""

    def one(session: Session, summary: str) -> Any:
        zhao = session.scalars(select(User).where(User.username == "zhao")).one()
        params = s.RecordSession(held_on="2026-03-03", summary=summary)
        return do_record_session(session, code, params, actor=zhao,
                                 expected_version=expected).version  # fmt: skip

    return at_once(factory, one, ["甲的记录", "乙的记录"], before_the_event if overlap else None)


def check_history(factory, code: str) -> tuple[int, list[str]]:
    with factory() as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        ).all()
        assert replay(events).steps == case.version == len(events)
        return case.version, [e.details.get("summary", "") for e in events]


def test_same_expected_version_one_conflict(world):
    code = new_case_in_progress(world)
    results = record_at_once(world, code, expected=3, overlap=False)
    assert sorted(map(str, results)) == ["4", "conflict"]
    version, summaries = check_history(world, code)
    assert version == 4 and len([x for x in summaries if x]) == 1


@pytest.mark.postgres_only
def test_overlapping_writers_without_a_version_never_lose_an_update(world, fresh_engine):
    if fresh_engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers are serialised by BEGIN IMMEDIATE: they cannot overlap")
    code = new_case_in_progress(world)
    results = sorted(map(str, record_at_once(world, code, expected=None, overlap=True)))
    # Overlapping writers: one wins, the other gets 409. Under heavy load the second thread can
    # still read the case only after the first committed (then both succeed, in turn). Either
    # way no update is lost: every success is in the history and the version counts them.
    assert results in (["4", "conflict"], ["4", "5"])
    version, summaries = check_history(world, code)
    assert version == (4 if "conflict" in results else 5)
    assert len([x for x in summaries if x]) == version - 3


def test_concurrent_registrations_get_distinct_consecutive_codes(world):
    def register(i: int) -> str:
        with world() as session:
            wang = session.scalars(select(User).where(User.username == "wang")).one()
            data = s.NewCase(category_code="other", source_code="phone", title=f"第{i}件",
                             description="并发登记", grid_code=grid_in(session, wang))  # fmt: skip
            return do_register(session, data, actor=wang).code

    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(register, range(12)))
    numbers = sorted(int(c.rsplit("-", 1)[1]) for c in codes)
    assert numbers == list(range(1, 13))


def test_a_session_holding_an_old_copy_never_overwrites_a_newer_change(world):
    """Session A keeps the case it acted on; B changes the case; A acts again without a
    version. A either gets 409 or acts on the newer case: every event stays in the history.
    (Each step ends its session's transaction: on SQLite every writer transaction holds the
    one write lock.)"""
    code = new_case_in_progress(world)

    def record(session: Session, summary: str) -> Any:
        actor = session.scalars(select(User).where(User.username == "zhao")).one()
        params = s.RecordSession(held_on="2026-03-03", summary=summary)
        try:
            return do_record_session(session, code, params, actor=actor).version
        except Problem as problem:
            return problem.code
        finally:
            session.commit()

    with world() as a, world() as b:
        assert record(a, "甲一") == 4
        assert record(b, "乙") == 5
        third = record(a, "甲二")
    version, summaries = check_history(world, code)
    assert [x for x in summaries if x][:2] == ["甲一", "乙"]
    if third == "conflict":
        assert version == 5
    else:
        assert third == version == 6 and [x for x in summaries if x][2] == "甲二"
