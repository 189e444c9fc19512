"""JSON routes: /api/v1/reports/... (report.read to list and download, report.write to
generate and upload templates)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import FileResponse

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires
from grassroots.reports.actions import (
    MAX_TEMPLATE_BYTES,
    do_generate_report,
    do_upload_template,
    reports_dir,
)
from grassroots.reports.content.context import PLACEHOLDERS
from grassroots.reports.models import ReportFile, ReportTemplate
from grassroots.reports.office.word import DEFAULT_TEMPLATE
from grassroots.reports.queries import (
    access_report,
    access_template,
    list_reports,
    list_templates,
    report_path,
)
from grassroots.reports.render import MEDIA_TYPES, parse_formats
from grassroots.reports.schemas import GenerateIn, PlaceholderOut, ReportFileOut, TemplateOut
from grassroots.stats.periods import parse_period
from grassroots.stats.queries import access_jurisdiction
from grassroots.web.limits import body_limit

router = APIRouter(prefix="/reports", tags=["reports"])
Reader = requires("report.read")
Writer = requires("report.write")


def reports_folder(request: Request) -> Path:
    return reports_dir(request.app.state.settings)


def file_out(rf: ReportFile) -> ReportFileOut:
    return ReportFileOut(
        id=rf.id,
        jurisdiction_code=rf.jurisdiction_code,
        period=rf.period,
        fmt=rf.fmt,
        file_name=rf.file_name,
        size=rf.size,
        sha256=rf.sha256,
        scheduled=rf.scheduled,
        created_at=rf.created_at,
        download_url=f"/api/v1/reports/{rf.id}/download",
    )


def template_out(t: ReportTemplate) -> TemplateOut:
    return TemplateOut(
        id=t.id, name=t.name, jurisdiction_code=t.jurisdiction_code, created_at=t.created_at
    )


def file_responses(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI answer of a file download: the file in one of these types."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": "the file", "content": dict.fromkeys(media_types, binary)}}


@router.post("", status_code=201)
def generate(
    body: GenerateIn, request: Request, session: DbSession, user: User = Writer
) -> list[ReportFileOut]:
    """生成报告（Word/Excel/PDF）并保存 / generate and keep a report."""
    j = access_jurisdiction(session, user, body.jurisdiction)
    period, formats = parse_period(body.period), parse_formats(body.formats)
    template = access_template(session, user, body.template_id) if body.template_id else None
    rows = do_generate_report(
        session, j, period, formats, actor=user, folder=reports_folder(request), template=template
    )
    return [file_out(r) for r in rows]


@router.get("")
def index(session: DbSession, user: User = Reader) -> list[ReportFileOut]:
    """已生成的报告（本辖区）/ stored reports in the user's subtree."""
    return [file_out(r) for r in list_reports(session, user)]


@router.get("/placeholders", dependencies=[requires("report.read")])
def placeholders() -> list[PlaceholderOut]:
    """模板可用占位符 / placeholders a Word template may use."""
    return [PlaceholderOut(name=k, description=d, example=e) for k, (d, e) in PLACEHOLDERS.items()]


@router.get(
    "/default-template",
    dependencies=[requires("report.read")],
    response_class=Response,
    responses=file_responses(MEDIA_TYPES["docx"]),
)
def default_template() -> FileResponse:
    """下载默认 Word 模板（可在 Word 中修改后上传）/ the default template, to edit in Word."""
    return FileResponse(
        DEFAULT_TEMPLATE,
        media_type=MEDIA_TYPES["docx"],
        filename="矛盾纠纷排查化解工作情况报告模板.docx",
    )


@router.get("/templates")
def templates(session: DbSession, user: User = Reader) -> list[TemplateOut]:
    return [template_out(t) for t in list_templates(session, user)]


@router.post("/templates", status_code=201, openapi_extra=body_limit(MAX_TEMPLATE_BYTES))
def upload_template(
    session: DbSession, file: UploadFile = File(...), name: str = Form(""), user: User = Writer
) -> TemplateOut:
    """上传自定义 Word 模板；含未知占位符时报错并指出名称 / upload a Word template."""
    content = file.file.read()
    return template_out(
        do_upload_template(session, name or (file.filename or ""), content, actor=user)
    )


@router.get(
    "/{report_id}/download",
    response_class=Response,
    responses=file_responses(*MEDIA_TYPES.values()),
)
def download(
    report_id: DbId, request: Request, session: DbSession, user: User = Reader
) -> FileResponse:
    rf = access_report(session, user, report_id)
    return FileResponse(
        report_path(reports_folder(request), rf),
        media_type=MEDIA_TYPES[rf.fmt],
        filename=rf.file_name,
    )
