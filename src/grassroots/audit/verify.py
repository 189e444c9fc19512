"""Walking the chain: `grassroots audit verify`, the anchor job and the auditor's verify route.

Streams the log in id order, a batch at a time (never the whole log in memory), and stops at
the first row that does not follow from the one before it. Then the ends: the head row must
exist and the chain must end exactly at it, and, given an anchor kept outside the database
(audit.anchors), the anchored row must still be there with the anchored hash. Without an
anchor, deleting the tail together with a matching head cannot be told from a shorter log.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from grassroots.audit.anchors import Anchor
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
        where = f"row {self.broken_id}" if self.broken_id is not None else "its end"
        return f"broken at {where}: {self.reason}"


@dataclass
class _Walk:
    last_id: int
    last_hash: str
    watched: dict[int, str] = field(default_factory=dict)  # row id -> its hash
    anchor_seen: bool = False
    broken: ChainReport | None = None

    def fail(self, broken_id: int | None, reason: str) -> ChainReport:
        return ChainReport(False, self.last_id, self.last_hash, broken_id, reason)


_COLUMNS = [getattr(AuditEntry, name) for name in (*HASHED_FIELDS, "prev_hash", "row_hash")]


def _rows(session: Session, after: int) -> Iterator[Row[Any]]:
    """Plain rows (not ORM objects, so the session's identity map does not grow)."""
    last = after
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


def _walk(session: Session, start: tuple[int, str], watch: set[int], anchor: str | None) -> _Walk:
    walk = _Walk(*start, anchor_seen=anchor is None)
    walk.watched = {start[0]: start[1]} if start[0] in watch else {}
    for entry in _rows(session, start[0]):
        fault = _fault(entry, walk.last_id + 1, walk.last_hash)
        if fault:
            walk.broken = walk.fail(entry.id, fault)
            return walk
        walk.last_id, walk.last_hash = entry.id, entry.row_hash
        walk.anchor_seen = walk.anchor_seen or entry.row_hash == anchor
        if entry.id in watch:
            walk.watched[entry.id] = entry.row_hash
    return walk


def _read_head(session: Session) -> tuple[int, str] | None:
    """The head row as committed now (a plain select: never the session's cached object)."""
    row = session.execute(
        select(AuditChainHead.last_id, AuditChainHead.last_hash).where(
            AuditChainHead.id == CHAIN_HEAD_ID
        )
    ).one_or_none()
    return None if row is None else (int(row.last_id), str(row.last_hash))


def _head_fault(session: Session, walk: _Walk, head: tuple[int, str]) -> ChainReport | None:
    """The chain must end at the head read before the walk, or at one a writer moved it to
    while the walk ran (rows and head move in one transaction)."""
    head_id, head_hash = head
    if walk.last_id < head_id:
        return walk.fail(
            walk.last_id + 1,
            f"chain ends at row {walk.last_id} but the recorded head is row {head_id} "
            "(rows removed at the end)",
        )
    if walk.watched.get(head_id) != head_hash:
        return walk.fail(head_id, f"row {head_id} does not hash to the recorded head")
    if walk.last_id > head_id:
        now = _read_head(session)
        if now is None or walk.last_id > now[0]:
            moved_to = head_id if now is None else now[0]
            return walk.fail(
                moved_to + 1,
                f"rows after the recorded head row {moved_to} (rows added at the end)",
            )
    return None


def _anchor_fault(walk: _Walk, pinned: Anchor) -> ChainReport | None:
    if walk.last_id < pinned.last_id:
        return walk.fail(
            walk.last_id + 1,
            f"chain ends at row {walk.last_id} but the anchor file has {pinned.describe()} "
            "(rows removed at the end, or the log and its head rolled back)",
        )
    if walk.watched.get(pinned.last_id) != pinned.last_hash:
        return walk.fail(
            pinned.last_id,
            f"row {pinned.last_id} differs from the anchor file's {pinned.describe()} "
            "(the chain was rewritten)",
        )
    return None


def _check(
    session: Session, start: tuple[int, str], anchor: str | None, pinned: Anchor | None
) -> ChainReport:
    head = _read_head(session)
    if head is None:
        return ChainReport(
            False, 0, GENESIS_HASH, None, "the chain head row is missing (deleted with the log?)"
        )
    watch = {head[0]} | ({pinned.last_id} if pinned else set())
    walk = _walk(session, start, watch, anchor)
    if walk.broken is not None:
        return walk.broken
    fault = _head_fault(session, walk, head) or (_anchor_fault(walk, pinned) if pinned else None)
    if fault is not None:
        return fault
    if not walk.anchor_seen:
        return walk.fail(None, f"anchored head {anchor} is not in the chain")
    return ChainReport(True, walk.last_id - start[0], walk.last_hash)


def verify_chain(
    session: Session, anchor: str | None = None, pinned: Anchor | None = None
) -> ChainReport:
    """Check every row links to the one before and hashes to its row_hash, that the chain ends
    at the recorded head, that a given head hash (`anchor`) is in the chain, and that the
    chain holds the anchored row of `pinned` (the latest line of the anchor file)."""
    return _check(session, (0, GENESIS_HASH), anchor, pinned)


def verify_since(session: Session, pinned: Anchor) -> ChainReport:
    """The rows after an anchor only (the anchor job, every few minutes): the anchored row must
    be unchanged, each later row must follow from it, and the chain must end at the head."""
    stored = session.scalar(select(AuditEntry.row_hash).where(AuditEntry.id == pinned.last_id))
    if pinned.last_id == 0:
        stored = GENESIS_HASH
    if stored != pinned.last_hash:
        what = "is missing" if stored is None else "differs"
        reason = f"row {pinned.last_id} {what} (the anchor file has {pinned.describe()})"
        return ChainReport(False, 0, GENESIS_HASH, pinned.last_id, reason)
    return _check(session, (pinned.last_id, pinned.last_hash), None, None)


def chain_head(session: Session) -> tuple[int, str]:
    """(last id, last hash) as recorded by the writers, for anchoring outside the database."""
    head = _read_head(session)
    return (0, GENESIS_HASH) if head is None else head
