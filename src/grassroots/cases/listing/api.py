"""GET /cases: the case list with filters, sort and keyset pagination."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import select

from grassroots.accounts.models import User
from grassroots.bounds import Day
from grassroots.calendar.today import local_date
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.listing import queries as q
from grassroots.cases.queues.api import QueueName
from grassroots.cases.responses import CaseSummary, case_summary
from grassroots.cases.workflow.transitions import STATE_LABELS
from grassroots.db import utcnow
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Unit
from grassroots.scope import current_jurisdiction

router = APIRouter(tags=["cases"])
Reader = Annotated[User, requires("case.read")]


class CasePage(BaseModel):
    items: list[CaseSummary]
    next_cursor: str | None


def _case_filter(
    session: DbSession,
    state: Annotated[list[str], Query()] = [],  # noqa: B006  (FastAPI reads the default)
    category: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    level: str | None = None,
    jurisdiction: str | None = None,
    unit: str | None = None,
    light: Literal["green", "yellow", "red"] | None = None,
    overdue: bool | None = None,
    violence_risk: bool | None = None,
    registered_from: Day | None = None,
    registered_to: Day | None = None,
    q_text: Annotated[str | None, Query(alias="q", max_length=100)] = None,
    open_: Annotated[bool | None, Query(alias="open")] = None,
) -> q.CaseFilter:
    bad = [s for s in state if s not in STATE_LABELS]
    if bad:
        raise _query_problem("state", f"未知状态 / unknown state: {', '.join(bad)}")
    place = _jurisdiction(session, jurisdiction) if jurisdiction else None
    unit_id = _unit_id(session, unit) if unit else None
    return q.CaseFilter(
        state=state, category=category, kind=kind, source=source, level=level,
        jurisdiction=place, unit_id=unit_id, light=light, overdue=overdue,
        violence_risk=violence_risk, registered_from=registered_from,
        registered_to=registered_to, text=q_text, open=open_,
    )  # fmt: skip


def _query_problem(field: str, message: str) -> Problem:
    return Problem(422, "validation_failed", message, errors=[{"field": field, "message": message}])


def _jurisdiction(session: DbSession, code: str) -> Jurisdiction:
    found = current_jurisdiction(session, code)
    if found is None:
        raise _query_problem("jurisdiction", "区划不存在 / unknown jurisdiction")
    return found


def _unit_id(session: DbSession, code: str) -> int:
    found = session.scalar(select(Unit.id).where(Unit.code == code))
    if found is None:
        raise _query_problem("unit", "单位不存在 / unknown unit")
    return found


@router.get("/cases", response_model=CasePage)
def list_cases(
    session: DbSession,
    user: Reader,
    f: Annotated[q.CaseFilter, Depends(_case_filter)],
    sort: Literal["-registered_at", "registered_at", "-code", "code", "due"] | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    queue: QueueName = None,
) -> CasePage:
    """案件列表: filters, keyset pagination (pass next_cursor back as cursor), sort (newest
    first by default; `due`: the running clock's due date, most overdue first, no clock last);
    `queue` keeps the cases of one of the user's work queues (GET /queues lists them and
    counts), sorted by `due` unless a sort is given; `open=true` keeps the open (在办) cases."""
    today = local_date(utcnow())
    rows, next_cursor = q.list_cases(
        session, user, f, today, sort=sort, cursor=cursor, limit=limit, queue=queue
    )
    cal = clk.load_calendar(session)
    return CasePage(items=[case_summary(c, cal, today) for c in rows], next_cursor=next_cursor)
