"""Reads: stored reports and templates, each fetched only through its access_* function."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.errors import Problem
from grassroots.reports.models import ReportFile, ReportTemplate
from grassroots.scope import in_subtree, on_path_to_post, subtree_condition


def access_report(session: Session, user: User, report_id: int) -> ReportFile:
    """The stored report if it covers the user's subtree; 404 otherwise."""
    rf = session.get(ReportFile, report_id)
    if rf is None or not in_subtree(user, rf.jurisdiction_code):
        raise Problem(404, "report_not_found", "未找到该报告 / report not found")
    return rf


def access_template(session: Session, user: User, template_id: int) -> ReportTemplate:
    """A template uploaded in the user's subtree or above it (a county's serves its townships)."""
    t = session.get(ReportTemplate, template_id)
    if t is None or not (
        on_path_to_post(user, t.jurisdiction_code) or in_subtree(user, t.jurisdiction_code)
    ):
        raise Problem(404, "template_not_found", "未找到该模板 / template not found")
    return t


def list_reports(session: Session, user: User, limit: int = 100) -> list[ReportFile]:
    stmt = (
        select(ReportFile)
        .where(subtree_condition(user, ReportFile.jurisdiction_code))
        .order_by(ReportFile.created_at.desc(), ReportFile.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def list_templates(session: Session, user: User) -> list[ReportTemplate]:
    rows = session.scalars(select(ReportTemplate).order_by(ReportTemplate.id.desc()))
    out = []
    for t in rows:
        try:
            out.append(access_template(session, user, t.id))
        except Problem:
            continue
    return out


def report_path(folder: Path, rf: ReportFile) -> Path:
    return folder / rf.stored_name


def existing_report(
    session: Session, code: str, period: str, fmt: str, scheduled: bool
) -> ReportFile | None:
    stmt = select(ReportFile).where(
        ReportFile.jurisdiction_code == code,
        ReportFile.period == period,
        ReportFile.fmt == fmt,
        ReportFile.scheduled.is_(scheduled),
    )
    return session.scalars(stmt.limit(1)).first()
