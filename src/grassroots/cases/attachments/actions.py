"""Writes of attachments: attach a file to a case (or one of its timeline entries), record
a download, expire the files of cases closed longer ago than the retention period. Each in
one transaction with its audit row. There is no other delete: files go only by the retention
rule (GRASSROOTS_ATTACHMENT_RETENTION_YEARS; docs/cases.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases.attachments.files import Prepared, prepare
from grassroots.cases.attachments.models import Attachment
from grassroots.cases.attachments.queries import attachments_of_cases_closed_before, referenced
from grassroots.cases.attachments.store import (
    THUMB_SUFFIX,
    Unreadable,
    attachments_dir,
    check_size,
    digest,
    file_ring,
    head_of,
    keep,
    kept_files,
    key_version,
    open_data,
    replace,
    scan,
    seal,
)
from grassroots.cases.attachments.uploads import MAX_FILES
from grassroots.cases.models import Case, CaseEvent
from grassroots.config import Settings
from grassroots.crypto import Keyring
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
    with transaction(session):
        return add_attachment(session, case, stored, actor=actor, event_id=event_id, ip=ip)


def add_attachment(
    session: Session, case: Case, stored: Stored, *, actor: User,
    event_id: int | None = None, ip: str = "",
) -> Attachment:  # fmt: skip
    """do_attach's work inside the caller's transaction (a message that carries files)."""
    prepared, sha = stored
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


def do_expire_attachments(session: Session, closed_before: datetime, years: int) -> list[str]:
    """Delete the rows of the files of cases closed before `closed_before`, one audit row per
    case (who: the system; the rule in the details). Returns the SHA-256 of the files that no
    row names any more: the caller removes them from disk after the commit."""
    with transaction(session):
        found = attachments_of_cases_closed_before(session, closed_before)
        for code, rows in groupby(found, key=lambda pair: pair[0]):
            files = [a for _, a in rows]
            record_audit(
                session, actor=None, action="attachment.expire", object_type="case",
                object_id=code,
                details={"attachments": [a.id for a in files], "sha256": [a.sha256 for a in files],
                         "rule": f"closed more than {years} years ago"},
            )  # fmt: skip
            for a in files:
                session.delete(a)
        session.flush()
        shas = {a.sha256 for _, a in found}
        return sorted(shas - referenced(session, shas))


@dataclass
class Sealing:
    """What `do_seal_files` found: plain files sealed, files under an old key sealed again,
    files already under the current key, and the names of those that do not open."""

    sealed: int = 0
    resealed: int = 0
    current: int = 0
    unreadable: list[str] = field(default_factory=list)


def _seal_one(path: Path, ring: Keyring, found: Sealing, dry_run: bool) -> None:
    if key_version(head_of(path)) == ring.version:  # the header says enough: not read whole
        found.current += 1
        return
    data = path.read_bytes()
    version = key_version(data)
    try:
        clear = open_data(path.name, data, ring)
    except Unreadable:
        found.unreadable.append(path.name)
        return
    blob = not path.name.endswith(THUMB_SUFFIX)
    if version is None and blob and digest(clear) != path.name:
        found.unreadable.append(path.name)  # a plain blob that is not its name: not vouched for
        return
    if version is None:
        found.sealed += 1
    else:
        found.resealed += 1
    if not dry_run:
        stat = path.stat()
        replace(path, seal(path, clear, ring), (stat.st_atime, stat.st_mtime))


def do_seal_files(
    session: Session, root: Path, *, dry_run: bool = False, actor: User | None = None
) -> Sealing:
    """Seal every plain kept file, and every file under an old key version, under the current
    key (each replaced atomically, keeping its time); idempotent. One audit row with the
    counts when anything changed. The files hold no rows: a stopped run is simply run again."""
    ring, found = file_ring(), Sealing()
    for path in kept_files(root):
        _seal_one(path, ring, found, dry_run)
    if not dry_run and (found.sealed or found.resealed):
        with transaction(session):
            record_audit(
                session, actor=actor, action="attachments.seal", object_type="attachments",
                object_id=ring.version,
                details={"sealed": found.sealed, "resealed": found.resealed,
                         "unreadable": len(found.unreadable)},
            )  # fmt: skip
    return found
