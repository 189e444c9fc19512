"""cases.persist.save_case: an action's change is one versioned Core UPDATE that leaves the
object exactly as the ORM's flush would, and anything more goes through the flush."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import Session

from grassroots.cases import schemas as s
from grassroots.cases.actions import do_accept, do_assign, do_escalate, do_register, do_share
from grassroots.cases.models import Case
from grassroots.errors import Problem
from tests.cases.conftest import grid_in

COLUMNS = (
    "state", "version", "unit_id", "assignee_id", "holder_jurisdiction_id", "accepted_at",
    "resolve_due", "clock_due_on", "clock_yellow_on", "updated_at",
)  # fmt: skip


def at(day: int) -> datetime:
    return datetime(2026, 9, day, 2, 0, tzinfo=UTC)


@pytest.fixture
def case(session: Session, users) -> Case:
    data = s.NewCase(category_code="neighbour", source_code="visit", title="写入",
                     description="写入测试", grid_code=grid_in(session, users["wang"]))  # fmt: skip
    return do_register(session, data, actor=users["wang"], now=at(21))


@pytest.fixture
def orm_updates() -> Iterator[list[int]]:
    """Ids of the cases the ORM's flush UPDATEs (its mapper event) while the test runs."""
    seen: list[int] = []

    def count(_mapper: Any, _connection: Any, target: Case) -> None:
        seen.append(target.id)

    event.listen(Case, "before_update", count)
    yield seen
    event.remove(Case, "before_update", count)


def stored(session: Session, case_id: int) -> dict[str, Any]:
    row = session.execute(
        select(*[Case.__table__.c[c] for c in COLUMNS]).where(Case.__table__.c.id == case_id)
    ).one()
    return dict(zip(COLUMNS, row, strict=True))


def held(case: Case) -> dict[str, Any]:
    return {c: getattr(case, c) for c in COLUMNS}


def test_action_writes_without_the_flush_and_leaves_the_case_clean(session, users, case,
                                                                   orm_updates):  # fmt: skip
    version = case.version
    case = do_accept(session, case.code, actor=users["zhao"], now=at(22))
    assert orm_updates == []
    assert case.version == version + 1 and case.state == "accepted"
    assert case not in session.dirty and not inspect(case).modified
    assert held(case) == stored(session, case.id)
    session.expire(case)
    assert case.version == version + 1 and case.accepted_at == at(22)


def test_relationships_set_by_the_action_are_written_as_foreign_keys(session, users, case,
                                                                     orm_updates):  # fmt: skip
    do_accept(session, case.code, actor=users["zhao"], now=at(22))
    village = case.holder
    case = do_escalate(session, case.code, s.Escalate(reason="涉及两个村"), actor=users["zhao"],
                       now=at(22))  # fmt: skip
    assert case.holder is not village and case.level == "township"
    assert stored(session, case.id)["holder_jurisdiction_id"] == case.holder.id
    case = do_assign(session, case.code, s.Assign(mediator="li"), actor=users["zhao"],
                     now=at(23))  # fmt: skip
    assert orm_updates == []
    assert case.unit is not None and case.assignee is not None
    row = stored(session, case.id)
    assert (row["unit_id"], row["assignee_id"]) == (case.unit.id, case.assignee.id)
    assert held(case) == row


def test_an_action_adding_rows_goes_through_the_flush(session, users, case, orm_updates):
    do_accept(session, case.code, actor=users["zhao"], now=at(22))
    version = case.version
    share = s.Share(jurisdiction_code="990101003000", role="co")
    case = do_share(session, case.code, share, actor=users["zhao"], now=at(23))
    assert orm_updates == [case.id]
    assert case.version == version + 1 and len(case.shares) == 1
    assert held(case) == stored(session, case.id)


def test_a_version_changed_behind_the_session_is_a_conflict_and_writes_nothing(
    session, users, case, orm_updates
):
    # another writer's change, committed; the session still holds the case it read before
    session.execute(text("UPDATE case_file SET version = version + 1 WHERE id = :id"),
                    {"id": case.id})  # fmt: skip
    session.commit()
    assert not inspect(case).expired
    before = stored(session, case.id)
    with pytest.raises(Problem) as refused:
        do_accept(session, case.code, actor=users["zhao"], now=at(22))
    assert refused.value.status == 409 and refused.value.code == "conflict"
    assert stored(session, case.id) == before
    assert before["state"] == "registered" and date(2026, 9, 21) <= before["clock_due_on"]
