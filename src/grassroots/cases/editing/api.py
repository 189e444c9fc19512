"""POST /api/v1/cases/{code}/edit: 修改案件信息. Thin: access_case, do_edit_case, the case."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import ValidationError

from grassroots.accounts.models import User
from grassroots.calendar.today import local_date
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.editing.actions import do_edit_case
from grassroots.cases.editing.schemas import CaseEdit, CaseEditRequest
from grassroots.cases.queries import access_case
from grassroots.cases.responses import CaseOut, case_out
from grassroots.db import utcnow
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.web.limits import CASE_TEXT_LIMIT, body_limit

router = APIRouter(tags=["cases"])
Editor = Annotated[User, requires("case.act")]


@router.post(
    "/cases/{code}/edit", response_model=CaseOut, openapi_extra=body_limit(CASE_TEXT_LIMIT)
)
def edit_case(
    code: str, session: DbSession, user: Editor, body: Annotated[dict[str, Any], Body()]
) -> CaseOut:
    """Change the category, kind, place, address, parties, risk level or 民转刑 flag of a
    registered case, with a reason. Fields left out stay as they are; a stale
    expected_version is a 409 conflict; who may edit what: docs/cases.md. Body: the
    CaseEditRequest schema."""
    access_case(session, user, code)  # 404 before anything about the body
    request = parse_edit(body)
    data = CaseEdit.model_validate(request.model_dump(exclude={"expected_version"}))
    case = do_edit_case(session, code, data, actor=user, expected_version=request.expected_version)
    return case_out(case, clk.load_calendar(session), local_date(utcnow()))


def parse_edit(body: dict[str, Any]) -> CaseEditRequest:
    """The body as a CaseEditRequest, or a 422 naming every wrong field."""
    try:
        return CaseEditRequest.model_validate(body)
    except ValidationError as exc:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"], "type": e["type"]}
            for e in exc.errors()
        ]
    names = ", ".join(e["field"] or "(body)" for e in errors)
    raise Problem(422, "validation_failed", f"输入有误 / invalid input: {names}", errors=errors)
