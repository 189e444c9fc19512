"""JSON routes for the auditor: search the log, verify the chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from grassroots.audit.anchors import database_label, latest_anchor
from grassroots.audit.queries import search_audit
from grassroots.audit.schemas import AuditPage, AuditRow, AuditSearch, ChainStatus
from grassroots.audit.verify import verify_chain
from grassroots.deps import DbSession, requires

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("/entries", dependencies=[requires("audit.read")])
def list_entries(session: DbSession, q: Annotated[AuditSearch, Depends()]) -> AuditPage:
    """审计日志查询 / search the audit log (newest first)."""
    total, rows = search_audit(session, q)
    return AuditPage(
        total=total,
        page=q.page,
        page_size=q.page_size,
        rows=[AuditRow.model_validate(r) for r in rows],
    )


@router.get("/verify", dependencies=[requires("audit.read")])
def verify(
    request: Request, session: DbSession, anchor: str | None = None, anchor_file: bool = True
) -> ChainStatus:
    """校验哈希链 / walk the hash chain and report the first broken row; like `audit verify`,
    also against the latest anchor of the anchor file when there is one (`anchor_file=false`
    skips it)."""
    state = request.app.state
    path, label = state.settings.audit_anchor_path, database_label(state.engine)
    pinned = latest_anchor(path, label) if anchor_file else None
    report = verify_chain(session, anchor, pinned)
    return ChainStatus(
        intact=report.intact,
        rows=report.rows,
        head=report.head,
        broken_id=report.broken_id,
        reason=report.reason,
        message=report.message(),
    )
