"""Logging in and out, the login throttle, and the TOTP second factor. Each do_* owns one
transaction.

A failed attempt is audited and counted in its own committed transaction, and only then
refused, so that a refusal never rolls back the record of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from grassroots.accounts.credentials import digest, new_recovery_codes, new_session_id
from grassroots.accounts.credentials import recovery_digest as recovery_hash
from grassroots.accounts.login import totp
from grassroots.accounts.login.passwords import hash_password, needs_rehash, verify_password
from grassroots.accounts.login.throttle import (
    count_login_failure,
    forget_address,
    login_keys,
    wait_seconds,
)
from grassroots.accounts.models import AuthSession, RecoveryCode, User
from grassroots.audit.actions import record_audit
from grassroots.config import Settings, get_settings
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem
from grassroots.ratelimit.limits import too_many_requests

# One message for unknown user, wrong password, disabled and locked: nothing is revealed.
LOGIN_FAILED = (
    "用户名或密码错误，或账户已被暂时锁定 / "
    "wrong username or password, or the account is temporarily locked"
)
CODE_FAILED = "验证码错误或已使用 / wrong or already used code"


@dataclass(frozen=True)
class NewSession:
    session_id: str  # the raw id: goes into the cookie, never into the database
    row: AuthSession


def do_login(
    session: Session,
    username: str,
    password: str,
    *,
    ip: str = "",
    old_session_id: str | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> NewSession:
    """Check the password and open a NEW session (a session id never survives a login).
    Refused with 429 and the seconds to wait while (username, ip) or the account is
    throttled (accounts.throttle), without checking the password."""
    now, settings = now or utcnow(), settings or get_settings()
    with transaction(session):
        # FOR UPDATE: concurrent logins of one user take turns (the throttle rows are locked
        # too; SQLite's BEGIN IMMEDIATE already serialises writers).
        user = session.scalar(select(User).where(User.username == username).with_for_update())
        wait = wait_seconds(session, login_keys(username, ip), now)
        result = None
        if wait:
            _audit_failure(session, user, ip, "throttled")
        elif _password_accepted(session, user, username, password, ip, now, settings):
            assert user is not None
            _forget_session(session, old_session_id)
            result = _open_session(session, user, ip, now, second_factor_done=False)
            record_audit(session, actor=user, action="login.success", object_type="user",
                         object_id=user.username, ip=ip)  # fmt: skip
    if wait:
        raise too_many_requests(wait)
    if result is None:
        raise Problem(401, "login_failed", LOGIN_FAILED)
    return result


def _password_accepted(
    session: Session,
    user: User | None,
    username: str,
    password: str,
    ip: str,
    now: datetime,
    s: Settings,
) -> bool:
    """One argon2 verification on every path (same timing whether or not the user exists);
    every failure counts, for unknown users too (so that the answers tell nothing)."""
    matches = verify_password(user.password_hash if user else None, password)
    if user is not None and matches and user.is_active:
        forget_address(session, username, ip)
        if user.password_hash and needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return True
    reason = "unknown" if user is None else ("password" if user.is_active else "disabled")
    count_failure(session, user, username, ip, now, s)
    _audit_failure(session, user, ip, reason)
    return False


def _audit_failure(session: Session, user: User | None, ip: str, reason: str) -> None:
    record_audit(
        session,
        actor=user,
        action="login.failed",
        object_type="user" if user else "",
        object_id=user.username if user else "",
        result="failed",
        details={"reason": reason},
        ip=ip,
    )


def count_failure(
    session: Session, user: User | None, username: str, ip: str, now: datetime, s: Settings
) -> None:
    """A failed password or code: counted per (username, ip) and per user; reaching the
    per-user ceiling locks the account until the window ends (audited)."""
    until = count_login_failure(session, username, ip, now, s)
    if until is None or user is None:
        return
    user.locked_until = until
    record_audit(
        session,
        actor=user,
        action="login.lockout",
        object_type="user",
        object_id=user.username,
        result="denied",
        details={"minutes": math.ceil((until - now).total_seconds() / 60)},
        ip=ip,
    )


def _open_session(
    session: Session, user: User, ip: str, now: datetime, *, second_factor_done: bool
) -> NewSession:
    raw = new_session_id()
    row = AuthSession(
        user=user,
        token_hash=digest(raw),
        created_at=now,
        last_seen_at=now,
        second_factor_done=second_factor_done,
        ip=ip,
    )
    session.add(row)
    session.flush()
    return NewSession(raw, row)


def _forget_session(session: Session, raw_session_id: str | None) -> None:
    if raw_session_id:
        session.execute(delete(AuthSession).where(AuthSession.token_hash == digest(raw_session_id)))


def do_logout(session: Session, auth_session: AuthSession, *, ip: str = "") -> None:
    with transaction(session):
        user = auth_session.user
        session.delete(auth_session)
        record_audit(
            session,
            actor=user,
            action="logout",
            object_type="user",
            object_id=user.username,
            ip=ip,
        )


def second_factor_state(user: User, auth_session: AuthSession | None, s: Settings) -> str | None:
    """What the session still owes: "verify" (enrolled), "enrol" (required, not enrolled) or
    None (nothing: done, or not required for this user)."""
    if auth_session is None or auth_session.second_factor_done:
        return None
    if user.totp_enabled_at is not None:
        return "verify"
    if user.role in s.totp_required_roles:
        return "enrol"
    return None


def do_start_totp_enrolment(session: Session, user: User) -> str:
    """A fresh secret, kept pending until a code from it is confirmed; returns the secret."""
    if user.totp_enabled_at is not None:
        raise Problem(409, "totp_enrolled", "已启用动态口令 / TOTP already enrolled")
    secret = totp.new_secret()
    with transaction(session):
        user.totp_pending_enc = totp.seal(secret)
    return secret


def do_confirm_totp(
    session: Session,
    auth_session: AuthSession,
    code: str,
    *,
    ip: str = "",
    now: datetime | None = None,
) -> tuple[NewSession, list[str]]:
    """Enable TOTP with a code from the pending secret; new recovery codes; renewed session."""
    user, now = auth_session.user, now or utcnow()
    if user.totp_pending_enc is None or user.totp_enabled_at is not None:
        raise Problem(409, "no_pending_totp", "请先开始绑定 / start the enrolment first")
    secret = totp.unseal(user.totp_pending_enc)
    step = totp.matching_step(secret, code, now, None)
    if step is None:
        raise Problem(422, "wrong_code", CODE_FAILED)
    codes = new_recovery_codes()
    with transaction(session):
        user.totp_secret_enc, user.totp_pending_enc = user.totp_pending_enc, None
        user.totp_enabled_at, user.totp_last_step = now, step
        session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        session.add_all(RecoveryCode(user_id=user.id, code_hash=recovery_hash(c)) for c in codes)
        renewed = _renew(session, auth_session, ip, now)
        record_audit(
            session,
            actor=user,
            action="totp.enrol",
            object_type="user",
            object_id=user.username,
            ip=ip,
        )
    return renewed, codes


def do_verify_second_factor(
    session: Session,
    auth_session: AuthSession,
    code: str,
    *,
    ip: str = "",
    now: datetime | None = None,
    settings: Settings | None = None,
) -> NewSession:
    """Accept a TOTP code (not a replayed one) or an unused recovery code; renew the session.
    Wrong codes count towards the login throttle like wrong passwords."""
    user, now, s = auth_session.user, now or utcnow(), settings or get_settings()
    if user.totp_secret_enc is None:
        raise Problem(409, "totp_not_enrolled", "尚未绑定动态口令 / TOTP not enrolled")
    with transaction(session):
        wait = wait_seconds(session, login_keys(user.username, ip), now)
        how = None if wait else _accept_code(session, user, code, now)
        if how is None and not wait:
            count_failure(session, user, user.username, ip, now, s)
        renewed = _renew(session, auth_session, ip, now) if how else None
        record_audit(
            session,
            actor=user,
            action="login.second_factor" if how else "login.second_factor_failed",
            object_type="user",
            object_id=user.username,
            result="ok" if how else "failed",
            details={"by": how} if how else ({"reason": "throttled"} if wait else {}),
            ip=ip,
        )
    if wait:
        raise too_many_requests(wait)
    if renewed is None:
        raise Problem(401, "wrong_code", CODE_FAILED)
    return renewed


def _accept_code(session: Session, user: User, code: str, now: datetime) -> str | None:
    assert user.totp_secret_enc is not None
    step = totp.matching_step(totp.unseal(user.totp_secret_enc), code, now, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return "totp"
    row = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return None
    row.used_at = now
    user.failed_logins = 0
    return "recovery_code"


def _renew(session: Session, auth_session: AuthSession, ip: str, now: datetime) -> NewSession:
    """Replace the half-authenticated session by a new, fully authenticated one."""
    user = auth_session.user
    session.delete(auth_session)
    return _open_session(session, user, ip, now, second_factor_done=True)


def do_reset_totp(session: Session, user: User, *, actor: User, ip: str = "") -> None:
    """Security admin: clear a lost second factor; the user enrols again at next login."""
    with transaction(session):
        user.totp_secret_enc = user.totp_pending_enc = None
        user.totp_enabled_at = user.totp_last_step = None
        session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        end_sessions(session, user)
        record_audit(
            session,
            actor=actor,
            action="totp.reset",
            object_type="user",
            object_id=user.username,
            ip=ip,
        )


def end_sessions(session: Session, user: User) -> None:
    """Log the user out everywhere (inside the caller's transaction)."""
    session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
