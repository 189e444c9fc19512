"""Reads of attachments. access_attachment is the one way to reach a file: exactly as
visible as its case (cases.queries.access_case), and 404 for a row of another case."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.attachments.models import Attachment
from grassroots.cases.attachments.store import head_of, kept_files, key_version
from grassroots.cases.models import Case
from grassroots.cases.queries import access_case
from grassroots.errors import Problem


def access_attachment(session: Session, user: User, code: str, attachment_id: int) -> Attachment:
    """The attachment `attachment_id` of case `code` if `user` may see the case; 404 as for a
    missing one otherwise (the refusal of an existing case is audited by access_case)."""
    case = access_case(session, user, code)
    found = session.scalar(
        select(Attachment).where(Attachment.id == attachment_id, Attachment.case_id == case.id)
    )
    if found is None:
        raise Problem(404, "not_found", "附件不存在 / attachment not found")
    return found


def case_attachments(session: Session, case: Case) -> list[Attachment]:
    return list(
        session.scalars(
            select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)
        )
    )


def download_name(code: str, attachment: Attachment) -> str:
    ext = "jpg" if attachment.kind == "jpeg" else attachment.kind
    return f"{code}-附件{attachment.id}.{ext}"


def attachments_of_cases_closed_before(
    session: Session, closed_before: datetime
) -> list[tuple[str, Attachment]]:
    """(case code, attachment) for every file of a case closed before `closed_before` (a
    reopened case has no closed_at, so it keeps its files)."""
    rows = session.execute(
        select(Case.code, Attachment)
        .join(Case, Case.id == Attachment.case_id)
        .where(Case.closed_at.is_not(None), Case.closed_at < closed_before)
        .order_by(Case.id, Attachment.id)
    )
    return [(code, attachment) for code, attachment in rows.all()]


def referenced(session: Session, shas: Iterable[str]) -> set[str]:
    """Those of `shas` that some attachment row still names."""
    wanted, found = list(shas), set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found |= set(session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(chunk))))
    return found


def file_key_versions(root: Path) -> dict[int | None, int]:
    """How many kept files (blobs and thumbnails) each key version seals; None: plain files
    kept before sealing. An old version may be retired only once no file names it."""
    return dict(Counter(key_version(head_of(path)) for path in kept_files(root)))
