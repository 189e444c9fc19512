"""The case actions after registration: one do_* per row of the transition table.

Each runs through `_act`: one transaction that loads the case, checks the version the actor
saw and the table (state, role, relation), applies the change, writes one CaseEvent and one
audit row, and flushes under the mapper's version check — a concurrent change makes it a
409 "conflict", never a lost update. Registration lives in registration.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases import clockwork as clk
from grassroots.cases import schemas as s
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.transitions import refusal, transition
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


def load_case(session: Session, code: str) -> Case:
    case = session.scalar(select(Case).where(Case.code == code))
    if case is None:
        raise Problem(404, "not_found", f"案件 {code} 不存在 / case not found")
    return case


def write_event(
    session: Session, case: Case, action: str, ctx: Ctx, from_state: str | None, note: str,
    details: dict[str, Any],
) -> CaseEvent:  # fmt: skip
    event = CaseEvent(
        case=case,
        action=action,
        actor_id=ctx.actor.id,
        at=ctx.moment,
        from_state=from_state,
        to_state=case.state,
        level=case.level,
        # the relationships, not the FK columns: those are only set at flush
        holder_jurisdiction_id=case.holder.id,
        unit_id=case.unit.id if case.unit else None,
        note=note,
        details=details,
    )
    session.add(event)
    record_audit(
        session,
        actor=ctx.actor,
        action=f"case.{action}",
        object_type="case",
        object_id=case.code,
        details={"from": from_state, "to": case.state, "level": case.level},
    )
    return event


def _act(
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
        moment = clk.utc(now)
        ctx = Ctx(session, clk.load_calendar(session), moment, clk.local_day(moment), actor)
        from_state = case.state
        details = params.model_dump(mode="json", exclude={"note"})
        details.update(change(case, ctx) or {})
        case.state = t.target or case.state
        case.updated_at = moment
        write_event(session, case, action, ctx, from_state, params.note, details)
        try:
            session.flush()
        except StaleDataError as exc:
            raise conflict() from exc
    return case


# --- the changes, one per action -------------------------------------------------------


def _accept(case: Case, ctx: Ctx) -> None:
    case.accepted_at = ctx.moment
    clk.start_resolve_clock(ctx.session, ctx.cal, case, ctx.today)


def _reject(params: s.Reject) -> Change:
    def change(case: Case, ctx: Ctx) -> None:
        case.outcome = "rejected"
        case.outcome_note = params.reason
        clk.stop_clock(case)

    return change


def _resolve(params: s.Resolve) -> Change:
    def change(case: Case, ctx: Ctx) -> None:
        case.outcome = "resolved"
        case.outcome_note = params.outcome_note
        case.resolved_at = ctx.moment
        case.resolved_level = case.level
        clk.start_follow_up_clock(ctx.session, ctx.cal, case, ctx.today)

    return change


def _terminate(params: s.Terminate) -> Change:
    def change(case: Case, ctx: Ctx) -> None:
        case.outcome = "terminated"
        case.outcome_note = params.reason
        clk.stop_clock(case)

    return change


def _nothing(case: Case, ctx: Ctx) -> None:
    return None


def do_accept(
    session: Session, code: str, params: s.Accept | None = None, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """受理: the centre takes the case on; the time to resolve at this level starts."""
    p = params or s.Accept()
    return _act(session, code, "accept", p, _accept, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_reject(
    session: Session, code: str, params: s.Reject, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """不予受理, naming the legal channel the party was pointed to."""
    return _act(session, code, "reject", params, _reject(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_record_session(
    session: Session, code: str, params: s.RecordSession, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """调解记录: one mediation session, kept in the timeline."""
    return _act(session, code, "record_session", params, _nothing, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_record_agreement(
    session: Session, code: str, params: s.RecordAgreement, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """调解协议书: agreed terms, manner and deadline of performance."""
    return _act(session, code, "record_agreement", params, _nothing, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_resolve(
    session: Session, code: str, params: s.Resolve, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """化解: outcome "resolved" at the current level; the follow-up clock starts."""
    return _act(session, code, "resolve", params, _resolve(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_terminate(
    session: Session, code: str, params: s.Terminate, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """调解终止: mediation failed; records the legal routes the parties were told."""
    return _act(session, code, "terminate", params, _terminate(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip
