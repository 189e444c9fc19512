"""审计 pages (auditor only, audit.read): search the audit log, verify the hash chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse

from grassroots.accounts.models import User
from grassroots.audit.queries import search_audit
from grassroots.audit.schemas import AuditSearch
from grassroots.audit.verify import verify_chain
from grassroots.deps import DbSession, requires
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
Auditor = Annotated[User, requires("audit.read")]
PAGE_SIZE = 50


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: DbSession,
    user: Auditor,
    actor: Annotated[str, Query(max_length=64)] = "",
    action: Annotated[str, Query(max_length=64)] = "",
    object_id: Annotated[str, Query(max_length=64)] = "",
    result: Annotated[str, Query(pattern="^(ok|denied|failed)?$")] = "",
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
) -> HTMLResponse:
    search = AuditSearch(
        actor=actor or None,
        action=action or None,
        object_id=object_id or None,
        result=result or None,
        page=page,
        page_size=PAGE_SIZE,
    )
    total, rows = search_audit(session, search)
    context = {
        "rows": rows,
        "total": total,
        "search": search,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
    }
    return render(request, "audit/search.html", context, user=user)


@router.get("/audit/verify", response_class=HTMLResponse)
def audit_verify(request: Request, session: DbSession, user: Auditor) -> HTMLResponse:
    """htmx: walk the whole chain and say whether it is intact or where it breaks."""
    report = verify_chain(session)
    return render(request, "audit/_verify.html", {"report": report}, user=user)
