"""When the follow-up finds the agreement not performed (issue 15 item 12).

A case whose latest follow-up found its agreement not (fully) performed does not close as
化解 by default. The handler records the route taken (pursue_performance):
- 督促履行 (urge): the parties are urged to perform; a new follow-up must then find it
  performed, or another route is taken;
- 司法确认 (judicial_confirmation): 人民调解法 art. 33 — the parties may jointly apply to
  the people's court for confirmation within 30 days of the agreement taking effect; the
  application's date is required and checked against that window (the agreement takes
  effect on the day it is recorded here, art. 29: when the parties sign it);
- 诉讼 (litigation): the parties go to court over the unperformed agreement; the case then
  closes with outcome `not_performed`, which no 化解 figure counts.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.calendar.today import local_date
from grassroots.cases.models import Case, CaseEvent
from grassroots.errors import Problem

NOT_PERFORMED = frozenset({"not_performed", "partly_performed"})
# Routes after which the case may close (urge needs a new follow-up first).
CLOSING_ROUTES = frozenset({"judicial_confirmation", "litigation"})
JUDICIAL_WINDOW_DAYS = 30  # 人民调解法 art. 33: 自调解协议生效之日起三十日内


def _field_problem(code: str, field: str, message: str) -> Problem:
    return Problem(422, code, message, errors=[{"field": field, "message": message}])


def agreement_day(session: Session, case: Case) -> date | None:
    """The day the case's latest agreement was recorded (took effect), China time."""
    at = session.scalar(
        select(CaseEvent.at)
        .where(CaseEvent.case_id == case.id, CaseEvent.action == "record_agreement")
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    return local_date(at) if at is not None else None


def judicial_problem(
    session: Session, case: Case, applied_on: date | None, today: date
) -> Problem | None:
    """Why a judicial-confirmation route cannot be recorded, or None."""
    if applied_on is None:
        message = "须填写共同申请司法确认的日期 / the application date is required"
        return _field_problem("applied_on_required", "applied_on", message)
    agreed = agreement_day(session, case)
    if agreed is None:
        message = "没有调解协议，不能申请司法确认 / no agreement to confirm"
        return _field_problem("agreement_required", "route", message)
    last = agreed + timedelta(days=JUDICIAL_WINDOW_DAYS)
    if not agreed <= applied_on <= min(last, today):
        message = (f"申请日期须在协议生效之日（{agreed}）起三十日内（至 {last}），且不晚于今天"
                   f" / must lie between {agreed} and {min(last, today)}")  # fmt: skip
        return _field_problem("outside_judicial_window", "applied_on", message)
    return None


def close_problem(case: Case) -> Problem | None:
    """Closing guard: an unperformed agreement needs a closing route first."""
    if case.performance in NOT_PERFORMED and case.performance_route not in CLOSING_ROUTES:
        return Problem(
            409, "performance_route_required",
            "回访发现协议未履行：须先督促履行并再次回访，或记录司法确认、诉讼途径"
            " / the agreement was not performed: urge and follow up again, or record the"
            " judicial confirmation or litigation route",
        )  # fmt: skip
    return None


def not_performed_problem(case: Case) -> Problem | None:
    """pursue_performance guard: only after a follow-up found non-performance."""
    if case.performance not in NOT_PERFORMED:
        message = "回访未发现协议未履行 / no follow-up found the agreement unperformed"
        return Problem(409, "agreement_performed", message)
    return None


def closing_outcome(case: Case) -> str | None:
    """The outcome a case closes with: not_performed after the litigation route."""
    if case.performance in NOT_PERFORMED and case.performance_route == "litigation":
        return "not_performed"
    return case.outcome
