"""Reads of organisational units for their administration: scope, listing, open cases.

access_unit is the only way a route gets one unit to change it: a unit outside the acting
administrator's jurisdiction subtree answers 404 exactly like an absent one.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, joinedload

from grassroots.accounts.models import User
from grassroots.cases.models import OPEN_STATES, Case
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Unit
from grassroots.scope import in_subtree, subtree_condition


def in_scope(actor: User, jurisdiction: Jurisdiction) -> bool:
    """Whether `jurisdiction` lies in the actor's subtree (grassroots.scope)."""
    return in_subtree(actor, jurisdiction.code)


def unit_scope(actor: User) -> ColumnElement[bool]:
    """The units attached to a jurisdiction in the actor's subtree (grassroots.scope)."""
    return Unit.jurisdiction.has(subtree_condition(actor, Jurisdiction.code))


def access_unit(session: Session, actor: User, code: str) -> Unit:
    unit = session.scalar(
        select(Unit)
        .options(joinedload(Unit.jurisdiction))
        .where(Unit.code == code, unit_scope(actor))
    )
    if unit is None:
        raise Problem(404, "unit_not_found", f"单位 {code} 不存在 / no such unit")
    return unit


def scoped_units(
    session: Session,
    actor: User,
    jurisdiction: Jurisdiction | None = None,
    include_inactive: bool = True,
) -> Sequence[Unit]:
    """The units an administrator manages, active and (by default) deactivated ones."""
    stmt = select(Unit).options(joinedload(Unit.jurisdiction)).where(unit_scope(actor))
    if jurisdiction is not None:
        stmt = stmt.where(Unit.jurisdiction_id == jurisdiction.id)
    if not include_inactive:
        stmt = stmt.where(Unit.active)
    return session.scalars(stmt.order_by(Unit.code)).all()


def open_case_count(session: Session, unit_id: int) -> int:
    """Cases still open (registered, accepted, in progress, suspended) held by the unit."""
    stmt = select(func.count()).where(Case.unit_id == unit_id, Case.state.in_(sorted(OPEN_STATES)))
    return int(session.scalar(stmt) or 0)


def unit_code_taken(session: Session, code: str) -> bool:
    return session.scalar(select(Unit.id).where(Unit.code == code)) is not None


def units_at(session: Session, jurisdiction_id: int) -> Sequence[Unit]:
    """Active units attached to one jurisdiction (where a case held there can be routed)."""
    stmt = select(Unit).where(Unit.jurisdiction_id == jurisdiction_id, Unit.active)
    return session.scalars(stmt.order_by(Unit.code)).all()
