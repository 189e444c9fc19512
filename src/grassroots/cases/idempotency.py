"""Idempotency-Key on POST /cases: claim a key while registering, replay its response.

The key is recorded inside the registering transaction, which also stores the response in
the row (state done) with the case: one commit per intake, an acknowledged case always has
its stored response, a retry can never register it twice (the row's primary key is the last
word: a registration that finds the key taken rolls back), and a refused registration
leaves no row behind.

A retry while the first request still runs gets 409:
* PostgreSQL: the first holds a transaction-scoped advisory lock on (user, key) that the
  retry fails to take (any number of app processes);
* SQLite: the first holds (user, key) in this process's in-flight registry (in_flight())
  from before its transaction until after it ends. SQLite deployments run ONE server
  process (one writer anyway); a second process would not see the registry, and its retry
  would wait for the write lock and then replay (never duplicate).
Rows left in_flight (do_claim_key in its own transaction, or older versions) count as
running until IN_FLIGHT_EXPIRY, after which a retry takes them over.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import rfc8785
from sqlalchemy import Insert, Table, bindparam, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.models import IdempotencyKey
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem

IN_FLIGHT_EXPIRY = timedelta(seconds=60)
MAX_KEY_LENGTH = 128
KEY_TABLE = cast(Table, IdempotencyKey.__table__)


@dataclass(frozen=True)
class Claim:
    user_id: int
    key: str


@dataclass(frozen=True)
class Replay:
    status: int
    body: bytes


def request_hash(body: Any) -> str:
    """Hash of the request body in canonical JSON (RFC 8785): key order and spacing
    do not make two bodies differ."""
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()


def _insert_if_absent(session: Session, row: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; whether this request inserted the row."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(KEY_TABLE).values(**row).on_conflict_do_nothing().returning(KEY_TABLE.c.key)
    return session.execute(stmt).first() is not None


@dataclass(frozen=True)
class StoredKey:
    """An idempotency_key row as read by intake's preflight (grassroots.cases.intake)."""

    request_hash: str
    state: str
    started_at: datetime
    response_status: int | None
    response_body: bytes | None


def check_stored(row: StoredKey | None, digest: str, moment: datetime) -> Replay | datetime | None:
    """What a stored row means for this request: None (the key is free), the started_at of
    a crashed request's expired claim (to take over, compare-and-set, when finishing), or
    the Replay; a Problem for another body (422) or a request still running (409)."""
    if row is None:
        return None
    stale = row.state == "in_flight" and row.started_at < moment - IN_FLIGHT_EXPIRY
    if stale and row.request_hash == digest:
        return row.started_at
    return _refuse_or_replay(None, row, digest, moment)


def _refuse_or_replay(
    session: Session | None, row: IdempotencyKey | StoredKey, digest: str, now: datetime
) -> Replay:
    if row.request_hash != digest:
        raise Problem(
            422,
            "idempotency_key_reused",
            "该 Idempotency-Key 已用于另一请求 / this Idempotency-Key was used with another body",
        )
    if row.state == "done" and row.response_body is not None:
        return Replay(row.response_status or 201, row.response_body)
    raise in_progress()


def in_progress() -> Problem:
    return Problem(
        409,
        "request_in_progress",
        "相同请求仍在处理中，请稍后重试 / the same request is still running: retry later",
    )


_IN_FLIGHT: set[tuple[int, str]] = set()
_IN_FLIGHT_LOCK = threading.Lock()


@contextmanager
def in_flight(user_id: int, key: str) -> Iterator[None]:
    """(user, key) is running in this process until the block ends; a second request with
    the same pair meanwhile gets 409 at once (SQLite's stand-in for the advisory lock)."""
    pair = (user_id, key)
    with _IN_FLIGHT_LOCK:
        if pair in _IN_FLIGHT:
            raise in_progress()
        _IN_FLIGHT.add(pair)
    try:
        yield
    finally:
        with _IN_FLIGHT_LOCK:
            _IN_FLIGHT.discard(pair)


def check_key(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise Problem(422, "bad_idempotency_key", "Idempotency-Key 长度须为 1–128 / 1–128 chars")


FINISH_COLUMNS = ("user_id", "key", "request_hash", "state", "started_at", "case_id",
                  "response_status", "response_body")  # fmt: skip


def finish_key(dialect: str, case_id: Any = None, response_body: Any = None) -> Insert:
    """INSERT the key row done, with its response, RETURNING the key (parameters named as
    FINISH_COLUMNS, plus taken_over): nothing is returned when the key is taken, except the
    expired claim started at `taken_over` (compare-and-set), which is completed instead.
    Nothing returned: the caller must roll back. `case_id`: an expression for the column
    (a CTE's), else a parameter; `response_body` likewise."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values: dict[str, Any] = {c: bindparam(c, type_=KEY_TABLE.c[c].type) for c in FINISH_COLUMNS}
    if case_id is not None:
        values["case_id"] = case_id
    if response_body is not None:
        values["response_body"] = response_body
    stmt = insert(KEY_TABLE).values(values)
    stale = bindparam("taken_over", type_=KEY_TABLE.c.started_at.type)
    done = ("state", "started_at", "case_id", "response_status", "response_body")
    return stmt.on_conflict_do_update(
        index_elements=["user_id", "key"],
        set_={c: stmt.excluded[c] for c in done},
        where=(KEY_TABLE.c.state == "in_flight") & (KEY_TABLE.c.started_at == stale),
    ).returning(KEY_TABLE.c.key)


def advisory_lock_id(user_id: int, key: str) -> int:
    """A signed 64-bit number for pg_try_advisory_xact_lock from (user, key)."""
    h = hashlib.sha256(f"{user_id}\x00{key}".encode()).digest()
    return int.from_bytes(h[:8], "big", signed=True)


def claim_key(
    session: Session, user: User, key: str, digest: str, moment: datetime
) -> Claim | Replay:
    """Inside the caller's (registering) transaction: claim `key` for this request, or the
    stored response to replay, or a Problem (422 other body, 409 still running)."""
    check_key(key)
    if session.get_bind().dialect.name == "postgresql":
        lock = func.pg_try_advisory_xact_lock(advisory_lock_id(user.id, key))
        if not session.execute(select(lock)).scalar_one():
            raise in_progress()
    values = {"user_id": user.id, "key": key, "request_hash": digest}
    if _insert_if_absent(session, {**values, "state": "in_flight", "started_at": moment}):
        return Claim(user.id, key)
    row = session.get(IdempotencyKey, (user.id, key), populate_existing=True)
    assert row is not None
    stale = row.state == "in_flight" and row.started_at < moment - IN_FLIGHT_EXPIRY
    if stale and row.request_hash == digest and _take_over(session, row, moment):
        return Claim(user.id, key)
    return _refuse_or_replay(session, row, digest, moment)


def do_claim_key(
    session: Session, user: User, key: str, digest: str, now: datetime | None = None
) -> Claim | Replay:
    """Claim `key` in a transaction of its own (a request that registers later, elsewhere):
    the committed in_flight row makes retries 409 until it is completed or expires."""
    with transaction(session):
        if session.get_bind().dialect.name == "postgresql":
            # A lost claim is harmless (the retry claims again).
            session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        return claim_key(session, user, key, digest, now or utcnow())


def _take_over(session: Session, row: IdempotencyKey, moment: datetime) -> bool:
    """A crashed request's claim: only one retry wins it (compare-and-set on started_at)."""
    result = session.execute(
        update(IdempotencyKey)
        .where(
            IdempotencyKey.user_id == row.user_id,
            IdempotencyKey.key == row.key,
            IdempotencyKey.state == "in_flight",
            IdempotencyKey.started_at == row.started_at,
        )
        .values(started_at=moment)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def complete_claim(session: Session, claim: Claim, case_id: int, status: int, body: bytes) -> None:
    """Inside the registering transaction: the key is done, with its response."""
    session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.user_id == claim.user_id, IdempotencyKey.key == claim.key)
        .values(state="done", case_id=case_id, response_status=status, response_body=body)
        .execution_options(synchronize_session=False)
    )


def do_release_key(session: Session, claim: Claim) -> None:
    """The request failed without registering anything: the key may be used again."""
    with transaction(session):
        session.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.user_id == claim.user_id,
                IdempotencyKey.key == claim.key,
                IdempotencyKey.state == "in_flight",
            )
        )
