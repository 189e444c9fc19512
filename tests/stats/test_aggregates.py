"""The maintained aggregates equal a recount from the cases after any sequence of actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.cases.models import Case
from grassroots.stats import maintain
from grassroots.stats.models import CohortAggregate, DueAggregate, OpenAggregate
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.stats import history as h
from tests.stats.conftest import COUNTY, QINGSHI, assert_agree

START = datetime(2025, 11, 20, tzinfo=UTC)
VERBS = [
    "accept",
    "escalate",
    "resolve",
    "follow_up",
    "reopen",
    "reject",
    "terminate",
    "suspend",
    "recategorise",
]

register_op = st.tuples(
    st.just("register"), st.integers(0, 200), st.integers(0, 14), st.integers(0, 120), st.booleans()
)
act_op = st.tuples(
    st.sampled_from(VERBS),
    st.integers(0, 50),
    st.integers(0, 14),
    st.integers(0, 60),
    st.sampled_from(["satisfied", "basically_satisfied", "unsatisfied"]),
)


def _act(session: Session, w: h.World, case: Case, op: tuple) -> None:  # type: ignore[type-arg]
    verb, _, cat, days, extra = op
    at = max(case.registered_at, case.accepted_at or case.registered_at) + timedelta(days=days)
    if verb == "accept" and case.state == "registered":
        h.accept(session, case, at, 10 + days % 20)
    elif verb == "escalate" and case.state in ("accepted", "in_progress"):
        h.escalate(session, case)
    elif verb == "resolve" and case.state in ("accepted", "in_progress", "suspended"):
        h.resolve(session, case, at)
    elif verb == "follow_up" and case.state == "resolved":
        h.follow_up(session, case, extra)
    elif verb == "reopen" and case.state in ("resolved", "closed"):
        h.reopen(session, case)
    elif verb == "reject" and case.state == "registered":
        h.reject(session, case)
    elif verb == "terminate" and case.state in ("accepted", "in_progress"):
        h.terminate(session, case)
    elif verb == "suspend" and case.state in ("accepted", "in_progress"):
        h.suspend(session, case)
    elif verb == "recategorise":
        case.category_code = w.categories[cat]
        session.commit()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(st.one_of(register_op, act_op), min_size=1, max_size=25))
def test_aggregates_equal_recount_after_any_actions(session: Session, ops: list) -> None:  # type: ignore[type-arg]
    w = h.world(session)
    mine: list[Case] = []
    for op in ops:
        if op[0] == "register":
            _, v, cat, days, risk = op
            at = START + timedelta(days=days, hours=v % 24)
            mine.append(
                h.register(session, w, w.villages[v % len(w.villages)], w.categories[cat], at, risk)
            )
        elif mine:
            _act(session, w, mine[op[1] % len(mine)], op)
    today = date(2026, 2, 1)
    for text in ("2025-11", "2025-12", "2026-01", "2026-02", "2026-Q1", "2025-11..2026-04"):
        assert_agree(session, Scope("county", COUNTY), parse_period(text), today)
        assert_agree(session, Scope("township", QINGSHI), parse_period(text), today)
    assert_agree(session, Scope("county", COUNTY, "neighbour"), parse_period("2026-Q1"), today)


def _table_rows(session: Session) -> set[tuple]:  # type: ignore[type-arg]
    rows: set[tuple] = set()  # type: ignore[type-arg]
    for model in (CohortAggregate, DueAggregate, OpenAggregate):
        cols = list(model.__table__.c)  # type: ignore[attr-defined]
        for r in session.execute(select(*cols)):
            if any(isinstance(x, int) and x for x in r[5:]):
                rows.add((model.__tablename__, *r))
    return rows


def test_rebuild_reproduces_the_maintained_rows(session: Session) -> None:
    h.build_history(session, 60, seed=3, first=START, days=150)
    before = _table_rows(session)
    assert before, "history produced aggregate rows"
    maintain.rebuild(session)
    assert _table_rows(session) == before


def test_rolled_back_case_change_leaves_aggregates_unchanged(session: Session) -> None:
    w = h.world(session)
    case = h.register(session, w, w.villages[0], "neighbour", START)
    before = _table_rows(session)
    case.outcome, case.resolved_level, case.resolved_at = "resolved", "village", START
    session.flush()
    assert _table_rows(session) != before  # the listener wrote in the transaction ...
    session.rollback()
    assert _table_rows(session) == before  # ... and went back with it
