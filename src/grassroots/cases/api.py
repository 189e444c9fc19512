"""JSON routes of cases under /api/v1. Thin: parse, access_case, do_*, respond."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from grassroots.accounts.models import User
from grassroots.cases import clockwork as clk
from grassroots.cases import queries as q
from grassroots.cases.actions_dictionary import DictionaryEntryIn, do_put_entry
from grassroots.cases.dispatch import run_action
from grassroots.cases.idempotency import Replay, request_hash
from grassroots.cases.intake import do_register_once
from grassroots.cases.models import Category, Source
from grassroots.cases.registration import do_register
from grassroots.cases.responses import (
    ActionOut,
    CaseOut,
    CaseSummary,
    EventOut,
    TransitionResult,
    action_out,
    case_out,
    case_summary,
    event_out,
)
from grassroots.cases.schemas import NewCase
from grassroots.cases.transitions import STATE_LABELS, TABLE, allowed_actions, transition
from grassroots.db import utcnow
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Unit
from grassroots.geo.queries import current_jurisdiction

router = APIRouter(tags=["cases"])

Reader = Annotated[User, requires("case.read")]
Registrar = Annotated[User, requires("case.register")]
Actor = Annotated[User, requires("case.act")]
Configurer = Annotated[User, requires("config.write")]


class CasePage(BaseModel):
    items: list[CaseSummary]
    next_cursor: str | None


class DictionaryEntry(BaseModel):
    code: str
    name: str
    name_en: str = ""
    sort_order: int
    active: bool


def _today() -> date:
    return clk.local_day(utcnow())


@router.post("/cases", status_code=201, response_model=CaseOut)
def create_case(
    data: NewCase, session: DbSession, user: Registrar, response: Response,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> Any:  # fmt: skip
    """登记案件. With an Idempotency-Key header a retry replays the first response."""
    if idempotency_key is not None:
        digest = request_hash(data.model_dump(mode="json"))
        outcome = do_register_once(session, data, actor=user, key=idempotency_key, digest=digest)
        if isinstance(outcome, Replay):
            headers = {"Idempotent-Replayed": "true"}
            return Response(outcome.body, outcome.status, headers, "application/json")
        case, body = outcome  # exactly the bytes a retry will replay
        location = {"Location": f"/api/v1/cases/{case.code}"}
        return Response(body, 201, location, "application/json")
    case = do_register(session, data, actor=user)
    response.headers["Location"] = f"/api/v1/cases/{case.code}"
    return case_out(case, clk.load_calendar(session), _today())


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
    registered_from: date | None = None,
    registered_to: date | None = None,
    q_text: Annotated[str | None, Query(alias="q", max_length=100)] = None,
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
        registered_to=registered_to, text=q_text,
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
    sort: Literal["-registered_at", "registered_at", "-code", "code"] = "-registered_at",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CasePage:
    """案件列表: filters, keyset pagination (pass next_cursor back as cursor), sort."""
    today = _today()
    rows, next_cursor = q.list_cases(session, user, f, today, sort=sort, cursor=cursor, limit=limit)
    cal = clk.load_calendar(session)
    return CasePage(items=[case_summary(c, cal, today) for c in rows], next_cursor=next_cursor)


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
    if not isinstance(version, int) or isinstance(version, bool):
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


@router.post("/cases/{code}/actions/{action}", response_model=TransitionResult)
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


def _entries(rows: Sequence[Category | Source | q.DictionaryRow]) -> list[DictionaryEntry]:
    return [DictionaryEntry(code=r.code, name=r.name, name_en=r.name_en,
                            sort_order=r.sort_order, active=r.active) for r in rows]  # fmt: skip


@router.get("/case-categories", response_model=list[DictionaryEntry])
def list_categories(session: DbSession, user: Reader) -> list[DictionaryEntry]:
    return _entries(q.categories(session))


@router.get("/case-sources", response_model=list[DictionaryEntry])
def list_sources(session: DbSession, user: Reader) -> list[DictionaryEntry]:
    return _entries(q.sources(session))


@router.put("/case-categories/{code}", response_model=DictionaryEntry)
def put_category(
    code: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,32}$")], data: DictionaryEntryIn,
    session: DbSession, user: Configurer,
) -> DictionaryEntry:  # fmt: skip
    """Add or change a category (set active=false to retire it; old cases keep it)."""
    return _entries([do_put_entry(session, Category, code, data, actor=user)])[0]


@router.put("/case-sources/{code}", response_model=DictionaryEntry)
def put_source(
    code: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,32}$")], data: DictionaryEntryIn,
    session: DbSession, user: Configurer,
) -> DictionaryEntry:  # fmt: skip
    return _entries([do_put_entry(session, Source, code, data, actor=user)])[0]


ALL_ACTIONS = tuple(TABLE)
