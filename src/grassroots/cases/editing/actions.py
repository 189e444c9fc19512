"""do_edit_case: 修改案件信息 in one transaction — the fields, the consequences, one
timeline entry, one audit row, one version step.

Consequences inside the same transaction:
- statistics: the case is written through cases.workflow.persist (or the ORM flush when
  parties change), whose upkeep moves the case's contribution in the aggregate tables from
  its stored row to its new one (category, kind, village …);
- deadlines: when the category or the 民转刑 flag changes the deadline policy, the running
  deadline moves by the difference in working days (an extension or a suspension already
  counted in it is kept); the move is in the timeline entry;
- routing: a new grid in another jurisdiction at the case's level moves the holder (place.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import local_date, utc
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.deadlines.recompute import running_deadline
from grassroots.cases.editing.fields import Changes, apply_fields
from grassroots.cases.editing.parties import apply_parties
from grassroots.cases.editing.place import apply_place
from grassroots.cases.editing.rules import edit_refusal
from grassroots.cases.editing.schemas import CaseEdit
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.workflow.engine import conflict, load_case
from grassroots.cases.workflow.persist import save_case
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.privacy.logging_filter import mask_text

EDIT_ACTION = "edit"
POLICY_DAYS = {
    "accept_due": "accept_days",
    "resolve_due": "resolve_days",
    "follow_up_due": "follow_up_days",
}


def do_edit_case(
    session: Session, code: str, data: CaseEdit, *, actor: User, expected_version: int,
    now: datetime | None = None,
) -> Case:  # fmt: skip
    """Edit a registered case (a stale `expected_version` is a 409, nothing changed)."""
    moment = utc(now)
    with transaction(session):
        case = load_case(session, code)
        if case.version != expected_version:
            raise conflict()
        problem = edit_refusal(case, actor)
        if problem is not None:
            raise problem
        with session.no_autoflush:
            details = _apply(session, case, data, actor, local_date(moment))
            case.updated_at = moment
            flag_modified(case, "updated_at")  # an UPDATE (a version step) even if equal
            _record(session, case, actor, moment, mask_text(data.reason), details)
        try:
            save_case(session, case)
        except StaleDataError as exc:
            raise conflict() from exc
    return case


def _apply(
    session: Session, case: Case, data: CaseEdit, actor: User, today: date
) -> dict[str, Any]:
    cal = clk.load_calendar(session)
    before = clk.policy(session, case)
    changes: Changes = []
    apply_fields(session, case, data, changes)
    apply_place(session, case, data, actor, today, changes)
    apply_parties(case, data, changes)
    if not changes:
        raise Problem(422, "no_change", "没有任何修改 / nothing to change")
    details: dict[str, Any] = {"changes": changes}
    moved = move_deadline(cal, case, before, clk.policy(session, case))
    if moved is not None:
        details["deadline_change"] = moved
    return details


def move_deadline(
    cal: clk.WorkCalendar, case: Case, before: clk.Policy, after: clk.Policy
) -> dict[str, str] | None:
    """Move the running deadline by the policy's change in working days; what moved."""
    field = running_deadline(case)
    started = case.clock_started_on
    if field is None or started is None:
        return None
    delta = getattr(after, POLICY_DAYS[field]) - getattr(before, POLICY_DAYS[field])
    old: date = getattr(case, field)
    days = max(cal.working_days_between(started, old) + delta, 0)
    new = cal.add_working_days(started, days) if delta else old
    if new == old:
        return None
    setattr(case, field, new)
    if case.clock_due_on is not None:  # a paused (suspended) clock stays paused
        clk.start_clock(cal, case, started, new)
    return {"deadline": field, "old": old.isoformat(), "new": new.isoformat()}


def _record(
    session: Session, case: Case, actor: User, moment: datetime, note: str, details: dict[str, Any]
) -> None:
    """The timeline entry (state unchanged) and the audit row with before/after (masked)."""
    case.events.append(
        CaseEvent(
            action=EDIT_ACTION, actor_id=actor.id, at=moment, from_state=case.state,
            to_state=case.state, level=case.level, holder_jurisdiction_id=case.holder.id,
            unit_id=case.unit.id if case.unit else None, note=note, details=details,
        )
    )  # fmt: skip
    record_audit(
        session, actor=actor, action=f"case.{EDIT_ACTION}", object_type="case",
        object_id=case.code, details={"reason": note, **details},
    )  # fmt: skip
