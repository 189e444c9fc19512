"""Walking the chain: `grassroots audit verify` and the auditor's verify route.

Streams the log in id order, a batch at a time (never the whole log in memory), and stops at
the first row that does not follow from the one before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from grassroots.audit.chain import HASHED_FIELDS, row_hash
from grassroots.audit.models import CHAIN_HEAD_ID, GENESIS_HASH, AuditChainHead, AuditEntry

BATCH = 1000


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    rows: int  # rows checked (all of them when intact)
    head: str  # hash of the last good row
    broken_id: int | None = None
    reason: str = ""

    def message(self) -> str:
        if self.intact:
            return f"intact, {self.rows} rows, head {self.head}"
        return f"broken at row {self.broken_id}: {self.reason}"


_COLUMNS = [getattr(AuditEntry, name) for name in (*HASHED_FIELDS, "prev_hash", "row_hash")]


def _rows(session: Session) -> Iterator[Row[Any]]:
    """Plain rows (not ORM objects, so the session's identity map does not grow)."""
    last = 0
    while True:
        batch = session.execute(
            select(*_COLUMNS).where(AuditEntry.id > last).order_by(AuditEntry.id).limit(BATCH)
        ).all()
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def _fault(entry: Row[Any], expected_id: int, prev_hash: str) -> str:
    if entry.id != expected_id:
        return f"expected row {expected_id} next, found row {entry.id} (rows missing)"
    if entry.prev_hash != prev_hash:
        return "prev_hash does not match the row before it (row deleted, moved or inserted)"
    fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
    if entry.row_hash != row_hash(prev_hash, fields):
        return "row_hash does not match the row's contents (row edited)"
    return ""


def verify_chain(session: Session, anchor: str | None = None) -> ChainReport:
    """Check every row links to the one before and hashes to its row_hash, that the chain ends
    at the recorded head, and (if given) that an externally kept head hash is in the chain."""
    prev_id, prev_hash, anchor_seen = 0, GENESIS_HASH, anchor is None
    for entry in _rows(session):
        fault = _fault(entry, prev_id + 1, prev_hash)
        if fault:
            return ChainReport(False, prev_id, prev_hash, entry.id, fault)
        prev_id, prev_hash = entry.id, entry.row_hash
        anchor_seen = anchor_seen or entry.row_hash == anchor
    head = session.get(AuditChainHead, CHAIN_HEAD_ID)
    if head is not None and (head.last_id, head.last_hash) != (prev_id, prev_hash):
        return ChainReport(
            False,
            prev_id,
            prev_hash,
            prev_id if head.last_id < prev_id else head.last_id,
            f"chain ends at row {prev_id} but the recorded head is row {head.last_id} "
            "(rows added or removed at the end)",
        )
    if not anchor_seen:
        return ChainReport(
            False, prev_id, prev_hash, None, f"anchored head {anchor} is not in the chain"
        )
    return ChainReport(True, prev_id, prev_hash)


def chain_head(session: Session) -> tuple[int, str]:
    """(last id, last hash) as recorded by the writers, for anchoring outside the database."""
    head = session.get(AuditChainHead, CHAIN_HEAD_ID)
    if head is None:
        return 0, GENESIS_HASH
    return head.last_id, head.last_hash
