"""The import page's writers: an upload kept encrypted until imported or expired, the sheet
and mapping chosen for it, a mapping saved under a name, and 导入 (the CLI's all-or-nothing
import, with the upload emptied inside its transaction). Each in one transaction with its
audit row (the file's SHA-256 in every one)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import utc
from grassroots.crypto import keyring
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem
from grassroots.ledgers.actions import Report, do_import_ledger
from grassroots.ledgers.models import LedgerMapping, LedgerUpload
from grassroots.ledgers.queries import access_ledger_import
from grassroots.ledgers.schemas import LedgerRefused
from grassroots.ledgers.sheets.mapping import Mapping, parse_mapping
from grassroots.ledgers.sheets.reading import UnreadableFile, kind_of, sheet_names
from grassroots.ledgers.web import progress
from grassroots.ledgers.web.queries import mapping_named, upload_bytes

KEPT_FOR = timedelta(hours=2)  # an upload not imported by then is emptied


def _unreadable(exc: UnreadableFile) -> Problem:
    return Problem(422, "unreadable_ledger", str(exc))


def _audit(
    session: Session, actor: User, action: str, upload: LedgerUpload, **more: object
) -> None:
    details = {"sha256": upload.file_sha256, **more}
    record_audit(session, actor=actor, action=action, object_type="ledger_upload",
                 object_id=upload.id, details=details)  # fmt: skip


def empty_expired_uploads(session: Session, now: datetime) -> int:
    """Empty the files of uploads past their time, imported or not (inside the caller's
    transaction); how many were emptied."""
    result = session.execute(
        update(LedgerUpload)
        .where(LedgerUpload.expires_at <= now, LedgerUpload.data_enc.is_not(None))
        .values(data_enc=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def do_upload_ledger(
    session: Session, data: bytes, filename: str, *, actor: User,
    scopes: Iterable[str] | None = None, mapping_toml: str = "", now: datetime | None = None,
) -> LedgerUpload:  # fmt: skip
    """Keep an uploaded ledger (encrypted) for its preview; uploads past their time (anyone's)
    are emptied in the same transaction."""
    access_ledger_import(actor, scopes)
    try:
        sheet_names(data, kind_of(filename))
    except UnreadableFile as exc:
        raise _unreadable(exc) from None
    moment = utc(now)
    sealed = keyring().encrypt("ledger.upload", base64.b64encode(data).decode("ascii"))
    upload = LedgerUpload(
        actor_id=actor.id, filename=filename[-200:], file_sha256=hashlib.sha256(data).hexdigest(),
        size=len(data), data_enc=sealed, sheet="", mapping_toml=mapping_toml,
        uploaded_at=moment, expires_at=moment + KEPT_FOR,
    )  # fmt: skip
    with transaction(session):
        empty_expired_uploads(session, moment)
        session.add(upload)
        session.flush()
        _audit(session, actor, "ledger.upload", upload, size=len(data))
    return upload


def do_choose(
    session: Session, upload: LedgerUpload, *, actor: User, sheet: str, mapping_toml: str
) -> None:
    """The sheet and the mapping (TOML) the preview and 导入 use."""
    try:
        parse_mapping(mapping_toml)
        names = sheet_names(upload_bytes(upload), kind_of(upload.filename))
    except UnreadableFile as exc:
        raise _unreadable(exc) from None
    if sheet and sheet not in names:
        raise Problem(422, "no_such_sheet", f"没有名为“{sheet}”的工作表 / no such sheet")
    with transaction(session):
        upload.sheet, upload.mapping_toml = sheet[:100], mapping_toml
        _audit(session, actor, "ledger.upload.choose", upload, sheet=sheet[:100])


def do_save_mapping(session: Session, *, actor: User, name: str, mapping_toml: str) -> None:
    """Save (or replace) a mapping under `name` for the actor's centre."""
    name = name.strip()
    if not 1 <= len(name) <= 60:
        raise Problem(422, "bad_mapping_name", "映射名称须为1至60个字 / name of 1-60 characters")
    try:
        parse_mapping(mapping_toml)
    except UnreadableFile as exc:
        raise _unreadable(exc) from None
    access_ledger_import(actor)
    assert actor.jurisdiction is not None
    with transaction(session):
        saved = mapping_named(session, actor, name)
        if saved is None:
            saved = LedgerMapping(jurisdiction_code=actor.jurisdiction.code, name=name,
                                  toml=mapping_toml, actor_id=actor.id)  # fmt: skip
            session.add(saved)
        saved.toml, saved.actor_id = mapping_toml, actor.id
        session.flush()
        record_audit(session, actor=actor, action="ledger.mapping.save",
                     object_type="ledger_mapping", object_id=saved.id,
                     details={"name": name})  # fmt: skip


def do_record_progress(session: Session, upload_id: int, state: str, done: int = 0,
                       total: int = 0) -> None:  # fmt: skip
    """The upload's import progress, in a short transaction of its own, for every process to
    read (during the import: on a session of its own, the import's transaction is open)."""
    values = {"progress_state": state, "progress_by": progress.this_process(),
              "progress_done": done, "progress_total": total, "progress_at": utcnow()}  # fmt: skip
    with transaction(session):
        session.execute(update(LedgerUpload).where(LedgerUpload.id == upload_id).values(**values))


def do_keep_preview(session: Session, upload: LedgerUpload, key: str, sealed: bytes) -> None:
    """Keep the preview made for `key` (file, sheet, mapping): the page shows it again without
    checking every row again (a cache of a dry run: no audit row of its own)."""
    with transaction(session):
        upload.preview_key, upload.preview_enc = key, sealed


@contextmanager
def _reporter(session: Session, upload_id: int) -> Iterator[Callable[[int, int], None]]:
    """Progress to memory, and to the database where a second writer may commit meanwhile
    (not SQLite: the import holds its one write lock)."""
    engine = session.get_bind().engine
    with Session(engine) as own:

        def report(done: int, total: int) -> None:
            progress.advanced(upload_id, done, total)
            if engine.dialect.name != "sqlite":
                do_record_progress(own, upload_id, "running", done, total)

        yield report


def do_import_upload(session: Session, upload: LedgerUpload, *, actor: User) -> Report:
    """导入: all or nothing (LedgerRefused: nothing written, the upload kept); once written,
    the upload's file is emptied and its outcome kept, in the import's own transaction.
    Its progress is stored as it goes; a failure leaves the state "failed"."""
    data = upload_bytes(upload)
    try:
        mapping = parse_mapping(upload.mapping_toml) if upload.mapping_toml else Mapping()
    except UnreadableFile as exc:
        raise _unreadable(exc) from None

    def done(report: Report) -> None:
        upload.data_enc = None
        upload.result = {
            "imported": len(report.imported), "duplicates": len(report.duplicates),
            "repeated": len(report.repeated), "notices": len(report.notices),
            "before": report.before.isoformat() if report.before else None,
            "sheet": report.sheet,
        }  # fmt: skip
        upload.progress_state = ""
        _audit(session, actor, "ledger.upload.import", upload, imported=len(report.imported))

    upload_id = upload.id
    do_record_progress(session, upload_id, "running")
    try:
        with _reporter(session, upload_id) as report:
            return do_import_ledger(
                session, data, upload.filename, actor=actor, sheet=upload.sheet or None,
                mapping=mapping, done=done, progress=report,
            )  # fmt: skip
    except (UnreadableFile, LedgerRefused, Problem) as exc:  # refused: nothing written
        do_record_progress(session, upload_id, "")
        if isinstance(exc, UnreadableFile):
            raise _unreadable(exc) from None
        raise
    except BaseException:
        do_record_progress(session, upload_id, "failed")
        raise
    finally:
        progress.ended(upload_id)
