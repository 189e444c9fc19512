"""Download of the 人民调解协议书 (Word, or PDF through LibreOffice) from the case page."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from grassroots.accounts.models import User
from grassroots.cases.agreements.actions import MEDIA_TYPES, do_export_agreement
from grassroots.deps import DbSession, Permissions, requires
from grassroots.office.pdf import docx_to_pdf

router = APIRouter(include_in_schema=False)
CaseReader = Annotated[User, requires("case.read")]


def attachment(code: str, fmt: str) -> str:
    """Content-Disposition with an ASCII fallback and the Chinese file name (RFC 6266)."""
    chinese = quote(f"人民调解协议书-{code}.{fmt}")
    return f"attachment; filename=\"agreement-{code}.{fmt}\"; filename*=UTF-8''{chinese}"


@router.post("/cases/{code}/agreement/document")
def agreement_document(
    request: Request,
    session: DbSession,
    user: CaseReader,
    permissions: Permissions,
    code: str,
    format: Annotated[Literal["docx", "pdf"], Form()] = "docx",
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The agreement as a file; audited. Names in full only for party.reveal (of the role
    and, for a bearer token, of its scopes) + a reason."""
    ip = request.client.host if request.client else ""
    docx = do_export_agreement(session, user, code, format, reason, ip, permissions=permissions)
    body = docx_to_pdf(docx) if format == "pdf" else docx
    headers = {"Content-Disposition": attachment(code, format), "Cache-Control": "no-store"}
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)
