"""Routing actions: assign (分流派遣), share and unshare (联调), escalate (上报),
refer_down (交办下派)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.cases import schemas as s
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.deadlines import history
from grassroots.cases.models import Case, CaseShare
from grassroots.cases.workflow.engine import Change, Ctx, act
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level, Unit
from grassroots.scope import current_jurisdiction

LOWER_CODE = {  # the case's own code one level below the holder's level
    Level.city: "county_code",
    Level.county: "township_code",
    Level.township: "village_code",
}


def _bad(field: str, message: str) -> Problem:
    return Problem(422, "invalid_target", message, errors=[{"field": field, "message": message}])


# Built once: constructing a statement costs about as much as running it.
_ACTIVE_UNIT = select(Unit).where(Unit.code == bindparam("code"), Unit.active)
_ACTIVE_USER = select(User).where(User.username == bindparam("username"), User.is_active)


def unit_at(session: Session, code: str, holder_id: int, field: str) -> Unit:
    unit = session.scalar(_ACTIVE_UNIT, {"code": code})
    if unit is None or unit.jurisdiction_id != holder_id:
        raise _bad(field, f"单位 {code} 不在本案当前层级 / unit {code} is not at the case's level")
    return unit


def _mediator_at(session: Session, username: str, holder_id: int) -> User:
    user = session.scalar(_ACTIVE_USER, {"username": username})
    places = (
        {user.jurisdiction_id, user.unit.jurisdiction_id if user.unit else None} if user else set()
    )
    if user is None or user.role != Role.mediator or holder_id not in places:
        raise _bad("mediator", f"{username} 不是本层级的调解员 / not a mediator at this level")
    return user


def _assign(params: s.Assign) -> Change:
    def change(case: Case, ctx: Ctx) -> dict[str, Any]:
        mediator = None
        if params.mediator is not None:
            mediator = _mediator_at(ctx.session, params.mediator, case.holder_jurisdiction_id)
        if params.unit_code is not None:
            holder = case.holder_jurisdiction_id
            case.unit = unit_at(ctx.session, params.unit_code, holder, "unit_code")
        elif mediator is not None:
            case.unit = mediator.unit
        case.assignee = mediator
        return {"unit_code": case.unit.code if case.unit else None}

    return change


def _share_target(
    session: Session, params: s.Share | s.Unshare
) -> tuple[Jurisdiction | None, Unit | None]:
    """The jurisdiction or the unit a (un)share names; 422 naming the field if unknown."""
    if params.unit_code is not None:
        unit = session.scalar(select(Unit).where(Unit.code == params.unit_code))
        if unit is None:
            raise _bad("unit_code", f"单位 {params.unit_code} 不存在 / unknown unit")
        return None, unit
    assert params.jurisdiction_code is not None
    place = current_jurisdiction(session, params.jurisdiction_code)
    if place is None:
        raise _bad("jurisdiction_code", "区划不存在 / unknown jurisdiction")
    return place, None


def _share(params: s.Share) -> Change:
    def change(case: Case, ctx: Ctx) -> None:
        place, unit = _share_target(ctx.session, params)
        if unit is not None and not unit.active:  # ending a share with it stays possible
            raise _bad("unit_code", f"单位 {unit.code} 已停用 / unit {unit.code} is deactivated")
        for share in case.shares:
            if share.unit == unit and share.jurisdiction == place:
                share.role = params.role.value
                return
        case.shares.append(CaseShare(jurisdiction=place, unit=unit, role=params.role.value))

    return change


def _unshare(params: s.Unshare) -> Change:
    def change(case: Case, ctx: Ctx) -> dict[str, Any]:
        place, unit = _share_target(ctx.session, params)
        found = [sh for sh in case.shares if sh.unit == unit and sh.jurisdiction == place]
        if not found:
            field = "unit_code" if unit is not None else "jurisdiction_code"
            message = "本案未与其联调 / the case is not shared with it"
            raise Problem(409, "not_shared", message, errors=[{"field": field, "message": message}])
        case.shares.remove(found[0])  # delete-orphan: the share row goes
        return {"role": found[0].role}

    return change


def _move_to(case: Case, ctx: Ctx, holder: Jurisdiction, action: str) -> None:
    """The case is accepted at another level: nobody there handles it yet, and the time to
    resolve at that level starts (the deadline it had is kept as history)."""
    history.supersede_resolve_deadline(ctx.session, case, ctx.moment, action)
    case.holder = holder
    case.level = holder.level
    case.unit = None
    case.assignee = None
    clk.start_resolve_clock(ctx.session, ctx.cal, case, ctx.today)


def _escalate(case: Case, ctx: Ctx) -> dict[str, Any]:
    parent = case.holder.parent
    assert parent is not None  # the table's guard refused the top level
    from_level = case.level
    _move_to(case, ctx, parent, "escalate")
    case.escalation_count += 1
    return {"from_level": from_level, "to_level": case.level, "to_code": parent.code}


def _refer_down(case: Case, ctx: Ctx) -> dict[str, Any]:
    attr = LOWER_CODE.get(Level(case.level))
    code = getattr(case, attr) if attr else None
    lower = current_jurisdiction(ctx.session, code) if code else None
    if lower is None:
        raise Problem(409, "no_lower_level", "已是最低层级，不能再下派 / no lower level")
    from_level = case.level
    _move_to(case, ctx, lower, "refer_down")
    return {"from_level": from_level, "to_level": case.level, "to_code": lower.code}


def do_assign(
    session: Session, code: str, params: s.Assign, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """分流派遣 to a unit and/or a mediator at the case's current level."""
    return act(session, code, "assign", params, _assign(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_share(
    session: Session, code: str, params: s.Share, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """联调: share the case with another jurisdiction's centre or a unit (lead or co)."""
    return act(session, code, "share", params, _share(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_unshare(
    session: Session, code: str, params: s.Unshare, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """取消联调: the jurisdiction's centre or the unit no longer shares the case (nor sees it,
    unless it sees it for another reason)."""
    return act(session, code, "unshare", params, _unshare(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_escalate(
    session: Session, code: str, params: s.Escalate, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """上报 one level up (village → township → county → city), with the reason."""
    return act(session, code, "escalate", params, _escalate, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_refer_down(
    session: Session, code: str, params: s.ReferDown, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """交办下派 one level down, to the case's own township or village."""
    return act(session, code, "refer_down", params, _refer_down, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip
