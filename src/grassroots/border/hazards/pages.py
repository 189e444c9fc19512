"""边界隐患 pages: the list with the map layer, register (new), one hazard with its timeline
and the status move, edit. Thin: the same HazardIn / StatusIn the API validates, access_hazard,
do_*."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.border.hazards import queries as q
from grassroots.border.hazards.actions import (
    do_move_hazard,
    do_register_hazard,
    do_update_hazard,
)  # fmt: skip
from grassroots.border.hazards.forms import form_values, validated
from grassroots.border.hazards.schemas import StatusIn
from grassroots.border.hazards.workflow import KIND_LABELS, RISK_LABELS, STATUS_LABELS
from grassroots.border.meetings.forms import as_list
from grassroots.border.meetings.queries import meetings, place_choices
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.i18n import gettext_for, request_locale
from grassroots.web.forms import form_fields, problem_errors
from grassroots.web.templating import register_globals, render

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, requires("case.read")]
Actor = Annotated[User, requires("case.act")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]
register_globals(hazard_status_labels=STATUS_LABELS, hazard_kind_labels=KIND_LABELS,
                 hazard_risk_labels=RISK_LABELS)  # fmt: skip


@router.get("/border/hazards", response_class=HTMLResponse)
def hazard_list(request: Request, session: DbSession, user: Reader) -> HTMLResponse:
    rows = [q.row_out(h) for h in q.hazards(session, user)]
    return render(request, "border/hazards.html", {"rows": rows}, user=user)


def _form(
    request: Request, session: DbSession, user: User, values: dict[str, Any],
    errors: dict[str, str], hazard_id: int | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    t = gettext_for(request_locale(request))
    context = {"values": values, "errors": errors, "hazard_id": hazard_id,
               "kinds": [(k, t(v)) for k, v in KIND_LABELS.items()],
               "risks": [(k, t(v)) for k, v in RISK_LABELS.items()],
               "choices": place_choices(session), "meetings": meetings(session, user)[:50],
               "chosen": as_list(values.get("jurisdiction_codes")),
               "chosen_meetings": as_list(values.get("meeting_ids"))}  # fmt: skip
    return render(request, "border/hazard_form.html", context, user=user, status_code=status)


@router.get("/border/hazards/new", response_class=HTMLResponse)
def new_hazard(request: Request, session: DbSession, user: Actor) -> HTMLResponse:
    post = user.jurisdiction
    values = {"risk": "medium", "jurisdiction_codes": [post.code] if post is not None else []}
    return _form(request, session, user, values, {})


def _save(
    request: Request, session: DbSession, user: User, form: dict[str, Any],
    hazard_id: int | None,
) -> Response:  # fmt: skip
    hazard = q.access_hazard(session, user, hazard_id) if hazard_id else None
    data = validated(form, gettext_for(request_locale(request)))
    if isinstance(data, dict):
        return _form(request, session, user, form, data, hazard_id, 422)
    try:
        if hazard is None:
            hazard = do_register_hazard(session, data, actor=user)
        else:
            do_update_hazard(session, hazard, data, actor=user)
    except Problem as exc:
        session.rollback()
        return _form(request, session, user, form, problem_errors(exc, "_form", {}), hazard_id, 422)
    return RedirectResponse(f"/border/hazards/{hazard.id}", status_code=303)


@router.post("/border/hazards", response_class=HTMLResponse)
def register_hazard(
    request: Request, session: DbSession, user: Actor, form: FormFields
) -> Response:
    return _save(request, session, user, form, None)


def _page(
    request: Request, session: DbSession, user: User, hazard_id: int,
    errors: dict[str, str], status: int = 200,
) -> HTMLResponse:  # fmt: skip
    h = q.hazard_out(q.access_hazard(session, user, hazard_id))
    context = {"h": h, "errors": errors}
    return render(request, "border/hazard.html", context, user=user, status_code=status)


@router.get("/border/hazards/{hazard_id}", response_class=HTMLResponse)
def hazard_page(
    request: Request, session: DbSession, user: Reader, hazard_id: DbId
) -> HTMLResponse:
    return _page(request, session, user, hazard_id, {})


@router.get("/border/hazards/{hazard_id}/edit", response_class=HTMLResponse)
def edit_hazard(request: Request, session: DbSession, user: Actor, hazard_id: DbId) -> HTMLResponse:
    h = q.hazard_out(q.access_hazard(session, user, hazard_id))
    return _form(request, session, user, form_values(h), {}, hazard_id)


@router.post("/border/hazards/{hazard_id}", response_class=HTMLResponse)
def update_hazard(
    request: Request, session: DbSession, user: Actor, hazard_id: DbId, form: FormFields
) -> Response:
    return _save(request, session, user, form, hazard_id)


@router.post("/border/hazards/{hazard_id}/status", response_class=HTMLResponse)
def move_hazard(
    request: Request, session: DbSession, user: Actor, hazard_id: DbId, form: FormFields
) -> Response:
    hazard = q.access_hazard(session, user, hazard_id)
    try:
        data = StatusIn.model_validate({"to": form.get("to", ""), "note": form.get("note", "")})
        do_move_hazard(session, hazard, data, actor=user)
    except ValidationError:
        t = gettext_for(request_locale(request))
        return _page(
            request, session, user, hazard_id, {"to": t("Choose one of the options.")}, 422
        )
    except Problem as exc:
        session.rollback()
        return _page(request, session, user, hazard_id, {"to": exc.message}, 409)
    return RedirectResponse(f"/border/hazards/{hazard_id}#timeline", status_code=303)
