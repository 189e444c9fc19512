"""The machinery every case action runs through.

`act` is one transaction that loads the case, checks the version the actor
saw and the table (state, role, relation), applies the change, writes one CaseEvent and one
audit row, and writes the case with one UPDATE guarded by its version (cases.persist) — a
concurrent change makes it a 409 "conflict", never a lost update.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.util import identity_key

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import local_date, utc
from grassroots.cases import schemas as s
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.notices.actions import notify_action
from grassroots.cases.workflow.persist import save_case
from grassroots.cases.workflow.transitions import refusal, transition
from grassroots.db import transaction
from grassroots.errors import Problem


@dataclass(frozen=True)
class Ctx:
    """What an action's change may use: the session, the calendar, when, the actor."""

    session: Session
    cal: clk.WorkCalendar
    moment: datetime
    today: date
    actor: User


Change = Callable[[Case, Ctx], dict[str, Any] | None]


def conflict() -> Problem:
    return Problem(
        409,
        "conflict",
        "案件已被他人修改，请刷新后重试 / the case was changed by someone else: reload and retry",
    )


# Built once: constructing the statement costs about as much as running it.
_BY_CODE = select(Case).where(Case.code == bindparam("code"))
_IDS = "grassroots.cases.ids"  # session.info: code → id of the cases load_case loaded


def load_case(session: Session, code: str) -> Case:
    """The case by its code. A case the session already holds (not expired) is taken from
    its identity map without a query: the SELECT would return that same object, its loaded
    attributes not refreshed, anyway. The flush's version check runs against the database."""
    ids: dict[str, int] = session.info.setdefault(_IDS, {})
    known = ids.get(code)
    held: Case | None = (
        session.identity_map.get(identity_key(Case, known)) if known is not None else None
    )
    if held is not None and not inspect(held).expired:
        return held
    case = session.scalar(_BY_CODE, {"code": code})
    if case is None:
        raise Problem(404, "not_found", f"案件 {code} 不存在 / case not found")
    remember(session, case)
    return case


def remember(session: Session, case: Case) -> None:
    """The next load_case of this case in this session may take it from the identity map."""
    ids: dict[str, int] = session.info.setdefault(_IDS, {})
    if len(ids) >= 1024:
        ids.clear()
    ids[case.code] = case.id


_INSERT_EVENT = insert(cast(Table, CaseEvent.__table__))


def write_event(
    session: Session, case: Case, action: str, ctx: Ctx, from_state: str | None, note: str,
    details: dict[str, Any],
) -> None:  # fmt: skip
    """The case's timeline entry (a Core INSERT: the flush is then the case's UPDATE alone)
    and the audit row. A loaded `case.events` is expired, so it shows the new entry."""
    row = {
        "case_id": case.id, "action": action, "actor_id": ctx.actor.id, "at": ctx.moment,
        "from_state": from_state, "to_state": case.state, "level": case.level,
        # the relationships, not the FK columns: those are only set at flush
        "holder_jurisdiction_id": case.holder.id, "unit_id": case.unit.id if case.unit else None,
        "note": note, "details": details,
    }  # fmt: skip
    session.connection().execute(_INSERT_EVENT, row)
    if "events" in case.__dict__:
        session.expire(case, ["events"])
    record_audit(
        session,
        actor=ctx.actor,
        action=f"case.{action}",
        object_type="case",
        object_id=case.code,
        details={"from": from_state, "to": case.state, "level": case.level},
    )


DEADLINE_FIELDS = ("accept_due", "resolve_due", "follow_up_due")


@dataclass(frozen=True)
class ClockReading:
    """Which deadline the case's clock runs for, its due date, and whether it is paused
    (a suspended case: the time to resolve, its due date kept, not running)."""

    deadline: str | None
    due: date | None
    paused: bool


def clock_reading(case: Case) -> ClockReading:
    if case.clock_started_on is not None and case.clock_due_on is None:
        return ClockReading("resolve_due", case.resolve_due, True)
    due = case.clock_due_on
    found = next((f for f in DEADLINE_FIELDS if due and getattr(case, f) == due), None)
    return ClockReading(found, due, False)


def deadline_change(before: ClockReading, after: ClockReading) -> dict[str, Any] | None:
    """What an action did to the running deadline (the timeline shows old → new), or None."""
    if before == after:
        return None
    moved: dict[str, Any] = {
        "deadline": after.deadline or before.deadline,
        "old": before.due.isoformat() if before.due else None,
        "new": after.due.isoformat() if after.due else None,
    }
    if before.deadline is not None and before.deadline != moved["deadline"]:
        moved["from_deadline"] = before.deadline
    if after.paused != before.paused:
        moved["paused" if after.paused else "resumed"] = True
    return moved


def act(
    session: Session, code: str, action: str, params: s.ActionInput, change: Change, *,
    actor: User, expected_version: int | None, now: datetime | None,
) -> Case:  # fmt: skip
    t = transition(action)
    with transaction(session):
        case = load_case(session, code)
        if expected_version is not None and case.version != expected_version:
            raise conflict()
        problem = refusal(case, actor, t)
        if problem is not None:
            raise problem
        moment = utc(now)
        ctx = Ctx(session, clk.load_calendar(session), moment, local_date(moment), actor)
        from_state = case.state
        details = params.model_dump(mode="json", exclude={"note"})
        # One UPDATE per action (so one version step): no autoflush while changing.
        with session.no_autoflush:
            before = clock_reading(case)
            details.update(change(case, ctx) or {})
            case.state = t.target or case.state
            moved = deadline_change(before, clock_reading(case))
            if moved is not None:
                details["deadline_change"] = moved
            case.updated_at = moment
            flag_modified(case, "updated_at")  # an UPDATE (a version step) even if equal
            write_event(session, case, action, ctx, from_state, params.note, details)
        try:
            save_case(session, case)
        except StaleDataError as exc:
            raise conflict() from exc
        # The people who now have the case in a queue (and those @mentioned) are told in
        # this same transaction.
        notify_action(session, case, action, actor, details, params.note, moment)
    return case
