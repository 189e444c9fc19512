"""Writes to the calendar schedule and the deadline policies (administrators only).

Each do_* owns one transaction and writes its audit row inside it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases.deadline_models import CalendarDay, CalendarYear, DeadlinePolicy
from grassroots.cases.deadline_schemas import DayIn, PolicyIn
from grassroots.cases.deadlines import CASE_LEVELS
from grassroots.cases.models import Case, CaseEvent, Category
from grassroots.db import transaction
from grassroots.errors import Problem

FIRST_YEAR, LAST_YEAR = 1990, 2200


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Problem(422, "bad_year", f"年份须在 {FIRST_YEAR}–{LAST_YEAR} 之间 / bad year")


def _check_days(year: int, days: list[DayIn]) -> None:
    errors = []
    seen: set[date] = set()
    for i, d in enumerate(days):
        if d.day.year != year:
            errors.append({"field": f"days.{i}.day", "message": f"不在 {year} 年 / not in {year}"})
        if d.day in seen:
            errors.append({"field": f"days.{i}.day", "message": "日期重复 / duplicate day"})
        seen.add(d.day)
    if errors:
        raise Problem(422, "bad_schedule", "节假日安排有误 / invalid schedule", errors=errors)


def do_set_year_schedule(
    session: Session, year: int, notice: str, days: list[DayIn], *, actor: User
) -> CalendarYear:
    """Enter (or replace) a year's official schedule: its holidays and make-up working days.
    The year then counts as known; its entries override the chinesecalendar package."""
    _check_year(year)
    _check_days(year, days)
    with transaction(session):
        session.execute(
            delete(CalendarDay).where(
                CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
            )
        )
        row = session.get(CalendarYear, year) or CalendarYear(year=year)
        row.notice, row.entered_by_id = notice, actor.id
        session.add(row)
        session.add_all(
            CalendarDay(day=d.day, is_working=d.is_working, name=d.name, entered_by_id=actor.id)
            for d in days
        )
        record_audit(
            session,
            actor=actor,
            action="calendar.year.set",
            object_type="calendar_year",
            object_id=year,
            details={"notice": notice, "days": len(days)},
        )
    return row


def do_set_calendar_day(session: Session, entry: DayIn, *, actor: User) -> CalendarDay:
    """Declare or correct one day (overrides the package; does not make its year known)."""
    _check_year(entry.day.year)
    with transaction(session):
        row = session.get(CalendarDay, entry.day) or CalendarDay(day=entry.day)
        row.is_working, row.name, row.entered_by_id = entry.is_working, entry.name, actor.id
        session.add(row)
        record_audit(
            session,
            actor=actor,
            action="calendar.day.set",
            object_type="calendar_day",
            object_id=entry.day.isoformat(),
            details={"is_working": entry.is_working, "name": entry.name},
        )
    return row


def do_delete_calendar_day(session: Session, day: date, *, actor: User) -> None:
    with transaction(session):
        row = session.get(CalendarDay, day)
        if row is None:
            raise Problem(404, "not_found", "该日期没有录入项 / no entry for that day")
        session.delete(row)
        record_audit(
            session,
            actor=actor,
            action="calendar.day.delete",
            object_type="calendar_day",
            object_id=day.isoformat(),
        )


def _check_policy(session: Session, data: PolicyIn) -> None:
    errors = []
    if data.level not in CASE_LEVELS:
        errors.append({"field": "level", "message": f"须为 {', '.join(CASE_LEVELS)}"})
    if data.category_code and session.get(Category, data.category_code) is None:
        errors.append({"field": "category_code", "message": "未知类别 / unknown category"})
    if errors:
        raise Problem(422, "bad_policy", "时限规则有误 / invalid policy", errors=errors)


def do_set_policy(session: Session, data: PolicyIn, *, actor: User) -> DeadlinePolicy:
    """Create or replace the policy for (category, level, violence_risk)."""
    _check_policy(session, data)
    with transaction(session):
        row = session.scalar(
            select(DeadlinePolicy).where(
                DeadlinePolicy.category_code == data.category_code,
                DeadlinePolicy.level == data.level,
                DeadlinePolicy.violence_risk == data.violence_risk,
            )
        ) or DeadlinePolicy(
            category_code=data.category_code, level=data.level, violence_risk=data.violence_risk
        )
        for field in ("accept_days", "resolve_days", "follow_up_days", "auto_escalate", "basis"):
            setattr(row, field, getattr(data, field))
        row.updated_by_id = actor.id
        session.add(row)
        session.flush()
        record_audit(
            session,
            actor=actor,
            action="deadline_policy.set",
            object_type="deadline_policy",
            object_id=row.id,
            details=data.model_dump(),
        )
    return row


def do_delete_policy(session: Session, policy_id: int, *, actor: User) -> None:
    """Delete a category's own row; a level's default row can be changed, not deleted."""
    with transaction(session):
        row = session.get(DeadlinePolicy, policy_id)
        if row is None:
            raise Problem(404, "not_found", "时限规则不存在 / no such policy")
        if row.category_code == "":
            raise Problem(
                409, "default_policy", "层级默认规则只能修改，不能删除 / defaults cannot be deleted"
            )
        session.delete(row)
        record_audit(
            session,
            actor=actor,
            action="deadline_policy.delete",
            object_type="deadline_policy",
            object_id=policy_id,
        )


# The timeline action of a deadline flag: 督办 (supervise), state unchanged.
FLAG_ACTION = "supervise"
_FLAG_NOTES = {
    ("accept", "yellow"): "受理时限将到（{due}），请及时受理",
    ("accept", "red"): "已超过受理时限（{due}），督办",
    ("resolve", "yellow"): "办理时限将到（{due}），请抓紧化解",
    ("resolve", "red"): "已超过办理时限（{due}），督办",
    ("follow_up", "yellow"): "回访时限将到（{due}），请及时回访",
    ("follow_up", "red"): "已超过回访时限（{due}），督办",
}


def do_flag_deadline(
    session: Session,
    case: Case,
    *,
    kind: str,
    signal: str,
    due: date,
    actor: User,
    now: datetime,
) -> CaseEvent:
    """A system timeline event (督办) on a case nearing (yellow) or past (red) a deadline.
    The case itself is not changed (no version bump: nobody's edit conflicts with it)."""
    with transaction(session):
        event = CaseEvent(
            case_id=case.id,
            action=FLAG_ACTION,
            actor_id=actor.id,
            at=now,
            from_state=case.state,
            to_state=case.state,
            level=case.level,
            holder_jurisdiction_id=case.holder_jurisdiction_id,
            unit_id=case.unit_id,
            note=_FLAG_NOTES[(kind, signal)].format(due=due.isoformat()),
            details={"deadline": kind, "signal": signal, "due": due.isoformat()},
        )
        session.add(event)
        record_audit(
            session,
            actor=actor,
            action=f"case.{FLAG_ACTION}",
            object_type="case",
            object_id=case.code,
            details={"deadline": kind, "signal": signal, "due": due.isoformat()},
        )
    return event
