"""JSON routes of one case under /api/v1: the case, its timeline, its allowed actions and the
one transitions endpoint. Thin: parse, access_case, do_*, respond. (Registering is
cases.intake.api, lists cases.listing.api.)"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import ValidationError

from grassroots.accounts.models import User
from grassroots.bounds import fits_int
from grassroots.calendar.today import local_date
from grassroots.cases import queries as q
from grassroots.cases.actions import run_action
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.responses import (
    ActionOut,
    CaseOut,
    EventOut,
    TransitionResult,
    action_out,
    case_out,
    event_out,
)
from grassroots.cases.workflow.transitions import STATE_LABELS, TABLE, allowed_actions, transition
from grassroots.db import utcnow
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.web.limits import CASE_TEXT_LIMIT, body_limit

router = APIRouter(tags=["cases"])

Reader = Annotated[User, requires("case.read")]
Actor = Annotated[User, requires("case.act")]


def _today() -> date:
    return local_date(utcnow())


@router.get("/cases/{code}", response_model=CaseOut)
def get_case(code: str, session: DbSession, user: Reader) -> CaseOut:
    case = q.access_case(session, user, code)
    return case_out(case, clk.load_calendar(session), _today())


@router.get("/cases/{code}/timeline", response_model=list[EventOut])
def get_timeline(code: str, session: DbSession, user: Reader) -> list[EventOut]:
    """时间线: every transition, oldest first."""
    case = q.access_case(session, user, code)
    events = q.timeline(session, case)
    names = q.usernames(session, {e.actor_id for e in events})
    codes = q.place_codes(session, events)
    return [
        event_out(e, names[e.actor_id], codes.holders[e.holder_jurisdiction_id],
                  codes.units.get(e.unit_id) if e.unit_id else None)
        for e in events
    ]  # fmt: skip


@router.get("/cases/{code}/actions", response_model=list[ActionOut])
def get_allowed_actions(code: str, session: DbSession, user: Reader) -> list[ActionOut]:
    """The actions this user may take on the case now, with what each requires."""
    case = q.access_case(session, user, code)
    return [action_out(t) for t in allowed_actions(case, user)]


def _params(action: str, body: dict[str, Any]) -> tuple[Any, int]:
    t = transition(action)
    if not t.sources:
        raise Problem(422, "unknown_action", "登记请用 POST /cases / register with POST /cases")
    payload = dict(body)
    version = payload.pop("expected_version", None)
    errors = []
    if not fits_int(version):
        errors.append({"field": "expected_version", "message": "必填整数 / integer required"})
    try:
        params = t.params.model_validate(payload)
    except ValidationError as exc:
        errors += [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"], "type": e["type"]}
            for e in exc.errors()
        ]
    if errors:
        names = ", ".join(e["field"] or "(body)" for e in errors)
        raise Problem(422, "validation_failed", f"输入有误 / invalid input: {names}", errors=errors)
    return params, version  # type: ignore[return-value]


@router.post(
    "/cases/{code}/actions/{action}",
    response_model=TransitionResult,
    openapi_extra=body_limit(CASE_TEXT_LIMIT),
)
def act(
    code: str, action: str, session: DbSession, user: Actor,
    body: Annotated[dict[str, Any], Body()],
) -> TransitionResult:  # fmt: skip
    """Run one action of the transition table. Body: expected_version + what it requires
    (GET /cases/{code}/actions lists them). A stale version is a 409 conflict."""
    q.access_case(session, user, code)
    params, version = _params(action, body)
    case = run_action(session, code, action, params, actor=user, expected_version=version)
    return TransitionResult(
        code=case.code,
        state=case.state,
        state_label=STATE_LABELS[case.state],
        level=case.level,
        version=case.version,
        allowed_actions=[t.action for t in allowed_actions(case, user)],
    )


ALL_ACTIONS = tuple(TABLE)
