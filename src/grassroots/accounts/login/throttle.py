"""Failed password checks, counted in the database (table login_throttle) so that every
server process and host sees the same counts.

* Per (username, client address): the first `login_max_failures` failures cost nothing; each
  one after that blocks that address for that user for 1 s, 2 s, 4 s … at most
  `lockout_minutes`. Other addresses are not affected, so knowing a username is not enough
  to lock its owner out. A success from the address clears its count; a count untouched for
  `login_throttle_forget_hours` starts again from zero.
* Per username over all addresses (`login_user_ceiling`, e.g. 100 failures an hour): against
  guessing spread over many addresses. Reaching it blocks the account until the window ends
  (user.locked_until, shown to administrators; enabling the user or resetting the password
  clears it).
* Per bearer token (`bearer_reauth_limit`): wrong current passwords sent with a token count
  only against the token, never against its human's login.

Unknown usernames are counted exactly like known ones, so the answers tell nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from grassroots.accounts.models import LoginThrottle
from grassroots.config import Settings

ALL = "*"  # the address of a per-user or per-token count
LOGIN, TOKEN = "login", "token"


@dataclass(frozen=True)
class ThrottleKey:
    kind: str
    subject: str
    address: str


def login_keys(username: str, address: str) -> list[ThrottleKey]:
    subject = username[:64]
    return [ThrottleKey(LOGIN, subject, address[:64] or "?"), ThrottleKey(LOGIN, subject, ALL)]


def token_key(token_id: int) -> ThrottleKey:
    return ThrottleKey(TOKEN, str(token_id), ALL)


def parse_window(rate: str) -> tuple[int, timedelta]:
    """'100/3600' → (100 failures, one hour)."""
    count, _, seconds = rate.partition("/")
    return int(count), timedelta(seconds=float(seconds or 3600))


def wait_seconds(session: Session, keys: list[ThrottleKey], now: datetime) -> int:
    """Whole seconds until any of `keys` may try again (0: now)."""
    rows = session.scalars(
        select(LoginThrottle.blocked_until).where(
            or_(*(_matches(k) for k in keys)), LoginThrottle.blocked_until > now
        )
    ).all()
    return max((math.ceil((b - now).total_seconds()) for b in rows if b), default=0)


def count_login_failure(
    session: Session, username: str, address: str, now: datetime, s: Settings
) -> datetime | None:
    """Count one failed password or code; the end of the account-wide block if this failure
    reached the per-user ceiling, else None."""
    mine, everyone = login_keys(username, address)
    row = _locked_row(session, mine, now)
    if now - row.last_failure_at > timedelta(hours=s.login_throttle_forget_hours):
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    over = row.failures - s.login_max_failures
    if over >= 0:
        delay = min(2.0**over, s.lockout_minutes * 60.0)
        row.blocked_until = now + timedelta(seconds=delay)
    return _count_in_window(session, everyone, now, parse_window(s.login_user_ceiling))


def count_token_failure(session: Session, token_id: int, now: datetime, s: Settings) -> None:
    _count_in_window(session, token_key(token_id), now, parse_window(s.bearer_reauth_limit))


def _count_in_window(
    session: Session, key: ThrottleKey, now: datetime, limit: tuple[int, timedelta]
) -> datetime | None:
    """A fixed window: `limit[0]` failures within `limit[1]` block the key until it ends."""
    row = _locked_row(session, key, now)
    if now - row.window_start >= limit[1]:
        row.failures, row.window_start, row.blocked_until = 0, now, None
    row.failures += 1
    row.last_failure_at = now
    if row.failures != limit[0]:
        return None
    row.blocked_until = row.window_start + limit[1]
    return row.blocked_until


def forget_address(session: Session, username: str, address: str) -> None:
    """A success from this address: its count starts again (the per-user window does not)."""
    key = login_keys(username, address)[0]
    session.execute(delete(LoginThrottle).where(_matches(key)))


def forget_user(session: Session, username: str) -> None:
    """An administrator unlocked the account: every count of it goes."""
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.kind == LOGIN, LoginThrottle.subject == username[:64]
        )
    )


def purge_throttle(session: Session, now: datetime, s: Settings) -> int:
    """Delete counts that no longer matter (the session_purge job): no block in force and
    nothing for longer than they are remembered."""
    quiet = now - max(
        timedelta(hours=s.login_throttle_forget_hours),
        parse_window(s.login_user_ceiling)[1],
        parse_window(s.bearer_reauth_limit)[1],
    )
    result = session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < quiet,
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until <= now),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _matches(key: ThrottleKey) -> ColumnElement[bool]:
    return and_(
        LoginThrottle.kind == key.kind,
        LoginThrottle.subject == key.subject,
        LoginThrottle.address == key.address,
    )


def _locked_row(session: Session, key: ThrottleKey, now: datetime) -> LoginThrottle:
    """The key's row, created if missing (concurrent creators do not collide), locked for
    this transaction (FOR UPDATE on PostgreSQL; SQLite has one writer)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {"kind": key.kind, "subject": key.subject, "address": key.address}
    session.execute(
        insert(LoginThrottle)
        .values(**values, failures=0, window_start=now, last_failure_at=now)
        .on_conflict_do_nothing(index_elements=["kind", "subject", "address"])
    )
    query = select(LoginThrottle).where(_matches(key)).with_for_update()
    return session.scalars(query.execution_options(populate_existing=True)).one()
