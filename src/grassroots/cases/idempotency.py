"""Idempotency-Key on POST /cases: claim a key while registering, replay its response.

The key is claimed inside the registering transaction (claim_key), which also stores the
response in the row (state done) with the case: one commit per intake, an acknowledged case
always has its stored response, a retry can never register it twice, and a refused
registration leaves no row behind. A retry while the first request still runs gets 409: on
PostgreSQL the first holds a transaction-scoped advisory lock on (user, key) that the retry
fails to take; SQLite's single writer (BEGIN IMMEDIATE) makes the retry wait and then
replay. Rows left in_flight (do_claim_key in its own transaction, or older versions) count
as running until IN_FLIGHT_EXPIRY, after which a retry takes them over.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import rfc8785
from sqlalchemy import Table, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.models import IdempotencyKey
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem

IN_FLIGHT_EXPIRY = timedelta(seconds=60)
MAX_KEY_LENGTH = 128


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
    table = cast(Table, IdempotencyKey.__table__)
    stmt = insert(table).values(**row).on_conflict_do_nothing().returning(table.c.key)
    return session.execute(stmt).first() is not None


def _refuse_or_replay(session: Session, row: IdempotencyKey, digest: str, now: datetime) -> Replay:
    if row.request_hash != digest:
        raise Problem(
            422,
            "idempotency_key_reused",
            "该 Idempotency-Key 已用于另一请求 / this Idempotency-Key was used with another body",
        )
    if row.state == "done" and row.response_body is not None:
        return Replay(row.response_status or 201, row.response_body)
    raise _in_progress()


def _in_progress() -> Problem:
    return Problem(
        409,
        "request_in_progress",
        "相同请求仍在处理中，请稍后重试 / the same request is still running: retry later",
    )


def advisory_lock_id(user_id: int, key: str) -> int:
    """A signed 64-bit number for pg_try_advisory_xact_lock from (user, key)."""
    h = hashlib.sha256(f"{user_id}\x00{key}".encode()).digest()
    return int.from_bytes(h[:8], "big", signed=True)


def claim_key(
    session: Session, user: User, key: str, digest: str, moment: datetime
) -> Claim | Replay:
    """Inside the caller's (registering) transaction: claim `key` for this request, or the
    stored response to replay, or a Problem (422 other body, 409 still running)."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise Problem(422, "bad_idempotency_key", "Idempotency-Key 长度须为 1–128 / 1–128 chars")
    if session.get_bind().dialect.name == "postgresql":
        lock = func.pg_try_advisory_xact_lock(advisory_lock_id(user.id, key))
        if not session.execute(select(lock)).scalar_one():
            raise _in_progress()
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
