"""No orphan: after the small demo history (made by the real actions, the real sweep included),
every live case — open or waiting for its follow-up — is in the work queue of at least one
active person (cases.queues.queries.my_work within the case scope). The demo has no
village-level 受理员, so the villages' cases must fall to their township's centre."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, and_, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.cases.models import Case
from grassroots.cases.queries import case_scope
from grassroots.cases.queues.queries import LIVE_STATES, my_work, viewer
from tests.demo.conftest import TODAY, DemoHistories

pytestmark = pytest.mark.slow
ENDS = (date(2026, 7, 15), TODAY)  # mid-history and the demo's "today"
STAFF = [r.value for r in Role if r not in (Role.system_admin, Role.security_admin,
                                             Role.auditor, Role.system)]  # fmt: skip


def _orphans(session: Session) -> set[str]:
    live = set(session.scalars(select(Case.code).where(Case.state.in_(LIVE_STATES))))
    assert live, "the history left no live case: nothing was proven"
    people = session.scalars(select(User).where(User.is_active, User.role.in_(STAFF)))
    for user in people:
        waiting = and_(case_scope(user), my_work(viewer(session, user)))
        live -= set(session.scalars(select(Case.code).where(waiting)))
    return live


@pytest.mark.parametrize("end", ENDS, ids=str)
def test_no_live_case_waits_for_nobody(
    engine: Engine, demo_histories: DemoHistories, request: pytest.FixtureRequest, end: date
):
    """The history up to the demo's "today" is the one tests/demo/test_history.py reads."""
    with Session(demo_histories.get(engine, request, end)) as session:
        assert _orphans(session) == set()
