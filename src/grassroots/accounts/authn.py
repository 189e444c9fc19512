"""Who is asking: a session cookie or a bearer token → an Authenticated, or None.

Sessions expire after settings.session_idle_minutes without a request and, regardless,
settings.session_absolute_hours after login. Expired sessions are deleted when seen. Neither
that nor the last-seen/last-used times are written during the request (accounts.touches).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request, Response
from sqlalchemy.orm import Session

from grassroots.accounts.credentials import csrf_token_for, same
from grassroots.accounts.login.actions import second_factor_state
from grassroots.accounts.models import ApiToken, AuthSession, User
from grassroots.accounts.permissions import granted
from grassroots.accounts.queries import session_by_id, token_by_value
from grassroots.accounts.tokens.actions import token_end
from grassroots.accounts.tokens.touches import AuthTouches
from grassroots.config import Settings
from grassroots.db import utcnow

SESSION_COOKIE = "grassroots_session"
CSRF_COOKIE = "grassroots_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is recorded at most once a minute


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
    def permissions(self) -> frozenset[str]:
        """What this request may do: role ∩ token scopes (accounts.permissions.granted)."""
        return granted(self.user.role, self.scopes)

    def may(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def csrf_token(self) -> str:
        return csrf_token_for(self.raw_session_id) if self.raw_session_id else ""


def request_now(request: Request) -> datetime:
    """The time for the login throttle: app.state.clock when a test sets one, else now."""
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else utcnow()


def request_permissions(request: Request) -> frozenset[str]:
    """The permissions of the request's credential (deps.authenticated keeps it on the
    request's state); none for an anonymous request. Pages and the menu read this."""
    auth = getattr(request.state, "auth", None)
    return auth.permissions if isinstance(auth, Authenticated) else frozenset()


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
    if token_end(token, request.app.state.settings) <= now:
        return None
    touches = _touches(request)
    last = max(filter(None, (token.last_used_at, touches.last_used(token.id))), default=None)
    if last is None or now - last > TOUCH_EVERY:
        touches.token_used(token.id, now)
        _flush_if_synchronous(touches, db)
    return Authenticated(user=token.user, token=token)


def _by_session(request: Request, db: Session, raw: str) -> Authenticated | None:
    row = session_by_id(db, raw)
    if row is None:
        return None
    settings: Settings = request.app.state.settings
    now, touches = utcnow(), _touches(request)
    last_seen = max(row.last_seen_at, touches.last_seen(row.id) or row.last_seen_at)
    if not row.user.is_active or _expired(row, last_seen, now, settings):
        touches.session_expired(row.id)
        _flush_if_synchronous(touches, db)
        return None
    if now - last_seen > TOUCH_EVERY:
        touches.session_seen(row.id, now)
        _flush_if_synchronous(touches, db)
    pending = second_factor_state(row.user, row, settings)
    return Authenticated(user=row.user, session=row, raw_session_id=raw, pending=pending)


def _expired(row: AuthSession, last_seen: datetime, now: datetime, s: Settings) -> bool:
    idle = now - last_seen > timedelta(minutes=s.session_idle_minutes)
    too_old = now - row.created_at > timedelta(hours=s.session_absolute_hours)
    return idle or too_old


def _touches(request: Request) -> AuthTouches:
    touches: AuthTouches = request.app.state.auth_touches
    return touches


def _flush_if_synchronous(touches: AuthTouches, db: Session) -> None:
    """auth_flush_seconds = 0: written at once, in a transaction of its own after the
    request's (which ends first: on SQLite the writer may not be taken inside a read)."""
    if touches.synchronous:
        db.rollback()
        touches.flush()


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
