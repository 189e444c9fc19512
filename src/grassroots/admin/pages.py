"""管理 pages: every read and write goes through the owning domain's queries and do_*.

Configuration (system_admin, config.write): categories, units, deadline policies, the
holiday calendar; geography (geo.write): boundary import. Users and roles: admin/users_pages.py.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.cases.actions_dictionary import DictionaryEntryIn, do_put_entry
from grassroots.cases.deadline_actions import do_set_calendar_day
from grassroots.cases.deadline_queries import calendar_status, list_policies, year_entries
from grassroots.cases.deadline_schemas import DayIn
from grassroots.cases.models import Category
from grassroots.cases.queries import categories
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.geo.actions import do_import_geojson
from grassroots.geo.queries import units
from grassroots.stats.queries import today_local
from grassroots.web.flash import set_flash
from grassroots.web.forms import form_fields
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
Configurer = Annotated[User, requires("config.write")]
GeoWriter = Annotated[User, requires("geo.write")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]
MAX_UPLOAD = 20 * 1024 * 1024


def _saved(url: str) -> Response:
    response = RedirectResponse(url, status_code=303)
    set_flash(response, "saved")
    return response


@router.get("/admin", response_class=HTMLResponse)
def admin_home(request: Request, session: DbSession, user: Configurer) -> HTMLResponse:
    today = today_local()
    context = {
        "categories": categories(session),
        "units": units(session, None, None),
        "policies": list_policies(session),
        "calendar": calendar_status(session, today),
        "days": year_entries(session, today.year),
        "year": today.year,
        "errors": {},
    }
    return render(request, "admin/home.html", context, user=user)


@router.post("/admin/categories/{code}")
def put_category(
    request: Request, session: DbSession, user: Configurer, code: str, form: FormFields
) -> Response:
    data = {"name": form.get("name", ""), "sort_order": form.get("sort_order") or 0}
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


@router.post("/admin/boundaries", response_class=HTMLResponse)
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
