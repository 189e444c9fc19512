"""修改案件信息 page: GET shows the form (or why the user may not edit the case now), POST
runs do_edit_case and goes back to the case (errors come back next to their fields,
nothing changed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.bounds import fits_int
from grassroots.cases.editing.actions import do_edit_case
from grassroots.cases.editing.form import CASE_FIELDS, edit_body, grid_choices
from grassroots.cases.editing.rules import edit_refusal
from grassroots.cases.editing.schemas import CaseEdit
from grassroots.cases.labels import KIND_LABELS, OPTION_LABELS, PARTY_ROLE_LABELS
from grassroots.cases.models import Case
from grassroots.cases.queries import access_case
from grassroots.deps import DbSession, requires
from grassroots.dictionary.queries import active_categories, dictionary_names
from grassroots.errors import Problem
from grassroots.i18n import N_, gettext_for, request_locale
from grassroots.web.flash import set_flash
from grassroots.web.forms import field_errors, form_fields, problem_errors
from grassroots.web.limits import CASE_TEXT_LIMIT, body_limit
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
Editor = Annotated[User, requires("case.act")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]


def _context(session: DbSession, case: Case, user: User, request: Request) -> dict[str, Any]:
    locale = request_locale(request)
    t = gettext_for(locale)
    names = dictionary_names(active_categories(session), locale)

    def options(labels: dict[str, str], keys: Iterable[str]) -> list[tuple[str, str]]:
        return [(k, t(labels[k])) for k in keys]

    return {
        "case": case, "categories": list(names.items()), "grids": grid_choices(session, case, user),
        "kind_options": options(KIND_LABELS, KIND_LABELS),
        "risk_options": options(OPTION_LABELS, ("low", "medium", "high")),
        "role_options": options(PARTY_ROLE_LABELS, PARTY_ROLE_LABELS),
        "errors": {}, "values": current_values(case), "refusal": edit_refusal(case, user),
    }  # fmt: skip


def current_values(case: Case) -> dict[str, Any]:
    """The form's starting values: the case's own (parties' inputs start empty)."""
    values: dict[str, Any] = {n: getattr(case, n) or "" for n in CASE_FIELDS}
    return values | {"violence_risk": "1" if case.violence_risk else ""}


@router.get("/cases/{code}/edit", response_class=HTMLResponse)
def edit_page(request: Request, session: DbSession, user: Editor, code: str) -> HTMLResponse:
    case = access_case(session, user, code)
    return render(request, "cases/edit.html", _context(session, case, user, request), user=user)


def _error_field(body: dict[str, Any], loc: tuple[Any, ...]) -> str:
    """The form input a validation error belongs to."""
    if len(loc) >= 3 and loc[0] == "party_changes" and isinstance(loc[1], int):
        return f"party_{body['party_changes'][loc[1]]['id']}_{loc[2]}"
    if len(loc) >= 3 and loc[0] == "add_parties":
        return f"new_party_{loc[2]}"
    return str(loc[0])


def run_edit(
    session: DbSession, user: User, case: Case, form: dict[str, Any], t: Any
) -> dict[str, str]:
    """Validate and run the edit; the errors by input name ({} = done)."""
    version = str(form.get("expected_version", ""))
    if not version.isdigit() or not fits_int(int(version)):
        return {"_form": t(N_("The page is out of date: reload it and try again."))}
    body = edit_body(case, form)
    try:
        data = CaseEdit.model_validate(body)
        do_edit_case(session, case.code, data, actor=user, expected_version=int(version))
    except ValidationError as exc:
        return field_errors(exc, t, lambda loc: _error_field(body, loc), "_form")
    except Problem as exc:
        return problem_errors(exc, "_form", {"party_changes": "_form"})
    return {}


@router.post(
    "/cases/{code}/edit", response_class=HTMLResponse, openapi_extra=body_limit(CASE_TEXT_LIMIT)
)
def edit_submit(
    request: Request, session: DbSession, user: Editor, code: str, form: FormFields
) -> Response:
    case = access_case(session, user, code)
    errors = run_edit(session, user, case, form, gettext_for(request_locale(request)))
    if not errors:
        response = RedirectResponse(f"/cases/{code}", status_code=303)
        set_flash(response, "case_edited", code)
        return response
    session.rollback()
    case = access_case(session, user, code)
    context = _context(session, case, user, request) | {"errors": errors, "values": form}
    return render(request, "cases/edit.html", context, user=user, status_code=422)
