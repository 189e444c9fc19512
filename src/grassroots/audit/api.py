"""JSON routes for the auditor: search the log, verify the chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

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
def verify(session: DbSession, anchor: str | None = None) -> ChainStatus:
    """校验哈希链 / walk the hash chain and report the first broken row."""
    report = verify_chain(session, anchor)
    return ChainStatus(
        intact=report.intact,
        rows=report.rows,
        head=report.head,
        broken_id=report.broken_id,
        reason=report.reason,
        message=report.message(),
    )
