"""Reads of cases: scope, the one access function, lists with keyset pagination, timeline.

Scope (who sees which case) — documented in docs/cases.md:
- staff with a post in a jurisdiction (grid workers, mediators, centre staff, leaders) see
  every case located in that jurisdiction's subtree (a village its village, a township its
  township, the county everything), wherever the case is held now;
- unit handlers see the cases routed to their unit;
- everybody sees the cases assigned to them or registered by them, and joint cases shared
  with their jurisdiction (or a descendant of it) or their unit;
- administrators and auditors see none (they hold no case.read).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import Session, selectinload

from grassroots import refdata
from grassroots.accounts.models import Role, User
from grassroots.audit.actions import record_audit
from grassroots.cases.clockwork import LOCAL_TZ
from grassroots.cases.idempotency import Claim
from grassroots.cases.models import Case, CaseEvent, CaseShare, Category, IdempotencyKey, Source
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level, Unit

JURISDICTION_WIDE = frozenset(
    {Role.grid_worker, Role.mediator, Role.centre_staff, Role.leader, Role.system}
)
CASE_CODE_COLUMN = {
    Level.county: Case.county_code,
    Level.township: Case.township_code,
    Level.village: Case.village_code,
    Level.grid: Case.grid_code,
}


def located_in(node_level: str, code: str, prefix: str) -> ColumnElement[bool]:
    """Cases located in a jurisdiction's subtree (an equality on the code kept on the case
    where there is one, a prefix above the county)."""
    column = CASE_CODE_COLUMN.get(Level(node_level))
    if column is not None:
        return column == code
    return Case.county_code.startswith(prefix)


def _shared_with(user: User) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if user.unit_id is not None:
        conditions.append(CaseShare.unit_id == user.unit_id)
    if user.jurisdiction is not None:
        places = select(Jurisdiction.id).where(
            Jurisdiction.code.startswith(user.jurisdiction.prefix)
        )
        conditions.append(CaseShare.jurisdiction_id.in_(places))
    if not conditions:
        return false()
    return Case.id.in_(select(CaseShare.case_id).where(or_(*conditions)))


def case_scope(user: User) -> ColumnElement[bool]:
    """The SQL condition of the cases `user` may see (lists and statistics filter by it)."""
    if user.role in (Role.system_admin, Role.security_admin, Role.auditor):
        return false()
    conditions = [Case.assignee_id == user.id, Case.registered_by_id == user.id, _shared_with(user)]
    j = user.jurisdiction
    if user.role in JURISDICTION_WIDE and j is not None:
        conditions.append(located_in(j.level, j.code, j.prefix))
    if user.unit_id is not None:
        conditions.append(Case.unit_id == user.unit_id)
    return or_(*conditions)


def _loaded() -> Any:
    return (selectinload(Case.holder), selectinload(Case.unit))


def access_case(session: Session, user: User, code: str) -> Case:
    """The case `code` if `user` may see it; otherwise 404 exactly as for a missing code,
    and the refusal of an existing case is audited."""
    case = session.scalar(select(Case).where(Case.code == code, case_scope(user)))
    if case is not None:
        return case
    exists = session.scalar(select(Case.id).where(Case.code == code)) is not None
    if exists:
        with transaction(session):
            record_audit(
                session, actor=user, action="case.read", object_type="case",
                object_id=code, result="denied",
            )  # fmt: skip
    raise Problem(404, "not_found", f"案件 {code} 不存在 / case not found")


@dataclass(frozen=True)
class CaseFilter:
    state: Sequence[str] = ()
    category: str | None = None
    kind: str | None = None
    source: str | None = None
    level: str | None = None
    jurisdiction: Jurisdiction | None = None
    unit_id: int | None = None
    light: str | None = None
    overdue: bool | None = None
    violence_risk: bool | None = None
    registered_from: date | None = None
    registered_to: date | None = None  # inclusive
    text: str | None = None


def _light_condition(light: str, today: date) -> ColumnElement[bool]:
    due, yellow = Case.clock_due_on, Case.clock_yellow_on
    if light == "red":
        return due < today
    if light == "yellow":
        return (due >= today) & (yellow <= today)
    return (due >= today) & (yellow > today)


def filter_conditions(f: CaseFilter, today: date) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    simple = {
        Case.category_code: f.category, Case.kind: f.kind, Case.source_code: f.source,
        Case.level: f.level, Case.unit_id: f.unit_id, Case.violence_risk: f.violence_risk,
    }  # fmt: skip
    c += [column == value for column, value in simple.items() if value is not None]
    if f.state:
        c.append(Case.state.in_(f.state))
    if f.jurisdiction is not None:
        j = f.jurisdiction
        c.append(located_in(j.level, j.code, j.prefix))
    if f.light is not None:
        c.append(_light_condition(f.light, today))
    if f.overdue is not None:
        late = Case.clock_due_on < today
        c.append(late if f.overdue else or_(Case.clock_due_on.is_(None), ~late))
    if f.registered_from is not None:
        c.append(Case.registered_at >= _day_start(f.registered_from))
    if f.registered_to is not None:
        c.append(Case.registered_at < _day_start(date.fromordinal(f.registered_to.toordinal() + 1)))
    if f.text:
        pattern = f"%{f.text.replace('%', '').replace('_', '')}%"
        c.append(or_(Case.title.ilike(pattern), Case.description.ilike(pattern)))
    return c


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=LOCAL_TZ)


SORTS = {
    "-registered_at": (Case.registered_at, True),
    "registered_at": (Case.registered_at, False),
    "-code": (Case.code, True),
    "code": (Case.code, False),
}


def encode_cursor(sort: str, case: Case) -> str:
    column, _ = SORTS[sort]
    value = getattr(case, column.key)
    raw = json.dumps([sort, value.isoformat() if hasattr(value, "isoformat") else value, case.id])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode_cursor(sort: str, cursor: str) -> tuple[Any, int]:
    try:
        got_sort, value, case_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if got_sort != sort:
            raise ValueError("cursor of another sort")
        if sort.lstrip("-") == "registered_at":
            value = datetime.fromisoformat(value)
        return value, int(case_id)
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        message = "分页游标无效 / invalid cursor"
        raise Problem(
            422, "invalid_cursor", message, errors=[{"field": "cursor", "message": message}]
        ) from exc


def list_cases(
    session: Session, user: User, f: CaseFilter, today: date, *, sort: str = "-registered_at",
    cursor: str | None = None, limit: int = 50,
) -> tuple[list[Case], str | None]:  # fmt: skip
    """One page of the cases `user` may see, and the cursor of the next page (or None)."""
    column, desc = SORTS[sort]
    stmt: Select[Case] = select(Case).where(case_scope(user), *filter_conditions(f, today))
    if cursor:
        value, case_id = _decode_cursor(sort, cursor)
        after = (column < value) | ((column == value) & (Case.id < case_id))
        before = (column > value) | ((column == value) & (Case.id > case_id))
        stmt = stmt.where(after if desc else before)
    order = (column.desc(), Case.id.desc()) if desc else (column.asc(), Case.id.asc())
    rows = list(session.scalars(stmt.order_by(*order).limit(limit + 1).options(*_loaded())))
    next_cursor = encode_cursor(sort, rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor


def timeline(session: Session, case: Case) -> list[CaseEvent]:
    return list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        )
    )


@dataclass(frozen=True)
class DictionaryRow:
    """A category or source as the process's cache keeps it (grassroots.refdata): a plain
    copy, shared by every request until the dictionaries change."""

    code: str
    name: str
    name_en: str
    sort_order: int
    active: bool


def categories(session: Session) -> tuple[DictionaryRow, ...]:
    return refdata.cached(session, "case_categories", lambda s: _dictionary(s, Category))


def sources(session: Session) -> tuple[DictionaryRow, ...]:
    return refdata.cached(session, "case_sources", lambda s: _dictionary(s, Source))


def _dictionary(
    session: Session, model: type[Category] | type[Source]
) -> tuple[DictionaryRow, ...]:
    rows = session.execute(
        select(model.code, model.name, model.name_en, model.sort_order, model.active).order_by(
            model.sort_order, model.code
        )
    )
    return tuple(DictionaryRow(*row) for row in rows)


def usernames(session: Session, ids: set[int]) -> dict[int, str]:
    rows = session.execute(select(User.id, User.username).where(User.id.in_(ids)))
    return {i: n for i, n in rows}


@dataclass(frozen=True)
class PlaceCodes:
    holders: dict[int, str]
    units: dict[int, str]


def place_codes(session: Session, events: Sequence[CaseEvent]) -> PlaceCodes:
    holder_ids = {e.holder_jurisdiction_id for e in events}
    unit_ids = {e.unit_id for e in events if e.unit_id is not None}
    holders = session.execute(
        select(Jurisdiction.id, Jurisdiction.code).where(Jurisdiction.id.in_(holder_ids))
    )
    units = session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(unit_ids)))
    return PlaceCodes({i: c for i, c in holders}, {i: c for i, c in units})


def stored_response(session: Session, claim: Claim) -> bytes:
    """The response stored with a completed Idempotency-Key."""
    body = session.scalar(
        select(IdempotencyKey.response_body).where(
            IdempotencyKey.user_id == claim.user_id, IdempotencyKey.key == claim.key
        )
    )
    assert body is not None
    return body
