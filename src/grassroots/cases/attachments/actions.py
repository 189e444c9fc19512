"""Writes of attachments: attach a file to a case (or one of its timeline entries), record
a download. Each in one transaction with its audit row. There is no delete: files go only
by retention rules (none are defined yet; docs/cases.md)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases.attachments.files import Prepared, prepare
from grassroots.cases.attachments.models import Attachment
from grassroots.cases.attachments.store import attachments_dir, check_size, keep, scan
from grassroots.cases.attachments.uploads import MAX_FILES
from grassroots.cases.models import Case, CaseEvent
from grassroots.config import Settings
from grassroots.db import transaction
from grassroots.errors import Problem

Stored = tuple[Prepared, str]  # the kept form of a file and its SHA-256


def store_file(content: bytes, keep_location: bool, settings: Settings) -> Stored:
    """Check, clean, scan and write one upload to disk (before any row names it); the kept
    form and its SHA-256. Refusals are Problems with a Chinese message; nothing is kept."""
    check_size(len(content), settings)
    prepared = prepare(content, keep_location)
    scan(prepared.content, settings)
    return prepared, keep(prepared, attachments_dir(settings))


def store_files(files: list[bytes], keep_location: bool, settings: Settings) -> list[Stored]:
    """store_file for each of at most MAX_FILES files."""
    if len(files) > MAX_FILES:
        raise Problem(422, "too_many_files", f"一次最多上传 {MAX_FILES} 个文件 / too many files")
    return [store_file(f, keep_location, settings) for f in files]


def _event_of(session: Session, case: Case, event_id: int | None) -> CaseEvent | None:
    if event_id is None:
        return None
    event = session.get(CaseEvent, event_id)
    if event is None or event.case_id != case.id:
        raise Problem(422, "unknown_event", "该时间线记录不属于本案 / no such timeline entry")
    return event


def do_attach(
    session: Session, case: Case, stored: Stored, *, actor: User,
    event_id: int | None = None, ip: str = "",
) -> Attachment:  # fmt: skip
    """The row of a stored file on the case; the same file twice on one case is one row."""
    prepared, sha = stored
    with transaction(session):
        event = _event_of(session, case, event_id)
        found = session.scalar(
            select(Attachment).where(Attachment.case_id == case.id, Attachment.sha256 == sha)
        )
        if found is not None:
            return found
        row = Attachment(
            case_id=case.id, event_id=event.id if event else None, sha256=sha,
            size=len(prepared.content), kind=prepared.kind,
            has_thumbnail=prepared.thumbnail is not None, kept_location=prepared.kept_location,
            uploaded_by_id=actor.id,
        )  # fmt: skip
        session.add(row)
        session.flush()
        record_audit(
            session, actor=actor, action="attachment.upload", object_type="case",
            object_id=case.code, ip=ip,
            details={"attachment": row.id, "sha256": sha, "kind": row.kind, "size": row.size,
                     "kept_location": row.kept_location},
        )  # fmt: skip
    return row


def do_record_download(
    session: Session, code: str, attachment: Attachment, *, actor: User, thumbnail: bool, ip: str
) -> None:
    """Every download of a file (not of its thumbnail) is audited."""
    if thumbnail:
        return
    with transaction(session):
        record_audit(
            session, actor=actor, action="attachment.download", object_type="case",
            object_id=code, ip=ip, details={"attachment": attachment.id},
        )  # fmt: skip


def do_attach_files(
    session: Session, case: Case, files: list[bytes], *, keep_location: bool,
    event_id: int | None, settings: Settings, actor: User, ip: str = "",
) -> list[Attachment]:  # fmt: skip
    """Store every file first (one refused: no row for any of them), then one row each."""
    stored = store_files(files, keep_location, settings)
    return [do_attach(session, case, s, actor=actor, event_id=event_id, ip=ip) for s in stored]
