"""管理 → units: list by jurisdiction, create, rename / change kind, deactivate, reactivate.

Every write goes through geo's unit do_* (one transaction, audit row inside). Deactivated
units stay listed here but are no longer offered in assign forms (they only list active ones).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.accounts.queries import postable_jurisdictions
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.geo.models import UnitKind
from grassroots.geo.schemas import UnitIn, UnitPatch
from grassroots.geo.units.actions import do_create_unit, do_set_unit_active, do_update_unit
from grassroots.geo.units.queries import in_scope, scoped_units
from grassroots.i18n import N_, gettext_for, request_locale
from grassroots.scope import current_jurisdiction
from grassroots.web.flash import set_flash
from grassroots.web.forms import field_errors, form_fields, problem_errors
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
Configurer = Annotated[User, requires("config.write")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]
NEW_UNIT_FIELDS = ("code", "name", "kind", "jurisdiction_code")

UNIT_KIND_LABELS: dict[str, str] = {
    UnitKind.centre: N_("Comprehensive governance centre"),
    UnitKind.judicial_office: N_("Judicial office"),
    UnitKind.police_station: N_("Police station"),
    UnitKind.mediation_committee: N_("People's mediation committee"),
    UnitKind.department: N_("County department"),
    UnitKind.court: N_("Court"),
    UnitKind.letters_office: N_("Letters and visits office"),
}


def _first(loc: tuple[Any, ...]) -> str:
    return str(loc[0])


def _page(
    request: Request,
    session: DbSession,
    user: User,
    place: str = "",
    form: tuple[dict[str, Any], dict[str, str]] | None = None,
    row_error: tuple[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The list (filtered by jurisdiction), the row forms and the new-unit form; `form` is
    what was typed into the new-unit form and its errors, `row_error` (code, message)."""
    t = gettext_for(request_locale(request))
    chosen = current_jurisdiction(session, place) if place else None
    if chosen is not None and not in_scope(user, chosen):
        chosen = None
    values, errors = form or ({"jurisdiction_code": chosen.code if chosen else ""}, {})
    context = {
        "units": scoped_units(session, user, chosen),
        "place": chosen.code if chosen else "",
        "place_options": [
            (j.code, f"{j.name} {j.code}") for j in postable_jurisdictions(session, user)
        ],
        "kind_options": [(k.value, t(UNIT_KIND_LABELS[k])) for k in UnitKind],
        "kind_labels": UNIT_KIND_LABELS,
        "values": values,
        "errors": errors,
        "row_error": row_error,
    }
    return render(request, "admin/units.html", context, user=user, status_code=status)


def _saved(place: str, anchor: str = "") -> Response:
    query = f"?jurisdiction={place}" if place.isdigit() and len(place) <= 15 else ""
    response = RedirectResponse(f"/admin/units{query}{anchor}", status_code=303)
    set_flash(response, "saved")
    return response


@router.get("/admin/units", response_class=HTMLResponse)
def units_page(
    request: Request, session: DbSession, user: Configurer, jurisdiction: str = ""
) -> HTMLResponse:
    return _page(request, session, user, jurisdiction)


@router.post("/admin/units", response_class=HTMLResponse)
def create_unit(
    request: Request, session: DbSession, user: Configurer, form: FormFields
) -> Response:
    """A new unit; on an error the form comes back with what was typed, messages per field."""
    data = {k: str(form.get(k, "")) for k in NEW_UNIT_FIELDS}
    place = data["jurisdiction_code"]  # the list beside the form shows that jurisdiction
    t = gettext_for(request_locale(request))
    try:
        unit = do_create_unit(session, UnitIn.model_validate(data), actor=user)
    except ValidationError as exc:
        errors = field_errors(exc, t, _first, "code")
        return _page(request, session, user, place, (data, errors), status=422)
    except Problem as exc:
        errors = problem_errors(exc, "code", {})
        return _page(request, session, user, place, (data, errors), status=exc.status)
    return _saved(unit.jurisdiction.code, f"#unit-{unit.code}")


@router.post("/admin/units/{unit_code}", response_class=HTMLResponse)
def update_unit(
    request: Request, session: DbSession, user: Configurer, unit_code: str, form: FormFields
) -> Response:
    place = str(form.get("back", ""))
    data = {"name": form.get("name") or None, "kind": form.get("kind") or None}
    try:
        do_update_unit(session, unit_code, UnitPatch.model_validate(data), actor=user)
    except ValidationError as exc:
        t = gettext_for(request_locale(request))
        message = field_errors(exc, t, _first, "name")
        text = "; ".join(message.values())
        return _page(request, session, user, place, row_error=(unit_code, text), status=422)
    return _saved(place, f"#unit-{unit_code}")


def _set_active(
    request: Request, session: DbSession, user: User, code: str, place: str, active: bool
) -> Response:
    try:
        do_set_unit_active(session, code, active, actor=user)
    except Problem as exc:
        if exc.status == 404:
            raise
        row_error = (code, exc.message)
        return _page(request, session, user, place, row_error=row_error, status=exc.status)
    return _saved(place, f"#unit-{code}")


@router.post("/admin/units/{unit_code}/deactivate", response_class=HTMLResponse)
def deactivate_unit(
    request: Request, session: DbSession, user: Configurer, unit_code: str, form: FormFields
) -> Response:
    """Refused (409, message on the page) while the unit holds open cases."""
    return _set_active(request, session, user, unit_code, str(form.get("back", "")), False)


@router.post("/admin/units/{unit_code}/reactivate", response_class=HTMLResponse)
def reactivate_unit(
    request: Request, session: DbSession, user: Configurer, unit_code: str, form: FormFields
) -> Response:
    return _set_active(request, session, user, unit_code, str(form.get("back", "")), True)
