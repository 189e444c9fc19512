"""Pages of federation: the county administrator's partner deployments (/admin/partners:
this deployment's code and public key to give out, the partners, add one, disable or
enable); a handler's case shared with a partner (/joint/partners/{id}: this side's copy and
its timeline both ways, a message, a session) and the form that shares one of our cases
(/joint/partners/share/{code}). Thin: access_*, the input models, do_*, render."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.config import get_settings
from grassroots.db import utcnow
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.federation import queries as q
from grassroots.federation.actions import (
    do_add_partner,
    do_ensure_key,
    do_hand_link,
    do_record_session,
    do_rotate_key,
    do_send_message,
    do_set_partner_active,
    do_set_partner_key,
    do_share_with_partner,
)
from grassroots.federation.outbox_pages import router as outbox_router
from grassroots.federation.schemas import (
    HandIn,
    LinkMessageIn,
    PartnerIn,
    PartnerKeyIn,
    SessionIn,
    ShareIn,
)
from grassroots.federation.signing import fingerprint
from grassroots.geo.queries import nearby_choices
from grassroots.i18n import N_, gettext_for, request_locale
from grassroots.web.flash import set_flash
from grassroots.web.forms import field_errors, form_fields
from grassroots.web.templating import register_globals, render

router = APIRouter(include_in_schema=False)
router.include_router(outbox_router)
Admin = Annotated[User, requires("config.write")]
Reader = Annotated[User, requires("case.read")]
Actor = Annotated[User, requires("case.act")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]
PARTNER_FIELDS = ("name", "code", "base_url", "public_key")
KIND_LABELS = {
    "joint_case.shared": N_("Case shared"), "message": N_("Message"),
    "session.recorded": N_("Session recorded"), "status.changed": N_("Status changed"),
    "meeting.invited": N_("Meeting invitation"),
}  # fmt: skip
SENT_LABELS = {"pending": N_("Waiting to be sent"), "sent": N_("Delivered"),
               "failed": N_("Not delivered yet, will retry"),
               "received": N_("Received"),
               "gave_up": N_("Cancelled, not sent")}  # fmt: skip
register_globals(key_fingerprint=fingerprint, federation_kinds=KIND_LABELS,
                 federation_sent=SENT_LABELS)  # fmt: skip


def _page(request: Request, session: DbSession, user: User, *, errors: dict[str, str] | None = None,
          typed: dict[str, Any] | None = None, status: int = 200) -> HTMLResponse:  # fmt: skip
    own = q.current_key(session)  # a GET reads: the key is made by a POST or the CLI
    context = {"own_code": q.own_code(session), "own_key": own.public_key if own else None,
               "partners": q.partners(session), "errors": errors or {}, "now": utcnow(),
               "grace_days": get_settings().federation_key_grace_days,
               "typed": typed or {}}  # fmt: skip
    return render(request, "federation/partners.html", context, user=user, status_code=status)


@router.get("/admin/partners", response_class=HTMLResponse)
def partners_page(request: Request, session: DbSession, user: Admin) -> HTMLResponse:
    """信息联通: this deployment's public key and the partner deployments."""
    return _page(request, session, user)


@router.post("/admin/partners", response_class=HTMLResponse)
def add_partner(request: Request, session: DbSession, user: Admin, form: FormFields) -> Response:
    data = {k: form.get(k) or "" for k in PARTNER_FIELDS}
    data["clear_personal"] = form.get("clear_personal") == "1"
    try:
        do_add_partner(session, PartnerIn.model_validate(data), actor=user)
    except ValidationError as exc:
        t = gettext_for(request_locale(request))
        errors = field_errors(exc, t, lambda loc: str(loc[0]), "_form")
        return _page(request, session, user, errors=errors, typed=form, status=422)
    except Problem as exc:
        session.rollback()
        return _page(request, session, user, errors={"code": exc.message}, typed=form,
                     status=exc.status)  # fmt: skip
    return _saved()


@router.post("/admin/partners/key", response_class=HTMLResponse)
def make_key(session: DbSession, user: Admin) -> Response:
    """Make this deployment's key pair when there is none (audited; once only)."""
    do_ensure_key(session, actor=user)
    return _saved()


@router.post("/admin/partners/key/rotate", response_class=HTMLResponse)
def rotate_key(request: Request, session: DbSession, user: Admin) -> Response:
    """A new key pair signs from now on (audited); the partners are given the new key."""
    try:
        do_rotate_key(session, actor=user)
    except Problem as exc:
        session.rollback()
        return _page(request, session, user, errors={"_key": exc.message}, status=exc.status)
    return _saved()


@router.post("/admin/partners/partner-key", response_class=HTMLResponse)
def partner_key(request: Request, session: DbSession, user: Admin, form: FormFields) -> Response:
    """A partner's new public key; its previous key stays accepted for the grace period."""
    partner = q.access_partner(session, str(form.get("partner_code") or ""))
    fields = {"public_key": form.get("new_key") or "", "grace_days": form.get("grace_days") or None}
    data = _validated(request, PartnerKeyIn, fields)
    if isinstance(data, dict):
        return _page(request, session, user, errors={"new_key": next(iter(data.values()))},
                     typed=form, status=422)  # fmt: skip
    try:
        do_set_partner_key(session, partner, data, actor=user)
    except Problem as exc:
        session.rollback()
        return _page(request, session, user, errors={"new_key": exc.message}, typed=form,
                     status=exc.status)  # fmt: skip
    return _saved()


@router.post("/admin/partners/{partner_code}/toggle", response_class=HTMLResponse)
def toggle_partner(session: DbSession, user: Admin, partner_code: str) -> Response:
    partner = q.access_partner(session, partner_code)
    do_set_partner_active(session, partner, not partner.active, actor=user)
    return _saved()


def _validated(request: Request, model: type[BaseModel], data: dict[str, Any]) -> Any:
    """The model, or a dict of translated field errors."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        t = gettext_for(request_locale(request))
        return field_errors(exc, t, lambda loc: str(loc[0]), "_form")


def _link_page(request: Request, session: DbSession, user: User, link_id: int,
               errors: dict[str, str] | None = None, status: int = 200,
               ) -> HTMLResponse:  # fmt: skip
    link = q.access_link(session, user, link_id)
    places = [] if link.case_id else nearby_choices(session, user.jurisdiction, link.jurisdiction)
    context = {"link": link, "title": q.link_title(link), "entries": q.timeline(session, link),
               "errors": errors or {}, "places": places}  # fmt: skip
    return render(request, "federation/link.html", context, user=user, status_code=status)


@router.get("/joint/partners/{link_id}", response_class=HTMLResponse)
def link_page(request: Request, session: DbSession, user: Reader, link_id: DbId) -> HTMLResponse:
    """信息联通: a case shared with a partner deployment, with its timeline both ways."""
    return _link_page(request, session, user, link_id)


@router.post("/joint/partners/{link_id}/messages", response_class=HTMLResponse)
def link_message(request: Request, session: DbSession, user: Actor, link_id: DbId,
                 form: FormFields) -> Response:  # fmt: skip
    link = q.access_link(session, user, link_id)
    data = _validated(request, LinkMessageIn, {"text": form.get("text", "")})
    if isinstance(data, dict):
        return _link_page(request, session, user, link_id, data, 422)
    do_send_message(session, link, data, actor=user)
    return RedirectResponse(f"/joint/partners/{link_id}#timeline", status_code=303)


@router.post("/joint/partners/{link_id}/hand", response_class=HTMLResponse)
def link_hand(request: Request, session: DbSession, user: Actor, link_id: DbId,
              form: FormFields) -> Response:  # fmt: skip
    """交办: a partner's case to another of our jurisdictions; the form again on a refusal."""
    link = q.access_link(session, user, link_id)
    data = _validated(request, HandIn, {"jurisdiction_code": form.get("jurisdiction_code", "")})
    if isinstance(data, dict):
        return _link_page(request, session, user, link_id, data, 422)
    try:
        do_hand_link(session, link, data, actor=user)
    except Problem as exc:
        session.rollback()
        errors = {"jurisdiction_code": exc.message}
        return _link_page(request, session, user, link_id, errors, 422)
    return RedirectResponse(f"/joint/partners/{link_id}#link-summary", status_code=303)


@router.post("/joint/partners/{link_id}/sessions", response_class=HTMLResponse)
def link_session(request: Request, session: DbSession, user: Actor, link_id: DbId,
                 form: FormFields) -> Response:  # fmt: skip
    link = q.access_link(session, user, link_id)
    fields = {k: form.get(k) for k in ("held_on", "summary") if form.get(k)}
    data = _validated(request, SessionIn, fields)
    if isinstance(data, dict):
        return _link_page(request, session, user, link_id, data, 422)
    do_record_session(session, link, data, actor=user)
    return RedirectResponse(f"/joint/partners/{link_id}#timeline", status_code=303)


def _share_page(request: Request, session: DbSession, user: User, code: str,
                errors: dict[str, str] | None = None, status: int = 200,
               ) -> HTMLResponse:  # fmt: skip
    case = q.access_own_case(session, user, code)
    context = {"case": case, "links": q.links_of_case(session, case), "errors": errors or {},
               "partners": [p for p in q.partners(session) if p.active]}  # fmt: skip
    return render(request, "federation/share.html", context, user=user, status_code=status)


@router.get("/joint/partners/share/{code}", response_class=HTMLResponse)
def share_page(request: Request, session: DbSession, user: Actor, code: str) -> HTMLResponse:
    """与邻县联通: share one of our cases with a partner deployment."""
    return _share_page(request, session, user, code)


@router.post("/joint/partners/share/{code}", response_class=HTMLResponse)
def share_case(request: Request, session: DbSession, user: Actor, code: str,
               form: FormFields) -> Response:  # fmt: skip
    case = q.access_own_case(session, user, code)
    fields = {"partner_code": form.get("partner_code") or "", "note": form.get("note") or "",
              "to_code": form.get("to_code") or None,
              "parties_needed": form.get("parties_needed") == "1"}  # fmt: skip
    data = _validated(request, ShareIn, fields)
    if isinstance(data, dict):
        return _share_page(request, session, user, code, data, 422)
    try:
        link = do_share_with_partner(session, case, data, actor=user)
    except Problem as exc:
        session.rollback()
        return _share_page(request, session, user, code, {"partner_code": exc.message}, exc.status)
    return RedirectResponse(f"/joint/partners/{link.id}", status_code=303)


def _saved() -> Response:
    """Back to the partners page with the "saved" notice (after every accepted form)."""
    response = RedirectResponse("/admin/partners", status_code=303)
    set_flash(response, "saved")
    return response
