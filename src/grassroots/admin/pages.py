"""管理 pages: every read and write goes through the owning domain's queries and do_*.

Configuration (system_admin, config.write): categories, deadline policies, one calendar day;
units: admin/units_pages.py; a whole year's calendar: calendar/pages.py; geography
(geo.write): boundary import. Users and roles: admin/users_pages.py.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.admin.units_pages import router as units_router
from grassroots.bounds import DbId
from grassroots.calendar.actions import do_set_calendar_day
from grassroots.calendar.queries import calendar_status, year_entries
from grassroots.calendar.schemas import DayIn
from grassroots.calendar.today import china_today
from grassroots.cases.deadlines.actions import do_delete_policy, do_set_policy
from grassroots.cases.deadlines.policies import CASE_LEVELS
from grassroots.cases.deadlines.queries import list_policies
from grassroots.cases.deadlines.schemas import PolicyIn
from grassroots.deps import DbSession, requires
from grassroots.dictionary.actions import do_put_entry
from grassroots.dictionary.models import Category
from grassroots.dictionary.queries import categories, dictionary_names, sources
from grassroots.dictionary.schemas import DictionaryEntryIn
from grassroots.errors import Problem
from grassroots.geo.actions import do_import_geojson
from grassroots.geo.labels import level_label
from grassroots.geo.queries import units
from grassroots.i18n import gettext_for, request_locale
from grassroots.web.flash import set_flash
from grassroots.web.forms import field_errors, form_fields, problem_errors
from grassroots.web.limits import GEOJSON_LIMIT, body_limit
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
Configurer = Annotated[User, requires("config.write")]
GeoWriter = Annotated[User, requires("geo.write")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]
MAX_UPLOAD = GEOJSON_LIMIT
POLICY_FIELDS = (
    "source_code", "category_code", "level", "accept_days", "resolve_days", "follow_up_days",
    "basis",
)  # fmt: skip


def _saved(url: str) -> Response:
    response = RedirectResponse(url, status_code=303)
    set_flash(response, "saved")
    return response


def _home(
    request: Request,
    session: DbSession,
    user: User,
    policy_values: dict[str, Any] | None = None,
    policy_errors: dict[str, str] | None = None,
) -> HTMLResponse:
    today = china_today()
    locale = request_locale(request)
    t = gettext_for(locale)
    category_names = dictionary_names(categories(session), locale)
    source_names = dictionary_names(sources(session), locale)
    context = {
        "categories": categories(session),
        "units": units(session, None, None),
        "policies": list_policies(session),
        "category_options": list(category_names.items()),
        "source_options": list(source_names.items()),
        "category_names": category_names,
        "source_names": source_names,
        "level_options": [(v, t(level_label(v))) for v in CASE_LEVELS],
        "calendar": calendar_status(session, today),
        "days": year_entries(session, today.year),
        "year": today.year,
        "errors": {},
        "policy_values": policy_values or {"level": "village", "resolve_days": "22"},
        "policy_errors": policy_errors or {},
    }
    status = 422 if policy_errors else 200
    return render(request, "admin/home.html", context, user=user, status_code=status)


@router.get("/admin", response_class=HTMLResponse)
def admin_home(request: Request, session: DbSession, user: Configurer) -> HTMLResponse:
    return _home(request, session, user)


@router.post("/admin/policies", response_class=HTMLResponse)
def set_policy(
    request: Request, session: DbSession, user: Configurer, form: FormFields
) -> Response:
    """Create or replace the policy of (category, level, violence_risk) with do_set_policy;
    on an error the form comes back with what was typed and the message under its field."""
    data = {k: form.get(k, "") for k in POLICY_FIELDS}
    for flag in ("violence_risk", "auto_escalate"):
        data[flag] = bool(form.get(flag))
    t = gettext_for(request_locale(request))
    try:
        do_set_policy(session, PolicyIn.model_validate(data), actor=user)
    except ValidationError as exc:
        return _home(request, session, user, form, field_errors(exc, t, _first, "level"))
    except Problem as exc:
        return _home(request, session, user, form, problem_errors(exc, "level", {}))
    return _saved("/admin#policies")


@router.post("/admin/policies/{policy_id}/delete")
def delete_policy(session: DbSession, user: Configurer, policy_id: DbId) -> Response:
    """A category's own row; a level's default can be changed, not deleted (409)."""
    do_delete_policy(session, policy_id, actor=user)
    return _saved("/admin#policies")


def _first(loc: tuple[Any, ...]) -> str:
    return str(loc[0])


@router.post("/admin/categories/{code}")
def put_category(
    request: Request, session: DbSession, user: Configurer, code: str, form: FormFields
) -> Response:
    data = {"name": form.get("name", ""), "sort_order": form.get("sort_order") or 0}
    data["name_en"] = form.get("name_en")
    data["active"] = bool(form.get("active"))
    try:
        do_put_entry(session, Category, code, DictionaryEntryIn.model_validate(data), actor=user)
    except ValidationError as exc:
        message = f"输入有误 / invalid input: {exc.errors()[0]['msg']}"
        raise Problem(422, "validation_failed", message) from exc
    return _saved("/admin#categories")


@router.post("/admin/calendar/day")
def set_calendar_day(
    session: DbSession,
    user: Configurer,
    day: Annotated[date, Form()],
    is_working: Annotated[str, Form(pattern="^(0|1)$")],
    name: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    entry = DayIn(day=day, is_working=is_working == "1", name=name)
    do_set_calendar_day(session, entry, actor=user)
    return _saved("/admin#calendar")


@router.get("/admin/boundaries", response_class=HTMLResponse)
def boundaries_page(request: Request, user: GeoWriter) -> HTMLResponse:
    return render(request, "admin/boundaries.html", {"result": None, "problem": None}, user=user)


@router.post("/admin/boundaries", response_class=HTMLResponse, openapi_extra=body_limit(MAX_UPLOAD))
def boundaries_import(
    request: Request, session: DbSession, user: GeoWriter, file: Annotated[UploadFile, File()]
) -> HTMLResponse:
    """All or nothing (geo's do_import_geojson); every error shown per feature."""
    context: dict[str, Any] = {"result": None, "problem": None}
    raw = file.file.read(MAX_UPLOAD + 1)
    try:
        if len(raw) > MAX_UPLOAD:
            raise Problem(413, "too_large", "文件超过 20 MB / file larger than 20 MB")
        data = json.loads(raw.decode("utf-8-sig"))
        context["result"] = do_import_geojson(session, data, user).as_dict()
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        context["problem"] = Problem(422, "not_json", f"不是有效的 JSON 文件 / not JSON: {exc}")
    except Problem as exc:
        context["problem"] = exc
    status = 200 if context["problem"] is None else 422
    return render(request, "admin/boundaries.html", context, user=user, status_code=status)


# After this module's routes: POST /admin/calendar/day must match before /admin/calendar/{year}.
router.include_router(units_router)
