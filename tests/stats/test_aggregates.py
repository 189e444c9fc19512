"""The maintained aggregates equal a recount from the cases after any sequence of actions."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.cases.models import Case
from grassroots.cases.tallies import maintain
from grassroots.cases.tallies.models import (
    CohortAggregate,
    DueAggregate,
    GridAggregate,
    GridOpenAggregate,
    OpenAggregate,
    OpenMonthAggregate,
)
from grassroots.errors import Problem
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.stats import history as h
from tests.stats.conftest import (
    CITY,
    COUNTY,
    PROVINCE,
    QINGSHI,
    assert_agree,
    assert_categories_agree,
)

START = datetime(2025, 11, 20, 2, tzinfo=UTC)
VERBS = [
    "accept",
    "reject",
    "refer_down",
    "escalate",
    "assign",
    "resolve",
    "terminate",
    "suspend",
    "resume",
    "follow_up",
    "close",
    "reopen",
    "merge",  # into another case of the run (合并重复件: counted once)
]

register_op = st.tuples(
    st.just("register"),
    st.integers(0, 10_000),
    st.integers(0, 14),
    st.integers(1, 400),
    st.booleans(),
)
act_op = st.tuples(
    st.sampled_from(VERBS),
    st.integers(0, 50),
    st.integers(0, 2),
    st.integers(1, 400),
    st.booleans(),
)


@pytest.mark.slow
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(st.one_of(register_op, act_op), min_size=1, max_size=40))
def test_aggregates_equal_recount_after_any_actions(session: Session, ops: list) -> None:  # type: ignore[type-arg]
    """Any sequence of real case actions (refused ones included) keeps the aggregates equal
    to a recount from the cases, for the county, a township and a category, in any period."""
    w = h.world(session)
    mine: list[Case] = []
    at = START
    for op in ops:
        at += timedelta(hours=op[3])
        if op[0] == "register":
            _, g, cat, _, risk = op
            mine.append(
                h.register(session, w, w.grids[g % len(w.grids)], w.categories[cat], at, risk)
            )
        elif mine:
            verb, i, sat, _, _ = op
            case = mine[i % len(mine)]
            choices = h.satisfaction_values(session)
            with suppress(Problem):  # refused by the transition table: nothing changed
                primary = mine[(i + sat + 1) % len(mine)].code
                h.step(session, w, case, verb, at, choices[sat % len(choices)], primary)
    today = (at + timedelta(days=3)).date()
    for text in ("2025-11", "2025-12", "2026-01", "2026-Q1", "2025-11..2026-06"):
        assert_agree(session, Scope("county", COUNTY), parse_period(text), today)
        assert_agree(session, Scope("township", QINGSHI), parse_period(text), today)
    quarter = parse_period("2026-Q1")
    assert_agree(session, Scope("county", COUNTY, "neighbour"), quarter, today)
    # the place roll-ups (issue 22): a city and a province read county rows; a village
    # reads its own rows; the per-category split of each reads the rows of its level
    village = Scope("village", w.grids[0][:12])
    for scope in (Scope("city", CITY), Scope("province", PROVINCE), village):
        assert_agree(session, scope, parse_period("2025-11..2026-06"), today)
    for scope in (Scope("city", CITY), Scope("county", COUNTY), Scope("township", QINGSHI)):
        assert_categories_agree(session, scope, quarter, today)


def _table_rows(session: Session) -> set[tuple]:  # type: ignore[type-arg]
    rows: set[tuple] = set()  # type: ignore[type-arg]
    tables = (CohortAggregate, DueAggregate, OpenAggregate, OpenMonthAggregate, GridAggregate,
              GridOpenAggregate)  # fmt: skip
    for model in tables:
        cols = list(model.__table__.c)  # type: ignore[attr-defined]
        for r in session.execute(select(*cols)):
            if any(isinstance(x, int) and x for x in r[5:]):
                rows.add((model.__tablename__, *r))
    return rows


@pytest.mark.slow
def test_rebuild_reproduces_the_maintained_rows(session: Session) -> None:
    h.build_history(session, 60, seed=3, first=START, days=150)
    before = _table_rows(session)
    assert before, "history produced aggregate rows"
    maintain.rebuild(session)
    assert _table_rows(session) == before


def test_rolled_back_case_change_leaves_aggregates_unchanged(session: Session) -> None:
    w = h.world(session)
    case = h.register(session, w, w.grids[0], "neighbour", START)
    before = _table_rows(session)
    case.outcome, case.resolved_level, case.resolved_at = "resolved", "village", START
    session.flush()
    assert _table_rows(session) != before  # the listener wrote in the transaction ...
    session.rollback()
    assert _table_rows(session) == before  # ... and went back with it
