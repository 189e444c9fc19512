"""A year's schedule entered or changed: the deadlines of open cases follow it.

A running clock keeps its start and its number of working days: for each case whose clock
runs across the changed year, n = old.working_days_between(clock_started_on, due) and the
new due = new.add_working_days(clock_started_on, n). The deadline moved is the one the clock
runs for (accept_due, resolve_due or follow_up_due); a suspended case's resolve_due moves
too (its clock is paused, the count from its start is kept). A deadline the issuing source
set (case.source_due_on, 12345's 办理时限) still caps the accept and resolve deadlines: the
stricter wins, as when the clock started (clock.capped). Importing this module registers
the hook with the calendar (calendar/schedule/hooks.py); cases/deadlines/api.py imports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.calendar.periods import months_end
from grassroots.calendar.schedule.hooks import Change, Move, register
from grassroots.cases.deadlines.clock import capped, policy, start_clock
from grassroots.cases.models import OPEN_STATES, Case, CaseEvent, CaseState
from grassroots.cases.queries import case_scope
from grassroots.db import utcnow

DEADLINES = ("accept_due", "resolve_due", "follow_up_due")
SOURCE_CAPPED = ("accept_due", "resolve_due")  # as intake and start_resolve_clock cap them
CLOCK_STATES = OPEN_STATES | {CaseState.resolved}  # resolved: the follow-up clock runs


def running_deadline(case: Case) -> str | None:
    """The deadline field the case's clock runs for (a suspended case: resolve_due)."""
    if case.clock_started_on is None:
        return None
    if case.state == CaseState.suspended:
        return "resolve_due" if case.resolve_due is not None else None
    for field in DEADLINES:
        if case.clock_due_on is not None and getattr(case, field) == case.clock_due_on:
            return field
    return None


def _candidates(session: Session, year: int) -> Sequence[Case]:
    """Open cases whose clock period touches `year` (others count the same on both)."""
    due = func.coalesce(Case.clock_due_on, Case.resolve_due)
    return session.scalars(
        select(Case)
        .where(
            Case.state.in_(CLOCK_STATES),
            Case.clock_started_on.is_not(None),
            Case.clock_started_on <= date(year, 12, 31),
            due >= date(year, 1, 1),
        )
        .order_by(Case.id)
    ).all()


def moves(session: Session, change: Change) -> list[tuple[Case, Move]]:
    out = []
    for case in _candidates(session, change.year):
        field = running_deadline(case)
        if field is None or case.clock_started_on is None:
            continue
        old: date = getattr(case, field)
        n = change.old.working_days_between(case.clock_started_on, old)
        new = change.new.add_working_days(case.clock_started_on, n) if n >= 0 else old
        if field == "resolve_due":
            new = _month_capped(session, case, change, old, new)
        if field in SOURCE_CAPPED:  # the issuing source's own limit (办理时限) still wins
            new = capped(new, case.source_due_on, case.clock_started_on)
        if new != old:
            out.append((case, Move(case.code, field, old, new)))
    return out


def _month_capped(session: Session, case: Case, change: Change, old: date, new: date) -> date:
    """A resolve limit also stated in months (policy.resolve_months) stays capped by the
    legal month on the new calendar — unless the deadline already lay beyond the month (an
    extension moved it), where only the working days count."""
    months = policy(session, case).resolve_months
    start = case.clock_started_on
    if not months or start is None or old > months_end(change.old, start, months):
        return new
    return min(new, months_end(change.new, start, months))


RECOMPUTE_ACTION = "recompute"  # a timeline note (the state stays; a version step)


def recompute_event(case: Case, m: Move, year: int, actor: User) -> CaseEvent:
    """The timeline entry of a deadline moved by a calendar change: old → new due date."""
    moved = {"deadline": m.deadline, "old": m.old.isoformat(), "new": m.new.isoformat()}
    return CaseEvent(
        case_id=case.id, action=RECOMPUTE_ACTION, actor_id=actor.id, at=utcnow(),
        from_state=case.state, to_state=case.state, level=case.level,
        holder_jurisdiction_id=case.holder_jurisdiction_id, unit_id=case.unit_id,
        note=f"{year} 年节假日安排调整，期限重算", details={"year": year, "deadline_change": moved},
    )  # fmt: skip


class DeadlineRecompute:
    def preview(self, session: Session, change: Change, viewer: User) -> list[Move]:
        """The moves, read-only; cases outside `viewer`'s scope without their code."""
        found = moves(session, change)
        codes = [m.case_code for _, m in found]
        visible = set(session.scalars(select(Case.code).where(Case.code.in_(codes),
                                                              case_scope(viewer))))  # fmt: skip
        return [
            m if m.case_code in visible else Move("", m.deadline, m.old, m.new) for _, m in found
        ]

    def apply(self, session: Session, change: Change, actor: User) -> int:
        """Move the deadlines, one timeline entry and one audit row per case (the caller's
        transaction)."""
        found = moves(session, change)
        for case, m in found:
            setattr(case, m.deadline, m.new)
            if case.clock_due_on is not None and case.clock_started_on is not None:
                start_clock(change.new, case, case.clock_started_on, m.new)
            session.add(recompute_event(case, m, change.year, actor))
            record_audit(
                session, actor=actor, action="case.deadline.recompute", object_type="case",
                object_id=case.code, details={"year": change.year, "deadline": m.deadline,
                                              "old": m.old.isoformat(), "new": m.new.isoformat()},
            )  # fmt: skip
        return len(found)


register("deadlines", DeadlineRecompute())
