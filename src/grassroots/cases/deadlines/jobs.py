"""The deadline sweep (时限巡检): flags cases nearing (yellow) or past (red) their deadline with
a system timeline event (督办), and escalates an overdue case one level where its policy says
auto_escalate, as the seed user `system`. A case still unaccepted past its time to accept is
reminded again (再次督办) on every further working day; each flag and reminder tells the
people who must act (cases.notices), and where the policy escalates, the centre one level
above as well (上级督办).

Idempotent. Each signal is recorded as a sweep mark (case × deadline kind × due date ×
signal, unique) in the same transaction as its event or escalation, so a second run finds
the mark and does nothing. Only one process sweeps at a time: pg_try_advisory_lock on
PostgreSQL (another process holding it → this run skips), and on SQLite every case is
handled in its own BEGIN IMMEDIATE transaction, which serialises writers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.models import Role, User
from grassroots.calendar.today import china_today
from grassroots.calendar.workdays import load_calendar
from grassroots.cases.deadlines.actions import do_flag_deadline
from grassroots.cases.deadlines.models import SweepMark
from grassroots.cases.deadlines.policies import policy_for
from grassroots.cases.models import Case
from grassroots.db import make_session_factory, utcnow, writer_engine
from grassroots.errors import Problem

log = logging.getLogger(__name__)

# Which deadline a state waits for: the clock core's actions keep on the case.
STAGE_OF_STATE = {
    "registered": "accept",
    "accepted": "resolve",
    "in_progress": "resolve",
    "resolved": "follow_up",
}
# Nothing above the city level: a case there is flagged, never escalated.
TOP_LEVEL = "city"
# Arbitrary fixed key of the sweep's PostgreSQL advisory lock.
SWEEP_LOCK_KEY = 0x6772_6173_7300_0001


@dataclass
class SweepSummary:
    candidates: int = 0
    yellow: int = 0
    red: int = 0
    escalated: int = 0
    already_done: int = 0
    skipped_locked: bool = False
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@contextmanager
def sweep_lock(engine: Engine) -> Iterator[bool]:
    """Yields whether this process may sweep. PostgreSQL: a session advisory lock held on a
    connection of its own for the whole sweep. SQLite: always (writers serialise)."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as conn:
        got = bool(
            conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": SWEEP_LOCK_KEY}).scalar()
        )
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SWEEP_LOCK_KEY})
                conn.commit()


def sweep_deadlines(engine: Engine, now: datetime | None = None) -> dict[str, Any]:
    """Run the sweep once (the job registered in grassroots.jobs.registry). Returns a summary."""
    moment = now or utcnow()
    today = china_today(moment)
    summary = SweepSummary()
    with sweep_lock(engine) as got:
        if not got:
            summary.skipped_locked = True
            log.info("deadline sweep: another process is sweeping; skipped")
            return summary.as_dict()
        sessions = make_session_factory(writer_engine(engine))
        with sessions() as session:
            ids = _candidates(session, today)
            if not ids:
                return summary.as_dict()
            system = _system_user(session)
        summary.candidates = len(ids)
        for case_id in ids:
            _sweep_one(sessions, case_id, system, moment, today, summary)
    return summary.as_dict()


def _candidates(session: Session, today: date) -> list[int]:
    """Open cases whose running clock is yellow or red today."""
    return list(
        session.scalars(
            select(Case.id)
            .where(
                Case.state.in_(STAGE_OF_STATE),
                Case.clock_due_on.is_not(None),
                Case.clock_yellow_on <= today,
            )
            .order_by(Case.id)
        )
    )


def _system_user(session: Session) -> User:
    user = session.scalar(select(User).where(User.role == Role.system.value, User.is_active))
    if user is None:
        raise RuntimeError("no active user with role 'system': run `grassroots init` first")
    session.expunge(user)
    return user


def _signal(session: Session, case: Case, today: date) -> tuple[str, str, date] | None:
    """(deadline kind, signal, due) the case shows today, or None. A case still unaccepted
    past its time to accept is reminded again on every further working day ("remind-N",
    N working days late), not flagged once and forgotten."""
    kind = STAGE_OF_STATE.get(case.state)
    due, yellow = case.clock_due_on, case.clock_yellow_on
    if kind is None or due is None or yellow is None or today < yellow:
        return None
    if today <= due:
        return kind, "yellow", due
    late = load_calendar(session).working_days_between(due, today) if kind == "accept" else 0
    return kind, (f"remind-{late}" if late > 1 else "red"), due


def _sweep_one(
    sessions: sessionmaker[Session],
    case_id: int,
    system: User,
    moment: datetime,
    today: date,
    summary: SweepSummary,
) -> None:
    """One case, one transaction (on SQLite BEGIN IMMEDIATE: the re-read is current)."""
    with sessions() as session:
        session.add(system)
        try:
            outcome = sweep_case(session, case_id, system, moment, today)
        except Problem as exc:
            summary.errors.append(f"case {case_id}: {exc.code}")
            log.warning("deadline sweep: case %s: %s", case_id, exc.message)
            return
    if outcome == "escalated":
        summary.escalated += 1
        summary.red += 1
    elif outcome in ("yellow", "red"):
        setattr(summary, outcome, getattr(summary, outcome) + 1)
    elif outcome == "already_done":
        summary.already_done += 1


def sweep_case(session: Session, case_id: int, system: User, moment: datetime, today: date) -> str:
    """Sweep one case: "yellow" / "red" (flagged), "escalated", "already_done" or "none".
    Also used by the demo history to let the real sweep act on a case at a past moment.
    Ending the transaction when nothing was written is the caller's (the sweep closes its
    session; the demo history commits its batch)."""
    case = session.get(Case, case_id)
    found = _signal(session, case, today) if case is not None else None
    if case is None or found is None:
        return "none"
    kind, signal, due = found
    if _marked(session, case_id, kind, due, signal):
        return "already_done"
    try:
        escalated = act(session, case, kind, signal, due, system, moment)
    except IntegrityError:  # another process marked it between our read and our write
        return "already_done"
    return "escalated" if escalated else signal.split("-")[0].replace("remind", "red")


def _marked(session: Session, case_id: int, kind: str, due: date, signal: str) -> bool:
    return (
        session.scalar(
            select(SweepMark.id).where(
                SweepMark.case_id == case_id,
                SweepMark.kind == kind,
                SweepMark.due == due,
                SweepMark.signal == signal,
            )
        )
        is not None
    )


def act(
    session: Session,
    case: Case,
    kind: str,
    signal: str,
    due: date,
    system: User,
    moment: datetime,
) -> bool:
    """Mark, then escalate (when overdue and the policy says so) or flag. The mark joins the
    action's transaction, so both land or neither. Returns whether it escalated."""
    session.add(SweepMark(case_id=case.id, kind=kind, due=due, signal=signal, at=moment))
    if _should_escalate(session, case, kind, signal):
        from grassroots.cases.schemas import Escalate
        from grassroots.cases.workflow.routing import do_escalate

        reason = f"超过{_KIND_NAMES[kind]}时限（{due.isoformat()}），系统按规则自动上报"
        # A refusal (e.g. someone changed the case meanwhile) rolls the mark back with it:
        # the next sweep looks again.
        do_escalate(
            session,
            case.code,
            Escalate(reason=reason),
            actor=system,
            expected_version=case.version,
            now=moment,
        )
        return True
    do_flag_deadline(session, case, kind=kind, signal=signal, due=due, actor=system, now=moment,
                     raise_up=_raise_unaccepted(session, case, kind, signal))  # fmt: skip
    return False


_KIND_NAMES = {"accept": "受理", "resolve": "办理", "follow_up": "回访"}


def _escalates(session: Session, case: Case) -> bool:
    """The case's deadline policy escalates an overdue case (never above the city level)."""
    if case.level == TOP_LEVEL:
        return False
    policy = policy_for(
        session, case.category_code, case.level, case.violence_risk, case.source_code
    )
    return policy.auto_escalate


def _should_escalate(session: Session, case: Case, kind: str, signal: str) -> bool:
    return signal == "red" and kind == "resolve" and _escalates(session, case)


def _raise_unaccepted(session: Session, case: Case, kind: str, signal: str) -> bool:
    """A case still unaccepted past its time to accept cannot be escalated (nobody at its
    level took it): where its policy escalates, the overdue flag and each day's reminder go
    to the centre one level above as well (上级督办), who may accept it themselves."""
    return kind == "accept" and signal != "yellow" and _escalates(session, case)
