"""线索 pages: the list (with the figures for coordinators), receiving a lead, one lead with
its timeline and its actions as forms, and the informant's audited reveal (htmx). Thin: the
same access_lead, do_* and input models as the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today
from grassroots.deps import DbSession, Permissions, requires
from grassroots.dictionary.queries import active_categories, dictionary_names, lead_categories
from grassroots.errors import Problem
from grassroots.geo.queries import grid_choices, subtree_choices
from grassroots.i18n import N_, gettext_for, request_locale
from grassroots.leads import queries as q
from grassroots.leads.actions import do_act, do_create, do_reveal_informant
from grassroots.leads.reporting.figures import lead_figures
from grassroots.leads.responses import lead_out, page_of
from grassroots.leads.schemas import INPUTS, NewLead
from grassroots.leads.workflow import ACTION_LABELS, FINDING_LABELS, SOURCE_LABELS, STATE_LABELS
from grassroots.ratelimit.limits import client_ip
from grassroots.scope import post_prefix
from grassroots.web.forms import field_errors, form_fields, problem_errors
from grassroots.web.templating import register_globals, render

router = APIRouter(include_in_schema=False)
register_globals(
    lead_state_labels=STATE_LABELS, lead_source_labels=SOURCE_LABELS,
    lead_finding_labels=FINDING_LABELS, lead_action_labels=ACTION_LABELS,
)  # fmt: skip
Reader = Annotated[User, requires("lead.read")]
Registrar = Annotated[User, requires("lead.register")]
Actor = Annotated[User, requires("lead.act")]
Revealer = Annotated[User, requires("lead.reveal")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]
FILTERS = ("state", "source", "batch")


@router.get("/leads", response_class=HTMLResponse)
def leads_list(
    request: Request, session: DbSession, user: Reader, permissions: Permissions
) -> HTMLResponse:
    args = {k: request.query_params.get(k) or None for k in (*FILTERS, "cursor")}
    f = q.LeadFilters(state=args["state"], source=args["source"], batch=args["batch"])
    today = china_today()
    rows, next_cursor = q.list_leads(session, user, f, today, args["cursor"], q.PAGE_SIZE)
    prefix = post_prefix(user)
    figures = (lead_figures(session, prefix, today.year, today)
               if "lead.register" in permissions and prefix else None)  # fmt: skip
    context = {"rows": page_of(session, rows, today), "next_cursor": next_cursor,
               "filters": args, "figures": figures}  # fmt: skip
    return render(request, "leads/list.html", context, user=user)


def _new_context(session: DbSession, request: Request, user: User) -> dict[str, Any]:
    names = dictionary_names([c for c in lead_categories(session) if c.active],
                             request_locale(request))  # fmt: skip
    post = user.jurisdiction
    return {"categories": names, "errors": {}, "values": {},
            "places": subtree_choices(session, post),
            "jurisdiction": post.code if post else ""}  # fmt: skip


@router.get("/leads/new", response_class=HTMLResponse)
def new_lead_form(request: Request, session: DbSession, user: Registrar) -> HTMLResponse:
    return render(request, "leads/new.html", _new_context(session, request, user), user=user)


@router.post("/leads/new", response_class=HTMLResponse)
def new_lead(request: Request, session: DbSession, user: Registrar, form: FormFields) -> Response:
    """接收线索 from the form; errors come back next to the fields (422)."""
    t = gettext_for(request_locale(request))
    data = {k: v for k, v in form.items() if k != "csrf_token" and v != ""}
    data["anonymous"] = bool(form.get("anonymous"))
    try:
        lead = do_create(session, NewLead.model_validate(data), actor=user)
    except ValidationError as exc:
        errors = field_errors(exc, t, lambda loc: str(loc[0]), "_form")
    except Problem as exc:
        errors = problem_errors(exc, "_form", {})
    else:
        return RedirectResponse(f"/leads/{lead.code}", status_code=303)
    session.rollback()
    context = _new_context(session, request, user) | {"errors": errors, "values": form}
    return render(request, "leads/new.html", context, user=user, status_code=422)


def _detail(
    session: DbSession, request: Request, user: User, permissions: frozenset[str], code: str
) -> dict[str, Any]:
    lead = q.access_lead(session, user, code)
    out = lead_out(session, user, lead, permissions, china_today())
    codes = {c for c in (out.unit_code, *(c.unit_code for c in out.children)) if c}
    categories = dictionary_names(lead_categories(session), request_locale(request))
    return {"lead": out, "units": [(u.code, u.name) for u in q.units_for(session, user)],
            "unit_names": q.unit_names(session, codes),
            "case_categories": dictionary_names(active_categories(session),
                                                request_locale(request)),
            "grid_options": grid_choices(session, user.jurisdiction),
            "category_name": categories.get(out.category_code, out.category_code),
            "may_reveal": q.may_reveal_informant(user, lead, permissions) and
            out.informant_recorded, "open_action": "", "errors": {}, "values": {}}  # fmt: skip


@router.get("/leads/{lead_code}", response_class=HTMLResponse)
def lead_detail(
    request: Request, session: DbSession, user: Reader, permissions: Permissions, lead_code: str
) -> HTMLResponse:
    context = _detail(session, request, user, permissions, lead_code)
    return render(request, "leads/detail.html", context, user=user)


def params_from_form(action: str, form: dict[str, Any]) -> dict[str, Any]:
    """The action's input from its form: blanks left out, the split's units as parts, the
    verification's case fields as create_case."""
    data = {k: v for k, v in form.items()
            if k not in ("csrf_token", "expected_version") and v not in ("", [])}  # fmt: skip
    if action == "split":
        units = data.pop("unit_code", [])
        data["parts"] = [{"unit_code": u} for u in ([units] if isinstance(units, str) else units)]
    if "interim" in data:
        data["interim"] = True
    case = {k: data.pop(f"case_{k}") for k in ("category_code", "grid_code") if f"case_{k}" in data}
    if case:
        data["create_case"] = case
    return data


@router.post("/leads/{lead_code}/act/{action}", response_class=HTMLResponse)
def act(
    request: Request, session: DbSession, user: Actor, permissions: Permissions,
    lead_code: str, action: str, form: FormFields,
) -> Response:  # fmt: skip
    lead = q.access_lead(session, user, lead_code)
    t = gettext_for(request_locale(request))
    version = str(form.get("expected_version", ""))
    errors: dict[str, str] = {}
    if action not in INPUTS:
        raise Problem(404, "unknown_action", f"没有动作 {action} / no such action")
    if not version.isdigit() or len(version) > 9:
        errors = {"_form": t(N_("The page is out of date: reload it and try again."))}
    try:
        if not errors:
            params = INPUTS[action].model_validate(params_from_form(action, form))
            do_act(session, lead, action, params, actor=user, permissions=permissions,
                   expected_version=int(version))  # fmt: skip
            return RedirectResponse(f"/leads/{lead_code}", status_code=303)
    except ValidationError as exc:
        errors = field_errors(exc, t, lambda loc: str(loc[0]), "_form")
    except Problem as exc:
        errors = problem_errors(exc, "_form", {})
    session.rollback()
    context = _detail(session, request, user, permissions, lead_code)
    context |= {"open_action": action, "errors": errors, "values": form}
    return render(request, "leads/detail.html", context, user=user, status_code=422)


@router.post("/leads/{lead_code}/informant/reveal", response_class=HTMLResponse)
def reveal(
    request: Request, session: DbSession, user: Revealer, permissions: Permissions,
    lead_code: str, form: FormFields,
) -> HTMLResponse:  # fmt: skip
    """The informant's name and contact as a fragment (htmx), for a stated reason."""
    lead = q.access_lead(session, user, lead_code)
    reason = str(form.get("reason", "")).strip()
    if len(reason) < 4:
        raise Problem(422, "reason_required", "请填写查看理由 / a reason is required")
    name, contact = do_reveal_informant(session, lead, reason, actor=user,
                                        permissions=permissions, ip=client_ip(request))  # fmt: skip
    return render(request, "leads/_informant.html", {"name": name, "contact": contact}, user=user)
