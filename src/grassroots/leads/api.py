"""JSON routes of leads under /api/v1/leads: the list (filters, keyset cursor), receiving a
lead, one lead, its actions, and the lead a case came from. Thin: parse, access_lead, do_*,
respond."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from grassroots.accounts.models import User
from grassroots.bounds import Year, fits_int
from grassroots.calendar.today import china_today
from grassroots.cases.queries import access_case
from grassroots.deps import DbSession, Permissions, requires
from grassroots.errors import Problem
from grassroots.leads import queries as q
from grassroots.leads.actions import do_act, do_create, do_reveal_informant
from grassroots.leads.models import Finding, Lead, LeadSource, LeadState
from grassroots.leads.reporting.figures import FiguresOut, lead_figures
from grassroots.leads.reporting.reply import build_reply_docx
from grassroots.leads.responses import (
    ActionResult,
    LeadOut,
    LeadPage,
    LeadRow,
    lead_out,
    page_of,
)
from grassroots.leads.schemas import INPUTS, NewLead, RevealIn
from grassroots.ratelimit.limits import client_ip
from grassroots.scope import post_prefix

router = APIRouter(tags=["leads"])
Reader = Annotated[User, requires("lead.read")]
Registrar = Annotated[User, requires("lead.register")]
Actor = Annotated[User, requires("lead.act")]
Revealer = Annotated[User, requires("lead.reveal")]
Coordinator = Annotated[User, requires("lead.register")]
_ = Finding  # the finding codes are documented with the verify action


@router.get("/leads", response_model=LeadPage)
def list_leads(
    session: DbSession, user: Reader,
    state: LeadState | None = None, source: LeadSource | None = None,
    category: Annotated[str | None, Query(max_length=32)] = None,
    issuing_body: Annotated[str | None, Query(max_length=100)] = None,
    batch: Annotated[str | None, Query(max_length=64)] = None,
    overdue: bool | None = None, top_level: bool = False,
    cursor: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = q.PAGE_SIZE,
) -> LeadPage:  # fmt: skip
    """线索列表: newest first; `next_cursor` fetches the next page. Never shows the people a
    lead names nor its informant."""
    f = q.LeadFilters(
        state=state.value if state else None, source=source.value if source else None,
        category=category, issuing_body=issuing_body, batch=batch, overdue=overdue,
        top_level=top_level,
    )  # fmt: skip
    today = china_today()
    rows, next_cursor = q.list_leads(session, user, f, today, cursor, limit)
    return LeadPage(items=page_of(session, rows, today), next_cursor=next_cursor)


@router.post("/leads", response_model=LeadOut, status_code=201)
def create_lead(
    data: NewLead, session: DbSession, user: Registrar, permissions: Permissions
) -> LeadOut:
    """接收线索: a report (举报), a transfer (移送) or a lead handed down (上级交办), with the
    issuing body's deadline (due_on) or the policy's in working days."""
    lead = do_create(session, data, actor=user)
    return lead_out(session, user, lead, permissions, china_today())


@router.get("/leads/figures", response_model=FiguresOut)
def figures(
    session: DbSession, user: Coordinator, year: Annotated[Year | None, Query()] = None
) -> FiguresOut:
    """线索统计 of the user's subtree: 线索数 by source and category, 已核查 / 核查中 / 超期,
    属实率, 转为案件数, 清零率 per batch, per issuing body and overall (docs/metrics.md)."""
    prefix = post_prefix(user)
    if prefix is None:
        raise Problem(404, "no_post", "您没有岗位辖区 / you have no post")
    return lead_figures(session, prefix, year, china_today())


@router.get("/leads/{lead_code}", response_model=LeadOut)
def get_lead(lead_code: str, session: DbSession, user: Reader, permissions: Permissions) -> LeadOut:
    lead = q.access_lead(session, user, lead_code)
    return lead_out(session, user, lead, permissions, china_today())


def _params(action: str, body: dict[str, Any]) -> tuple[Any, int]:
    model = INPUTS.get(action)
    if model is None:
        raise Problem(404, "unknown_action", f"没有动作 {action} / no such action")
    payload = dict(body)
    version = payload.pop("expected_version", None)
    if not fits_int(version):
        raise Problem(422, "validation_failed", "expected_version: 必填整数 / integer required")
    try:
        return model.model_validate(payload), version  # type: ignore[return-value]
    except ValidationError as exc:
        errors = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
                  for e in exc.errors()]  # fmt: skip
        raise Problem(422, "validation_failed", "输入有误 / invalid input", errors=errors) from exc


@router.post("/leads/{lead_code}/actions/{action}", response_model=ActionResult)
def act(
    lead_code: str, action: str, session: DbSession, user: Actor, permissions: Permissions,
    body: Annotated[dict[str, Any], Body()],
) -> ActionResult:  # fmt: skip
    """One action: assign, split, start, note, verify (finding: substantiated / partly /
    unfounded / unverifiable; create_case optional), reply, return (退回重查), close. Body:
    expected_version + the action's fields. A stale version is a 409."""
    lead = q.access_lead(session, user, lead_code)
    params, version = _params(action, body)
    lead = do_act(session, lead, action, params, actor=user, permissions=permissions,
                  expected_version=version)  # fmt: skip
    out = lead_out(session, user, lead, permissions, china_today())
    return ActionResult(code=out.code, state=out.state, version=out.version,
                        allowed_actions=out.allowed_actions, case_code=out.case_code)  # fmt: skip


@router.get("/cases/{code}/leads", response_model=list[LeadRow])
def leads_of_case(code: str, session: DbSession, user: Reader) -> list[LeadRow]:
    """The leads whose verification created this case (the link back from the case); only
    those the user may see."""
    case = access_case(session, user, code)
    rows = session.scalars(select(Lead).where(Lead.case_id == case.id, q.lead_scope(user)))
    return page_of(session, list(rows), china_today())


class InformantOut(BaseModel):
    name: str | None
    contact: str | None


@router.post("/leads/{lead_code}/informant/reveal", response_model=InformantOut)
def reveal_informant(
    lead_code: str, data: RevealIn, request: Request, session: DbSession, user: Revealer,
    permissions: Permissions,
) -> InformantOut:  # fmt: skip
    """举报人信息: the informant's name and contact, with a reason; every reveal is audited.
    Refused (403) to anyone of the unit the lead is about."""
    lead = q.access_lead(session, user, lead_code)
    name, contact = do_reveal_informant(session, lead, data.reason, actor=user,
                                        permissions=permissions, ip=client_ip(request))  # fmt: skip
    return InformantOut(name=name, contact=contact)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("/leads/{lead_code}/reply.docx", response_class=Response,
            responses={200: {"content": {DOCX: {}}}})  # fmt: skip
def reply_document(
    lead_code: str, session: DbSession, user: Coordinator, permissions: Permissions
) -> Response:
    """核查情况报告 (Word) for the issuing body, once the lead is verified. It names neither
    the people in the lead nor the informant."""
    lead = q.access_lead(session, user, lead_code)
    if lead.state not in ("verified", "replied", "closed"):
        raise Problem(409, "not_verified", "线索尚未核查完毕 / not verified yet")
    out = lead_out(session, user, lead, permissions, china_today())
    centre = user.unit.name if user.unit is not None else "综治中心"
    data = build_reply_docx(out, centre, china_today())
    name = f"reply-{lead.code}.docx"
    return Response(data, media_type=DOCX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
