"""Who is asking: a session cookie or a bearer token → an Authenticated, or None.

Sessions expire after settings.session_idle_minutes without a request and, regardless,
settings.session_absolute_hours after login. Expired sessions are deleted when seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request, Response
from sqlalchemy import delete, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from grassroots.accounts.credentials import csrf_token_for, same
from grassroots.accounts.login_actions import second_factor_state
from grassroots.accounts.models import ApiToken, AuthSession, User
from grassroots.accounts.queries import session_by_id, token_by_value
from grassroots.config import Settings
from grassroots.db import transaction, utcnow

SESSION_COOKIE = "grassroots_session"
CSRF_COOKIE = "grassroots_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most once a minute


@dataclass(frozen=True)
class Authenticated:
    user: User
    session: AuthSession | None = None  # cookie login
    token: ApiToken | None = None  # bearer token
    raw_session_id: str = ""
    pending: str | None = None  # second factor still owed: "verify" / "enrol"

    @property
    def scopes(self) -> frozenset[str] | None:
        """A token's scopes; None for a session (the role's permissions apply)."""
        return frozenset(self.token.scopes) if self.token is not None else None

    @property
    def csrf_token(self) -> str:
        return csrf_token_for(self.raw_session_id) if self.raw_session_id else ""


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def authenticate(request: Request, db: Session) -> Authenticated | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return _by_token(request, db, header[7:].strip())
    raw = request.cookies.get(SESSION_COOKIE, "")
    return _by_session(request, db, raw) if raw else None


def _by_token(request: Request, db: Session, raw: str) -> Authenticated | None:
    token = token_by_value(db, raw)
    now = utcnow()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        _write(
            request, db, update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
        )
    return Authenticated(user=token.user, token=token)


def _by_session(request: Request, db: Session, raw: str) -> Authenticated | None:
    row = session_by_id(db, raw)
    if row is None:
        return None
    settings: Settings = request.app.state.settings
    now = utcnow()
    if not row.user.is_active or _expired(row, now, settings):
        _write(request, db, delete(AuthSession).where(AuthSession.id == row.id))
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        _write(
            request,
            db,
            update(AuthSession).where(AuthSession.id == row.id).values(last_seen_at=now),
        )
    pending = second_factor_state(row.user, row, settings)
    return Authenticated(user=row.user, session=row, raw_session_id=raw, pending=pending)


def _expired(row: AuthSession, now: datetime, s: Settings) -> bool:
    idle = now - row.last_seen_at > timedelta(minutes=s.session_idle_minutes)
    too_old = now - row.created_at > timedelta(hours=s.session_absolute_hours)
    return idle or too_old


def _write(request: Request, db: Session, statement: Executable) -> None:
    """Housekeeping writes (last seen, expiry) in a short writer transaction of their own, so
    that a GET's read transaction never upgrades to a write. The request's transaction ends
    first: on SQLite it may hold the write lock the new transaction needs."""
    db.rollback()
    with request.app.state.write_sessions() as ws, transaction(ws):
        ws.execute(statement)


def csrf_ok(auth: Authenticated, submitted: str) -> bool:
    """Bearer requests carry no ambient credential, so only cookie sessions need the token."""
    if auth.session is None:
        return True
    return bool(submitted) and same(submitted, auth.csrf_token)


def set_session_cookies(response: Response, raw_session_id: str, settings: Settings) -> None:
    secure = settings.secure_cookies
    response.set_cookie(
        SESSION_COOKIE, raw_session_id, httponly=True, samesite="lax", secure=secure, path="/"
    )
    # Readable by the page's scripts (htmx sends it back as the X-CSRF-Token header).
    response.set_cookie(
        CSRF_COOKIE,
        csrf_token_for(raw_session_id),
        httponly=False,
        samesite="lax",
        secure=secure,
        path="/",
    )


def clear_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
