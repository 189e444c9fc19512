"""Reads of the import page: the caller's own uploads, the centre's saved mappings, and the
preview of an upload as it would import (a dry run: nothing written)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.crypto import keyring
from grassroots.db import utcnow
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level
from grassroots.ledgers.actions import do_import_ledger
from grassroots.ledgers.export import mask_name
from grassroots.ledgers.models import LedgerMapping, LedgerUpload
from grassroots.ledgers.queries import access_ledger_import
from grassroots.ledgers.schemas import Entry, LedgerRefused
from grassroots.ledgers.sheets.headers import LABELS, find_header
from grassroots.ledgers.sheets.mapping import Mapping, mapping_toml, parse_mapping
from grassroots.ledgers.sheets.reading import UnreadableFile, kind_of, read_sheet, sheet_names
from grassroots.ledgers.web.kept import Preview, preview_from_json, preview_json
from grassroots.ledgers.words import OUTCOME_LABELS


def access_upload(
    session: Session, user: User, upload_id: int, scopes: Iterable[str] | None = None
) -> LedgerUpload:
    """The caller's own upload, still holding its file or its outcome; 403 for someone who
    may not import, 404 alike for another's upload and an absent one."""
    access_ledger_import(user, scopes)
    upload = session.get(LedgerUpload, upload_id)
    if upload is None or upload.actor_id != user.id:
        raise Problem(404, "upload_not_found", "未找到该上传文件 / no such upload")
    waiting = upload.result is None
    if waiting and (upload.data_enc is None or upload.expires_at <= utcnow()):
        raise Problem(404, "upload_expired", "上传的文件已过期删除，请重新上传 / upload expired")
    return upload


def upload_bytes(upload: LedgerUpload) -> bytes:
    assert upload.data_enc is not None
    return base64.b64decode(keyring().decrypt("ledger.upload", upload.data_enc))


def saved_mappings(session: Session, user: User) -> list[LedgerMapping]:
    """The mappings saved at the user's post (its centre's), by name."""
    code = user.jurisdiction.code if user.jurisdiction else ""
    query = select(LedgerMapping).where(LedgerMapping.jurisdiction_code == code)
    return list(session.scalars(query.order_by(LedgerMapping.name)))


def mapping_named(session: Session, user: User, name: str) -> LedgerMapping | None:
    return next((m for m in saved_mappings(session, user) if m.name == name), None)


def _shown(entries: list[Entry], names: dict[str, str]) -> list[dict[str, object]]:
    return [
        {
            "row": e.row,
            "accepted_on": e.accepted_on,
            "parties": "、".join(mask_name(p.name) for p in e.parties),
            "category": e.category_code,
            "village": names.get(e.located.place.codes.get(Level.village, ""), ""),
            "grid": e.located.place.grid_code or "",
            "outcome": OUTCOME_LABELS.get(e.outcome, e.outcome),
            "closed_on": e.closed_on,
        }
        for e in entries
    ]


def _village_names(session: Session, entries: list[Entry]) -> dict[str, str]:
    codes = {e.located.place.codes.get(Level.village, "") for e in entries}
    query = select(Jurisdiction.code, Jurisdiction.name).where(
        Jurisdiction.code.in_(codes), Jurisdiction.valid_to.is_(None)
    )
    return {code: name for code, name in session.execute(query)}


def _header(data: bytes, upload: LedgerUpload, mapping: Mapping, preview: Preview) -> None:
    table = read_sheet(data, kind_of(upload.filename), upload.sheet or mapping.sheet)
    preview.sheet = table.name
    at = mapping.header_row - 1 if mapping.header_row else None
    header = find_header(table.rows, mapping.columns, at)
    if header is None:
        return
    preview.header_row = header.index + 1
    preview.columns = [(header.names[i], LABELS[f]) for i, f in sorted(header.columns.items())]
    if not preview.mapping_text:
        preview.mapping_text = mapping_toml(header, table.name)


def preview_key(upload: LedgerUpload) -> str:
    """What a preview depends on: the file (its hash), the sheet and the mapping chosen."""
    chosen = f"{upload.file_sha256}\x00{upload.sheet}\x00{upload.mapping_toml}"
    return hashlib.sha256(chosen.encode()).hexdigest()


def stored_preview(upload: LedgerUpload) -> Preview | None:
    """The preview kept for the upload's file, sheet and mapping as they are now, if any."""
    if upload.preview_enc is None or upload.preview_key != preview_key(upload):
        return None
    return preview_from_json(keyring().decrypt("ledger.preview", upload.preview_enc))


def sealed_preview(preview: Preview) -> bytes:
    return keyring().encrypt("ledger.preview", preview_json(preview))


def preview_upload(
    session: Session, upload: LedgerUpload, user: User, now: datetime | None = None
) -> Preview:
    """The upload checked as `grassroots ledger import --dry-run` checks it."""
    data = upload_bytes(upload)
    preview = Preview(sheet_names(data, kind_of(upload.filename)), "", upload.mapping_toml)
    try:
        mapping = parse_mapping(upload.mapping_toml) if upload.mapping_toml else Mapping()
        _header(data, upload, mapping, preview)
        report = do_import_ledger(
            session, data, upload.filename, actor=user, sheet=preview.sheet or None,
            mapping=mapping, dry_run=True, now=now,
        )  # fmt: skip
    except UnreadableFile as exc:
        preview.unreadable = str(exc)
        return preview
    except LedgerRefused as refused:
        preview.errors = refused.errors
        return preview
    preview.report = report
    preview.rows = _shown(report.preview, _village_names(session, report.preview))
    return preview
