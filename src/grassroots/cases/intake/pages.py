"""事件登记 page: the form with the map, the live locate fragment, the POST that registers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.calendar.today import local_date
from grassroots.cases.attachments.actions import do_attach, store_files
from grassroots.cases.attachments.uploads import FILE_PROBLEMS, UPLOAD_LIMIT, Files
from grassroots.cases.intake.actions import do_register, locate
from grassroots.cases.intake.api import thresholds
from grassroots.cases.intake.duplicates import Candidate, find_duplicates
from grassroots.cases.schemas import NewCase
from grassroots.db import utcnow
from grassroots.deps import DbSession, requires
from grassroots.dictionary.models import RESIDENT_SOURCE, ROUND_SOURCE
from grassroots.dictionary.queries import active_categories, active_sources, dictionary_names
from grassroots.errors import Problem
from grassroots.geo.locate import locate_point
from grassroots.geo.models import Level
from grassroots.i18n import N_, gettext_for, request_locale
from grassroots.ratelimit.limits import client_ip
from grassroots.web.flash import set_flash
from grassroots.web.forms import blank_to_none, field_errors, form_fields, problem_errors
from grassroots.web.templating import register_globals, render

router = APIRouter(include_in_schema=False)
DUPLICATE_REASONS = {
    "same_party": N_("same party"), "same_grid": N_("same grid"), "nearby": N_("nearby"),
    "similar_text": N_("similar text"),
}  # fmt: skip
register_globals(duplicate_reasons=DUPLICATE_REASONS)
Registrar = Annotated[User, requires("case.register")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]

PARTY_ROLES = ("applicant", "respondent", "third_party")
EMPTY_PARTIES: list[dict[str, str]] = [
    {"role": "applicant", "name": "", "phone": "", "id_number": ""},
    {"role": "respondent", "name": "", "phone": "", "id_number": ""},
]


def form_context(
    session: DbSession, values: dict[str, Any], errors: dict[str, str], locale: str = "zh_CN"
) -> dict[str, Any]:
    return {
        "category_options": list(dictionary_names(active_categories(session), locale).items()),
        "source_options": [
            (code, name)
            for code, name in dictionary_names(active_sources(session), locale).items()
            if code not in (ROUND_SOURCE, RESIDENT_SOURCE)  # set by a round, by a resident
        ],
        "values": values,
        "parties": values.get("parties") or EMPTY_PARTIES,
        "party_roles": PARTY_ROLES,
        "errors": errors,
    }


@router.get("/cases/new", response_class=HTMLResponse)
def new_case_form(request: Request, session: DbSession, user: Registrar) -> HTMLResponse:
    values = {"kind": "dispute", "source_code": "grid_patrol", "people_involved": "2"}
    context = form_context(session, values, {}, request_locale(request))
    return render(request, "cases/new.html", context, user=user)


@router.get("/cases/new/locate", response_class=HTMLResponse)
def locate_fragment(
    request: Request,
    session: DbSession,
    user: Registrar,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lng: Annotated[float | None, Query(ge=-180, le=180)] = None,
) -> HTMLResponse:
    """htmx: the grid and village a point falls in, shown live under the map."""
    located = locate_point(session, lat, lng) if lat is not None and lng is not None else None
    context = {"located": located, "asked": lat is not None and lng is not None}
    return render(request, "cases/_located.html", context, user=user)


NEW_CASE_FIELDS = (
    "kind", "category_code", "source_code", "title", "description", "lat", "lng",
    "address", "people_involved", "amount_involved", "violence_risk", "note",
)  # fmt: skip
OPTIONAL = ("lat", "lng", "amount_involved")
# Where a registration Problem about the place is shown: under the coordinates.
PLACE_FIELDS = {"grid_code": "lat", "": "lat"}


def parties_from(form: dict[str, Any]) -> list[dict[str, str]]:
    """party-N-role/name/phone/id_number rows; rows left entirely empty are dropped."""
    rows: dict[int, dict[str, str]] = {}
    for key, value in form.items():
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "party" and parts[1].isdigit():
            rows.setdefault(int(parts[1]), {})[parts[2]] = str(value).strip()
    return [rows[i] for i in sorted(rows)]


def new_case_input(form: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    data = {k: form.get(k, "") for k in NEW_CASE_FIELDS if k in form or k == "violence_risk"}
    data["violence_risk"] = bool(form.get("violence_risk"))
    parties = parties_from(form)
    data["parties"] = [
        {k: (v or None) if k in ("phone", "id_number") else v for k, v in p.items()}
        for p in parties
        if p.get("name") or p.get("phone") or p.get("id_number")
    ]
    return blank_to_none(data, OPTIONAL), parties


def _party_field(loc: tuple[Any, ...]) -> str:
    if loc[0] == "parties" and len(loc) >= 3:
        return f"party-{loc[1]}-{loc[2]}"
    return str(loc[0])


@router.post("/cases/new", response_class=HTMLResponse, openapi_extra=UPLOAD_LIMIT)
def register_case(
    request: Request, session: DbSession, user: Registrar, form: FormFields, files: Files
) -> Response:
    """Validates with the API's NewCase, registers with do_register, attaches the photos and
    documents (checked and stored first: a refused file registers nothing); on any error
    the form comes back with every value kept and each message under its field."""
    data, parties = new_case_input(form)
    t = gettext_for(request_locale(request))
    errors: dict[str, str] = {}
    try:
        new = NewCase.model_validate(data)
        if not form.get("duplicates_checked") and (
            found := _duplicates(request, session, user, new)
        ):
            return _form_again(
                request, session, user, {**form, "parties": parties or EMPTY_PARTIES}, found
            )
        stored = store_files(files.files, files.keep_location, request.app.state.settings)
        case = do_register(session, new, actor=user)
        for one in stored:
            do_attach(session, case, one, actor=user, ip=client_ip(request))
    except ValidationError as exc:
        errors = field_errors(exc, t, _party_field, "lat")
        if data.get("lat") is None or data.get("lng") is None:  # the model checks it last
            errors.setdefault("lat", t(N_("Place the case on the map or type its coordinates.")))
    except Problem as exc:
        errors = problem_errors(exc, "attachments" if exc.code in FILE_PROBLEMS else "lat",
                                PLACE_FIELDS)  # fmt: skip
    if errors:
        values = {**form, "parties": parties or EMPTY_PARTIES}
        context = form_context(session, values, errors, request_locale(request))
        context["located"] = None
        return render(request, "cases/new.html", context, user=user, status_code=422)
    response = RedirectResponse(f"/cases/{case.code}", status_code=303)
    set_flash(response, "case_registered", case.code)
    return response


def _duplicates(request: Request, session: DbSession, user: User, data: NewCase) -> list[Candidate]:
    """查重 before saving (the same rule as POST /api/v1/cases/duplicates)."""
    now = utcnow()
    place = locate(session, data, local_date(now))
    settings = request.app.state.settings
    village = place.codes.get(Level.village)
    return find_duplicates(session, user, data, place.grid_code, village, now, thresholds(settings))


def _form_again(
    request: Request, session: DbSession, user: User, values: dict[str, Any], found: list[Candidate]
) -> Response:
    """The form with its values and the likely duplicates; sending it again registers."""
    context = form_context(session, values, {}, request_locale(request))
    context |= {"located": None, "duplicates": found}
    return render(request, "cases/new.html", context, user=user)


@router.post("/cases/new/duplicates", response_class=HTMLResponse)
def duplicates_fragment(
    request: Request, session: DbSession, user: Registrar, form: FormFields
) -> Response:
    """查重 from the page before it is sent with its photos (photos.js): the warning, or
    nothing (no duplicates, or a form the full submit will answer with its errors). The
    photos stay chosen on the phone: nothing is sent twice, nothing is lost."""
    data, _parties = new_case_input(form)
    try:
        found = _duplicates(request, session, user, NewCase.model_validate(data))
    except (ValidationError, Problem):
        found = []
    if not found:
        return Response(status_code=204)
    return render(request, "cases/_duplicates.html", {"duplicates": found}, user=user)
