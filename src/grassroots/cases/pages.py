"""事件详情: the case, its timeline, its parties (masked, parties.pages), and the actions the
user may take now — each a form derived from the action's input model, run through the same do_*."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.accounts.queries import display_names, mediators_at
from grassroots.bounds import fits_int
from grassroots.calendar.today import china_today
from grassroots.calendar.workdays import load_calendar
from grassroots.cases.actions import run_action
from grassroots.cases.agreements.actions import mask_name, print_context
from grassroots.cases.attachments.actions import do_attach_files
from grassroots.cases.attachments.queries import case_attachments
from grassroots.cases.attachments.uploads import UPLOAD_LIMIT, Files, event_id_of
from grassroots.cases.deadlines.queries import deadline_records
from grassroots.cases.editing.rules import may_edit
from grassroots.cases.forms import FieldSpec, answers, form_of
from grassroots.cases.labels import (
    ACTION_LABELS,
    EDIT_LABELS,
    FIELD_LABELS,
    KIND_LABELS,
    LIGHT_LABELS,
    OPTION_LABELS,
    PARTY_ROLE_LABELS,
    deadline_badge,
    light_of,
    state_label,
)
from grassroots.cases.links.queries import case_links, case_shares, merged_timelines
from grassroots.cases.listing.queries import case_places
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.queries import access_case, timeline
from grassroots.cases.workflow.guidance import JARGON, done_message, expected_actions, holder_text
from grassroots.cases.workflow.transitions import allowed_actions, transition
from grassroots.deps import DbSession, requires
from grassroots.dictionary.queries import active_categories, dictionary_names
from grassroots.errors import Problem
from grassroots.geo.queries import subtree_choices, unit_choices
from grassroots.geo.units.queries import units_at
from grassroots.i18n import N_, gettext_for, request_locale
from grassroots.ratelimit.limits import client_ip
from grassroots.scope import current_jurisdiction
from grassroots.web.flash import set_flash
from grassroots.web.forms import field_errors, form_fields, problem_errors
from grassroots.web.limits import CASE_TEXT_LIMIT, body_limit
from grassroots.web.templating import register_filters, register_globals, render

router = APIRouter(include_in_schema=False)
register_globals(
    state_label=state_label, light_labels=LIGHT_LABELS, kind_labels=KIND_LABELS,
    party_role_labels=PARTY_ROLE_LABELS, field_labels=FIELD_LABELS, option_labels=OPTION_LABELS,
    edit_labels=EDIT_LABELS, jargon=JARGON,
)  # fmt: skip
register_filters(mask_name=mask_name)
CaseReader = Annotated[User, requires("case.read")]
CaseActor = Annotated[User, requires("case.act")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]


def action_options(session: DbSession, case: Case) -> dict[str, list[tuple[str, str]]]:
    """Choices for the routing fields: the units and mediators where the case is held."""
    return {
        "unit_code": [(u.code, u.name) for u in units_at(session, case.holder_jurisdiction_id)],
        "mediator": [
            (m.username, m.display_name) for m in mediators_at(session, case.holder_jurisdiction_id)
        ],
    }


# Shown in the "linked cases and joint handling" section, next to what they change.
LINK_ACTIONS = frozenset({"link", "unlink", "unshare"})
LINK_LABELS = {
    "related": N_("Related case"),
    "duplicate_of": N_("This case is a duplicate of it"),
    "original_of": N_("Duplicate of this case"),
    "lead": N_("Lead handler"),
    "co": N_("Co-handler"),
}


def share_options(session: DbSession, case: Case) -> dict[str, list[tuple[str, str]]]:
    """Joint handling goes to any centre or unit of the case's county: pickers by name."""
    county = current_jurisdiction(session, case.county_code)
    return {
        "jurisdiction_code": subtree_choices(session, county),
        "unit_code": unit_choices(session, county),
    }


def action_forms(session: DbSession, case: Case, user: User) -> list[tuple[str, list[FieldSpec]]]:
    allowed = [t for t in allowed_actions(case, user) if t.action not in LINK_ACTIONS]
    options = action_options(session, case)
    shared = share_options(session, case) if any(t.action == "share" for t in allowed) else {}
    return [
        (t.action, form_of(t.params, shared if t.action == "share" else options)) for t in allowed
    ]


def links_context(session: DbSession, case: Case, user: User) -> dict[str, Any]:
    """Links (other cases beyond the user's scope by code only), shares, and the link form."""
    allowed = {t.action for t in allowed_actions(case, user)}
    return {
        "links": case_links(session, user, case),
        "shares": case_shares(session, case),
        "link_labels": LINK_LABELS,
        "link_form": form_of(transition("link").params) if "link" in allowed else None,
        "may_unlink": "unlink" in allowed,
        "may_unshare": "unshare" in allowed,
    }


def detail_context(session: DbSession, case: Case, user: User, request: Request) -> dict[str, Any]:
    events = timeline(session, case)
    merged = merged_timelines(session, user, case)
    actor_ids = {e.actor_id for e in events} | {e.actor_id for m in merged for e in m.events}
    return {
        "case": case,
        "place": case_places(session, [case])[case.id],
        "light": light_of(case, china_today()),
        "deadline": deadline_badge(load_calendar(session), case, china_today()),
        "deadline_history": deadline_records(session, case.id),
        "events": events,
        "actors": display_names(session, actor_ids),
        "merged": merged,
        "category_name": dictionary_names(active_categories(session), request_locale(request)).get(
            case.category_code, case.category_code
        ),
        "forms": action_forms(session, case, user),
        **next_step_context(case, user, request),
        "may_edit": may_edit(case, user),
        **links_context(session, case, user),
        "action_labels": ACTION_LABELS,
        "agreement": latest_agreement(events),
        "attachments": case_attachments(session, case),
        "open_action": "",
        "errors": {},
        "values": {},
    }


def next_step_context(case: Case, user: User, request: Request) -> dict[str, Any]:
    """The one or two actions the case waits for from this viewer; if none, who holds it."""
    expected = expected_actions(case, allowed_actions(case, user))
    t = gettext_for(request_locale(request))
    return {"next_actions": expected, "holder_text": "" if expected else holder_text(case, t)}


def latest_agreement(events: list[CaseEvent]) -> CaseEvent | None:
    found = [e for e in events if e.action == "record_agreement"]
    return found[-1] if found else None


@router.get("/cases/{code}", response_class=HTMLResponse)
def case_detail(request: Request, session: DbSession, user: CaseReader, code: str) -> HTMLResponse:
    case = access_case(session, user, code)
    return render(
        request, "cases/detail.html", detail_context(session, case, user, request), user=user
    )


def run_from_form(
    session: DbSession, user: User, code: str, action: str, form: dict[str, Any], t: Any
) -> Case | dict[str, str]:
    """Validate with the action's model and run it: the case as it is now, or the errors
    by field."""
    version = str(form.get("expected_version", ""))
    if not version.isdigit() or not fits_int(int(version)):
        return {"_form": t(N_("The page is out of date: reload it and try again."))}
    model = transition(action).params
    try:
        params = model.model_validate(answers(model, form))
        return run_action(session, code, action, params, actor=user, expected_version=int(version))
    except ValidationError as exc:
        return field_errors(exc, t, lambda loc: str(loc[0]), "_form")
    except Problem as exc:
        return problem_errors(exc, "_form", {})


@router.post(
    "/cases/{code}/act/{action}",
    response_class=HTMLResponse,
    openapi_extra=body_limit(CASE_TEXT_LIMIT),
)
def act(
    request: Request, session: DbSession, user: CaseActor, code: str, action: str, form: FormFields
) -> Response:
    """One action of the transition table; errors come back next to the action's fields."""
    access_case(session, user, code)
    locale = request_locale(request)
    t = gettext_for(locale)
    outcome = run_from_form(session, user, code, action, form, t)
    if isinstance(outcome, Case):  # done: say what it changed
        response = RedirectResponse(f"/cases/{code}", status_code=303)
        set_flash(response, "case_acted", done_message(action, outcome, t, locale))
        return response
    errors = outcome
    session.rollback()
    case = access_case(session, user, code)
    context = detail_context(session, case, user, request)
    context.update(open_action=action, errors=errors, values=form)
    return render(request, "cases/detail.html", context, user=user, status_code=422)


@router.post("/cases/{code}/attachments", response_class=HTMLResponse, openapi_extra=UPLOAD_LIMIT)
def attach(
    request: Request, session: DbSession, user: CaseActor, code: str, files: Files
) -> Response:
    """The 附件 section's form; a refusal comes back on the case page under the section."""
    case = access_case(session, user, code)
    t = gettext_for(request_locale(request))
    error = t(N_("Choose a file to upload."))
    if files.files:
        try:
            rows = do_attach_files(
                session, case, files.files, keep_location=files.keep_location,
                event_id=event_id_of(files), settings=request.app.state.settings, actor=user,
                ip=client_ip(request),
            )  # fmt: skip
        except Problem as exc:
            error = exc.message
        else:
            response = RedirectResponse(f"/cases/{code}#attachments", status_code=303)
            set_flash(response, "attached", str(len(rows)))
            return response
    session.rollback()
    case = access_case(session, user, code)
    context = detail_context(session, case, user, request)
    context.update(errors={"attachments": error})
    return render(request, "cases/detail.html", context, user=user, status_code=422)


@router.get("/cases/{code}/agreement", response_class=HTMLResponse)
def agreement(request: Request, session: DbSession, user: CaseReader, code: str) -> HTMLResponse:
    """Printable 调解协议书 from the latest recorded agreement."""
    case = access_case(session, user, code)
    events = timeline(session, case)
    found = latest_agreement(events)
    if found is None:
        raise Problem(404, "no_agreement", "本案尚未记录调解协议 / no agreement recorded")
    context = {
        "case": case,
        "agreement": found,
        "mediator": display_names(session, {found.actor_id}).get(found.actor_id, ""),
        **print_context(session, case, found),
    }
    return render(request, "cases/agreement.html", context, user=user)
