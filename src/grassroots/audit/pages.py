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
from grassroots.geo.queries import unit_names
from grassroots.i18n import N_
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
Auditor = Annotated[User, requires("audit.read")]
PAGE_SIZE = 50
# What an audit row is about, as the auditor reads it (the stored object_type stays the key).
OBJECT_LABELS = {
    "case": N_("Object: case"),
    "case_list": N_("Object: case list"),
    "party": N_("Object: party"),
    "user": N_("Object: account"),
    "api_token": N_("Object: API token"),
    "unit": N_("Object: unit"),
    "jurisdiction": N_("Object: jurisdictions"),
    "grid_post": N_("Object: grid post"),
    "report": N_("Object: report"),
    "report_template": N_("Object: report template"),
    "calendar_day": N_("Object: calendar day"),
    "calendar_year": N_("Object: calendar year"),
    "deadline_policy": N_("Object: deadline policy"),
    "key": N_("Object: encryption key"),
    "stats": N_("Object: statistics"),
    "route": N_("Object: page or API address"),
}


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
    units = unit_names(session, {r.object_id for r in rows if r.object_type == "unit"})
    context = {
        "rows": rows,
        "object_labels": OBJECT_LABELS,
        "object_names": units,
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
