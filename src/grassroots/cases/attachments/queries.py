"""Reads of attachments. access_attachment is the one way to reach a file: exactly as
visible as its case (cases.queries.access_case), and 404 for a row of another case."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.attachments.models import Attachment
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
