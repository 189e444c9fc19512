"""Writes of the reports domain: generating and keeping reports, uploading templates."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.config import Settings
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction
from grassroots.reports.models import ReportFile, ReportTemplate
from grassroots.reports.office.word import check_template
from grassroots.reports.render import file_name, render
from grassroots.stats.periods import Period

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_TEMPLATE_NAME = 100  # report_template.name


def reports_dir(settings: Settings) -> Path:
    """Where generated reports are kept: <data_dir>/reports/<uuid>.<fmt>, each written once."""
    return Path(settings.data_dir) / "reports"


def _store(folder: Path, fmt: str, content: bytes) -> tuple[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}.{fmt}"
    (folder / stored).write_bytes(content)
    return stored, hashlib.sha256(content).hexdigest()


def do_generate_report(
    session: Session,
    j: Jurisdiction,
    period: Period,
    formats: list[str],
    *,
    actor: User | None,
    folder: Path,
    template: ReportTemplate | None = None,
    scheduled: bool = False,
    today: date | None = None,
) -> list[ReportFile]:
    """Render the report, keep each file under `folder`, record them (one transaction).

    Files are written before the commit: a failed commit can leave an unreferenced file
    behind (harmless; never a row without its file).
    """
    try:
        files = render(session, j, period, formats, template.content if template else None, today)
    except Problem as exc:
        if template is not None:
            record_template_refusal(session, actor, "report.generate", str(template.id), exc)
        raise
    with transaction(session):
        rows = []
        for fmt, content in files.items():
            stored, digest = _store(folder, fmt, content)
            rf = ReportFile(
                jurisdiction_code=j.code,
                period=period.label,
                fmt=fmt,
                file_name=file_name(j, period, fmt),
                stored_name=stored,
                size=len(content),
                sha256=digest,
                template_id=template.id if template else None,
                scheduled=scheduled,
                created_by_id=actor.id if actor else None,
            )
            session.add(rf)
            rows.append(rf)
        session.flush()
        record_audit(
            session,
            actor=actor,
            action="report.generate",
            object_type="report",
            object_id=",".join(str(r.id) for r in rows),
            details={
                "jurisdiction": j.code,
                "period": period.label,
                "formats": list(files),
                "scheduled": scheduled,
            },
        )
    return rows


def record_template_refusal(
    session: Session, actor: User | None, action: str, object_id: str, problem: Problem
) -> None:
    """A template refused as unsafe (not merely misspelt) is audited with result "denied":
    it may be an attempt to run code on the server. Nothing else is written."""
    if problem.code != "expression_not_allowed":
        return
    refused = [str(e["message"]) for e in problem.errors] or [problem.message]
    with transaction(session):
        record_audit(
            session,
            actor=actor,
            action=action,
            object_type="report_template",
            object_id=object_id,
            result="denied",
            details={"refused": refused[:20]},
        )


def do_upload_template(
    session: Session, name: str, content: bytes, *, actor: User
) -> ReportTemplate:
    """Keep a user's Word template. Refused (422, nothing kept) when it is not a .docx, or
    uses an unknown placeholder or anything outside the allow-list (named in the error;
    the unsafe kind is audited as denied)."""
    if len(content) > MAX_TEMPLATE_BYTES:
        raise Problem(413, "template_too_large", "模板文件过大（上限 10 MB）/ template too large")
    if len(name.strip()) > MAX_TEMPLATE_NAME:
        raise Problem(422, "name_too_long", "模板名称超过 100 字 / template name too long")
    if actor.jurisdiction is None:
        raise Problem(403, "forbidden", "无所属区划 / user has no jurisdiction")
    try:
        check_template(content)
    except Problem as exc:
        record_template_refusal(session, actor, "report.template.upload", "", exc)
        raise
    with transaction(session):
        t = ReportTemplate(
            name=name.strip() or "自定义模板",
            content=content,
            jurisdiction_code=actor.jurisdiction.code,
            uploaded_by_id=actor.id,
        )
        session.add(t)
        session.flush()
        record_audit(
            session,
            actor=actor,
            action="report.template.upload",
            object_type="report_template",
            object_id=t.id,
            details={"name": t.name},
        )
    return t
