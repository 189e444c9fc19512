"""HTML routes: the 报告 page (generate, download) and the HTML preview of a report."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.calendar.today import china_today
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.geo.queries import names_of
from grassroots.reports.actions import MAX_TEMPLATE_BYTES, do_generate_report, do_upload_template
from grassroots.reports.api import reports_folder
from grassroots.reports.content.context import chart_pngs, figures
from grassroots.reports.content.data import gather
from grassroots.reports.queries import access_template, list_reports, list_templates
from grassroots.reports.render import parse_formats
from grassroots.stats.periods import add_months, parse_period
from grassroots.stats.queries import access_jurisdiction, children_of
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)


def _last_month() -> str:
    first = add_months(china_today().replace(day=1), -1)
    return f"{first.year}-{first.month:02d}"


def _page(
    request: Request,
    session: Session,
    user: User,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    own = user.jurisdiction
    jurisdictions = [own, *children_of(session, own)] if own is not None else []
    reports = list_reports(session, user)
    context = {
        "jurisdictions": jurisdictions,
        "default_period": _last_month(),
        "templates": list_templates(session, user),
        "reports": reports,
        "jurisdiction_names": names_of(session, (r.jurisdiction_code for r in reports)),
        "values": (form or {}).get("values", {}),
        "errors": (form or {}).get("errors", {}),
    }
    return render(request, "reports.html", context, user=user, status_code=status_code)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(
    request: Request, session: DbSession, user: User = requires("report.read")
) -> HTMLResponse:
    """报告页：选择区划与期间，生成、预览、下载；上传自定义模板。"""
    return _page(request, session, user)


@router.post("/reports/templates", response_class=HTMLResponse)
def upload_template_from_form(
    request: Request,
    session: DbSession,
    file: UploadFile = File(...),
    name: str = Form(""),
    user: User = requires("report.write"),
) -> Response:
    """The page's upload form: the same action as the API; a refusal comes back beside the
    file field, naming the placeholder or expression."""
    content = file.file.read(MAX_TEMPLATE_BYTES + 1)
    try:
        do_upload_template(session, name or (file.filename or ""), content, actor=user)
    except Problem as exc:
        form = {"values": {"name": name}, "errors": {"file": exc.message}}
        return _page(request, session, user, form, status_code=exc.status)
    return RedirectResponse("/reports", status_code=303)


@router.get("/reports/preview", response_class=HTMLResponse)
def preview(
    request: Request,
    session: DbSession,
    jurisdiction: str = Query(...),
    period: str = Query(...),
    user: User = requires("report.read"),
) -> HTMLResponse:
    """报告的网页预览（与 Word 报告同一组数字）。"""
    j = access_jurisdiction(session, user, jurisdiction)
    data = gather(session, j, parse_period(period), china_today())
    charts = {k: base64.b64encode(v).decode() if v else "" for k, v in chart_pngs(data).items()}
    context = {"f": figures(data), "charts": charts}
    return render(request, "report_preview.html", context, user=user)


@router.post("/reports/generate")
def generate_from_form(
    request: Request,
    session: DbSession,
    jurisdiction: str = Form(...),
    period: str = Form(...),
    formats: list[str] = Form(["docx", "xlsx"]),
    template_id: Annotated[DbId | None, Form()] = None,
    user: User = requires("report.write"),
) -> RedirectResponse:
    j = access_jurisdiction(session, user, jurisdiction)
    template = access_template(session, user, template_id) if template_id else None
    do_generate_report(
        session,
        j,
        parse_period(period),
        parse_formats(formats),
        actor=user,
        folder=reports_folder(request),
        template=template,
    )
    return RedirectResponse("/reports", status_code=303)
