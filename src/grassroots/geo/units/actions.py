"""Writes to organisational units, one at a time (administrators: config.write).

Each do_* owns one transaction and writes its audit row inside it. A unit is never deleted:
cases, accounts and statistics refer to it. Deactivating hides it from assign forms and
routing; it is refused while the unit still holds open cases.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.geo.models import Unit
from grassroots.geo.schemas import UnitIn, UnitPatch
from grassroots.geo.units.queries import access_unit, in_scope, open_case_count, unit_code_taken
from grassroots.scope import current_jurisdiction


def _invalid(field: str, message: str) -> Problem:
    return Problem(
        422,
        "bad_unit",
        f"单位信息有误 / invalid unit: {message}",
        errors=[{"field": field, "message": message}],
    )


def _taken(code: str) -> Problem:
    return Problem(
        409,
        "unit_exists",
        f"单位代码 {code} 已被使用 / unit code already in use",
        errors=[{"field": "code", "message": "单位代码已被使用 / code already in use"}],
    )


def do_create_unit(session: Session, data: UnitIn, *, actor: User) -> Unit:
    """A new active unit in a current jurisdiction of the actor's subtree, under a new code."""
    with transaction(session):
        place = current_jurisdiction(session, data.jurisdiction_code)
        if place is None or not in_scope(actor, place):
            raise _invalid(
                "jurisdiction_code", f"区划 {data.jurisdiction_code} 不存在 / no such jurisdiction"
            )
        if unit_code_taken(session, data.code):
            raise _taken(data.code)
        unit = Unit(code=data.code, name=data.name, kind=data.kind.value, jurisdiction=place)
        session.add(unit)
        try:
            session.flush()
        except IntegrityError as exc:  # another administrator took the code just now
            raise _taken(data.code) from exc
        record_audit(
            session,
            actor=actor,
            action="unit.create",
            object_type="unit",
            object_id=data.code,
            details={"name": data.name, "kind": data.kind.value, "jurisdiction": place.code},
        )
    return unit


def do_update_unit(session: Session, code: str, data: UnitPatch, *, actor: User) -> Unit:
    """Rename a unit and/or change its kind; only the fields given change."""
    with transaction(session):
        unit = access_unit(session, actor, code)
        changed: dict[str, str] = {}
        if data.name is not None and data.name != unit.name:
            unit.name = changed["name"] = data.name
        if data.kind is not None and data.kind.value != unit.kind:
            unit.kind = changed["kind"] = data.kind.value
        if changed:
            record_audit(
                session,
                actor=actor,
                action="unit.update",
                object_type="unit",
                object_id=code,
                details=changed,
            )
    return unit


def do_set_unit_active(session: Session, code: str, active: bool, *, actor: User) -> Unit:
    """Deactivate (refused while it holds open cases) or reactivate a unit; idempotent."""
    with transaction(session):
        unit = access_unit(session, actor, code)
        if unit.active == active:
            return unit
        if not active:
            held = open_case_count(session, unit.id)
            if held:
                raise Problem(
                    409,
                    "unit_has_open_cases",
                    f"该单位还有 {held} 件未办结的案件，请先转办或办结后再停用 / "
                    f"the unit still holds {held} open case(s); reassign or finish them first",
                    errors=[
                        {"field": "active", "message": f"未办结案件 {held} 件", "open_cases": held}
                    ],
                )
        unit.active = active
        record_audit(
            session,
            actor=actor,
            action="unit.reactivate" if active else "unit.deactivate",
            object_type="unit",
            object_id=code,
        )
    return unit


def do_deactivate_unit(session: Session, code: str, *, actor: User) -> Unit:
    return do_set_unit_active(session, code, False, actor=actor)


def do_reactivate_unit(session: Session, code: str, *, actor: User) -> Unit:
    return do_set_unit_active(session, code, True, actor=actor)
