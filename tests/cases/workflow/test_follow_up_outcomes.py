"""回访 applies to every ended case — resolved, terminated (调解终止) and rejected (不予受理) —
so that 满意率 does not ask only the satisfied (issue 15, item 9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from grassroots.cases.models import Case
from grassroots.errors import Problem
from grassroots.stats.periods import parse_period
from grassroots.stats.queries import totals
from grassroots.stats.scope import Scope
from tests.stats import history as h

START = datetime(2026, 3, 10, 2, tzinfo=UTC)


def _ended(session: Session, w: h.World, ending: str) -> Case:
    case = h.register(session, w, w.grids[0], "neighbour", START)
    verbs = ["reject"] if ending == "reject" else ["accept", "assign", ending]
    for i, verb in enumerate(verbs, start=1):
        case = h.step(session, w, case, verb, START + timedelta(hours=i))
    return case


@pytest.mark.parametrize(("ending", "state"), [("terminate", "terminated"), ("reject", "rejected")])
def test_terminated_and_rejected_cases_are_followed_up(
    session: Session, ending: str, state: str
) -> None:
    w = h.world(session)
    case = h.step(
        session,
        w,
        _ended(session, w, ending),
        "follow_up",
        START + timedelta(days=3),
        "unsatisfied",
    )
    assert (case.state, case.outcome, case.satisfaction) == (state, state, "unsatisfied")
    c = totals(session, Scope("county", "990101000000"), parse_period("2026-03"), START.date())
    assert (c["followed_up"], c["satisfied"]) == (1, 0)


def test_an_open_case_is_not_followed_up(session: Session) -> None:
    w = h.world(session)
    case = h.register(session, w, w.grids[0], "neighbour", START)
    case = h.step(session, w, case, "accept", START + timedelta(hours=1))
    with pytest.raises(Problem) as refused:
        h.step(session, w, case, "follow_up", START + timedelta(hours=2))
    assert refused.value.status == 409
