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
Rows left in_flight (written by older versions, which claimed a key in a transaction of its
own before registering) count as running until IN_FLIGHT_EXPIRY, after which a retry takes
them over (finish_key's compare-and-set).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Insert, Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite

from grassroots.audit.chain import canonical_json
from grassroots.cases.intake.models import IdempotencyKey
from grassroots.errors import Problem

IN_FLIGHT_EXPIRY = timedelta(seconds=60)
MAX_KEY_LENGTH = 128
KEY_TABLE = cast(Table, IdempotencyKey.__table__)


@dataclass(frozen=True)
class Replay:
    status: int
    body: bytes


def request_hash(body: dict[str, Any]) -> str:
    """Hash of the request body in canonical JSON (RFC 8785): key order and spacing
    do not make two bodies differ. (The audit chain's canonical_json: RFC 8785's bytes,
    most bodies through the standard library's faster encoder.)"""
    return hashlib.sha256(canonical_json(body)).hexdigest()


@dataclass(frozen=True)
class StoredKey:
    """An idempotency_key row as read by intake's preflight (grassroots.cases.intake.keyed)."""

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
    return _refuse_or_replay(row, digest)


def _refuse_or_replay(row: StoredKey, digest: str) -> Replay:
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
