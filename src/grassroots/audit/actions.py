"""Writing audit rows. record_audit adds to the caller's transaction and never commits:
the row lands with the change it records, or not at all.

The row is chained when the caller's transaction commits (a before_commit hook): only then
is the chain head locked, ids assigned and hashes computed. So the head lock is always the
LAST lock a transaction takes and is held only for the commit itself: no deadlock can run
through it, whatever order an action locks its own rows in.

Two statements per commit as a rule: the rows are hashed on the head this process last
wrote, the head is moved to them only if it is still there (one UPDATE, which also locks it),
then the rows are inserted. When that guess is stale (another process wrote, a commit
failed), the UPDATE leaves the head as it is and returns it, and the rows are hashed again
on it: three statements, as before.
"""

from __future__ import annotations

import weakref
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Integer, String, Table, bindparam, case, event, insert, update
from sqlalchemy.orm import Session, SessionTransaction

from grassroots.accounts.models import User
from grassroots.audit.chain import HASHED_FIELDS, json_safe, row_hash
from grassroots.audit.models import CHAIN_HEAD_ID, GENESIS_HASH, AuditChainHead, AuditEntry
from grassroots.db import utcnow

# Column widths of audit_log: longer values are cut (PostgreSQL would refuse them and the
# change being audited with them).
_WIDTHS = {"actor_name": 64, "ip": 64, "action": 64, "object_type": 32, "object_id": 64}
_PENDING = "grassroots.audit.pending"
# The API token a request authenticated with (its id): every audit row the request writes
# names it. Set by deps.current_auth; unset (None) for sessions, the CLI and jobs.
_ACTING_TOKEN: ContextVar[int | None] = ContextVar("grassroots_acting_token", default=None)
_LOG = cast(Table, AuditEntry.__table__)
_HEAD = cast(Table, AuditChainHead.__table__)
# The chain's statements, built once (building them costs more than running them).
_INSERT_ROWS = insert(_LOG)
_LOCK_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == CHAIN_HEAD_ID)
    .values(last_id=_HEAD.c.last_id)
    .returning(_HEAD.c.last_id, _HEAD.c.last_hash)
)
# The head moves from the guessed (old_id, old_hash) to the new head only if it is still
# there; either way the row is locked and returned as it now is.
_STILL = (_HEAD.c.last_id == bindparam("old_id")) & (_HEAD.c.last_hash == bindparam("old_hash"))
_MOVE_HEAD_IF = (
    update(_HEAD)
    .where(_HEAD.c.id == CHAIN_HEAD_ID)
    .values(
        last_id=case((_STILL, bindparam("new_id", type_=Integer)), else_=_HEAD.c.last_id),
        last_hash=case((_STILL, bindparam("new_hash", type_=String)), else_=_HEAD.c.last_hash),
    )
    .returning(_HEAD.c.last_id, _HEAD.c.last_hash)
)
# The head this process last wrote, per database (engine pool): the guess of where the next
# rows go. Only a guess: another process, a rolled-back or failed commit make it stale, and
# then _MOVE_HEAD_IF leaves the head alone and the rows are chained on the head it returns.
_HEADS: weakref.WeakKeyDictionary[Any, tuple[int, str]] = weakref.WeakKeyDictionary()
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == CHAIN_HEAD_ID)
    .values(last_id=bindparam("new_last_id"), last_hash=bindparam("new_last_hash"))
)


@dataclass
class AuditRecord:
    """One audit row on its way into the chain: a plain record rather than an ORM object (the
    rows are written with one Core INSERT at commit, and building mapped objects for them
    cost more than hashing). id, prev_hash and row_hash are set when the transaction
    commits."""

    at: datetime
    actor_id: int | None
    actor_name: str
    ip: str
    action: str
    object_type: str
    object_id: str
    result: str
    details: dict[str, Any]
    token_id: int | None = None
    id: int | None = None
    prev_hash: str | None = None
    row_hash: str | None = None

    def hashed_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in HASHED_FIELDS}


def set_acting_token(token_id: int | None) -> None:
    """The request being served authenticated with this API token (None: not a token).
    Called from the request's own task: the value follows the request, whichever worker
    thread runs its handler, and no other request sees it."""
    _ACTING_TOKEN.set(token_id)


@dataclass
class _Pending:
    entry: AuditRecord
    transaction: SessionTransaction  # innermost at record time: a savepoint rollback drops it


def record_audit(
    session: Session,
    *,
    actor: User | None,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    result: str = "ok",
    details: dict[str, Any] | None = None,
    ip: str = "",
) -> AuditRecord:
    """Append one audit row to the current transaction. Never put personal data in details.
    The row names the API token the request authenticated with, if any (set_acting_token).

    The returned entry gets its id, prev_hash and row_hash when the transaction commits.
    """
    fields: dict[str, Any] = {
        "at": utcnow(),
        "actor_id": actor.id if actor is not None else None,
        "actor_name": actor.username if actor is not None else "",
        "ip": ip,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "result": result[:16],
        "details": json_safe(details or {}),
        "token_id": _ACTING_TOKEN.get(),
    }
    for name, width in _WIDTHS.items():
        fields[name] = fields[name][:width]
    entry = AuditRecord(**fields)
    transaction = session.get_nested_transaction() or session.get_transaction()
    if transaction is None:
        session.connection()  # begin now, so the entry belongs to this transaction
        transaction = session.get_transaction()
    assert transaction is not None
    session.info.setdefault(_PENDING, []).append(_Pending(entry, transaction))
    return entry


@event.listens_for(Session, "before_commit")
def _chain_pending(session: Session) -> None:
    if session.in_nested_transaction():  # releasing a savepoint: wait for the real commit
        return
    pending: list[_Pending] = session.info.pop(_PENDING, [])
    if not pending:
        return
    session.flush()  # the caller's own changes first: their row locks come before the head
    # Core statements, not the ORM: no second flush (and no flush events) inside the commit.
    connection = session.connection()
    entries = [item.entry for item in pending]
    start = _chain_on_guess(connection, entries)
    if start is None:
        return
    rows, head = _hashed(entries, *start)  # on the head as it really is, now locked
    connection.execute(_INSERT_ROWS, rows)
    connection.execute(_MOVE_HEAD, {"new_last_id": head[0], "new_last_hash": head[1]})
    _HEADS[connection.engine.pool] = head


def _chain_on_guess(connection: Connection, entries: list[AuditRecord]) -> tuple[int, str] | None:
    """Chain `entries` on the head this process last wrote, in two statements (the head
    moved if it is still there, then the rows): None when that worked, else the real head
    (locked) to chain them on."""
    guess = _HEADS.get(connection.engine.pool)
    if guess is None:
        return _lock_chain_head(connection)
    rows, head = _hashed(entries, *guess)
    found = connection.execute(_MOVE_HEAD_IF, _move(guess, head)).one_or_none()
    if found is None:  # no head row
        return _lock_chain_head(connection)
    if (found[0], found[1]) != head:  # stale guess: the head was left as it is, locked
        return int(found[0]), str(found[1])
    connection.execute(_INSERT_ROWS, rows)
    _HEADS[connection.engine.pool] = head
    return None


def _hashed(entries: list[AuditRecord], last_id: int, last_hash: str) -> tuple[list[Any], Any]:
    """The rows of `entries` chained after (last_id, last_hash), and the new head."""
    rows = []
    for entry in entries:
        fields = entry.hashed_fields() | {"id": last_id + 1}
        entry.id, entry.prev_hash = last_id + 1, last_hash
        entry.row_hash = last_hash = row_hash(last_hash, fields)
        last_id = entry.id
        rows.append(fields | {"prev_hash": entry.prev_hash, "row_hash": entry.row_hash})
    return rows, (last_id, last_hash)


def _move(guess: tuple[int, str], head: tuple[int, str]) -> dict[str, Any]:
    return {"old_id": guess[0], "old_hash": guess[1], "new_id": head[0], "new_hash": head[1]}


def _descends_from(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    pending: list[_Pending] = session.info.get(_PENDING, [])
    pending[:] = [p for p in pending if not _descends_from(p.transaction, previous_transaction)]


@event.listens_for(Session, "after_transaction_end")
def _forget_on_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the whole transaction is over (committed or not)
        session.info.pop(_PENDING, None)


def _lock_chain_head(connection: Connection) -> tuple[int, str]:
    """Lock the head row and read it in one statement.

    An UPDATE (not SELECT ... FOR UPDATE) because it takes the lock on both databases: the
    row lock on PostgreSQL (READ COMMITTED re-reads the newest committed head after waiting),
    the write lock on SQLite even when the session was not opened with BEGIN IMMEDIATE.
    """
    row = connection.execute(_LOCK_HEAD).one_or_none()
    if row is None:  # a database made without migration 0005: start the chain
        start = {"id": CHAIN_HEAD_ID, "last_id": 0, "last_hash": GENESIS_HASH}
        connection.execute(insert(_HEAD).values(start))
        return 0, GENESIS_HASH
    return int(row.last_id), str(row.last_hash)
