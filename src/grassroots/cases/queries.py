"""Reads of cases: the case scope, the one access function, the timeline. (Lists with
filters and keyset pagination: cases.listing.queries.)

Scope (who sees which case), built on grassroots.scope — documented in docs/cases.md:
- staff with a post in a jurisdiction (grid workers, mediators, centre staff, leaders) see
  every case located in that jurisdiction's subtree (a village its village, a township its
  township, the county everything), wherever the case is held now;
- unit handlers see the cases routed to their unit;
- everybody sees the cases assigned to them or registered by them, and joint cases shared
  with their jurisdiction (or a descendant of it) or their unit;
- administrators and auditors see none (they hold no case.read);
- a user with no post sees no case by location (grassroots.scope's rule), only the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.audit.actions import record_audit
from grassroots.cases.models import Case, CaseEvent, CaseShare
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level, Unit
from grassroots.scope import subtree_condition

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
        places = select(Jurisdiction.id).where(subtree_condition(user, Jurisdiction.code))
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


def timeline(session: Session, case: Case) -> list[CaseEvent]:
    return list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        )
    )


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
