"""Writes to user accounts (create, roles, enable/disable, passwords). Each do_* owns one
transaction and writes its audit row inside it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from grassroots.accounts.login.actions import count_failure, end_sessions
from grassroots.accounts.login.passwords import check_policy, hash_password, verify_password
from grassroots.accounts.login.throttle import (
    count_token_failure,
    forget_user,
    login_keys,
    token_key,
    wait_seconds,
)
from grassroots.accounts.models import ApiToken, AuthSession, Role, User
from grassroots.audit.actions import record_audit
from grassroots.config import Settings, get_settings
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Unit
from grassroots.ratelimit.limits import too_many_requests
from grassroots.scope import current_jurisdiction, in_subtree


def do_create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    jurisdiction_code: str | None,
    unit_code: str | None = None,
    password: str | None = None,
    actor: User | None = None,
    ip: str = "",
) -> User:
    """A new account; without a password it cannot log in until one is set. An actor with
    a post creates accounts only within it (the API and the admin page rely on this)."""
    with transaction(session):
        _must_be_in_scope(actor, jurisdiction_code)
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Problem(409, "user_exists", f"用户名 {username} 已存在 / user exists")
        jurisdiction = _current_jurisdiction(session, jurisdiction_code)
        unit = _unit(session, unit_code)
        user = User(
            username=username,
            display_name=display_name,
            role=role.value,
            jurisdiction=jurisdiction,
            unit=unit,
        )
        if password is not None:
            check_policy(password, username=username)
            user.password_hash = hash_password(password)
            user.password_changed_at = utcnow()
        session.add(user)
        session.flush()
        record_audit(
            session,
            actor=actor,
            action="user.create",
            object_type="user",
            object_id=username,
            details={"role": role.value, "jurisdiction": jurisdiction_code or ""},
            ip=ip,
        )
    return user


def do_set_role(
    session: Session, user: User, role: Role, *, actor: User | None, ip: str = ""
) -> User:
    """Change a user's role (roles.grant). Ends their sessions and tokens: the old rights go."""
    if actor is not None and actor.id == user.id:
        raise Problem(409, "own_role", "不能修改自己的角色 / you cannot change your own role")
    with transaction(session):
        old = user.role
        user.role = role.value
        _end_sessions_and_tokens(session, user)
        record_audit(
            session,
            actor=actor,
            action="user.role_change",
            object_type="user",
            object_id=user.username,
            details={"from": old, "to": role.value},
            ip=ip,
        )
    return user


def do_disable_user(session: Session, user: User, *, actor: User | None, ip: str = "") -> User:
    """Disable an account: its sessions end and its tokens are revoked at once."""
    if actor is not None and actor.id == user.id:
        raise Problem(409, "disable_self", "不能停用自己的账户 / you cannot disable yourself")
    with transaction(session):
        user.is_active = False
        _end_sessions_and_tokens(session, user)
        record_audit(
            session,
            actor=actor,
            action="user.disable",
            object_type="user",
            object_id=user.username,
            ip=ip,
        )
    return user


def do_enable_user(session: Session, user: User, *, actor: User | None, ip: str = "") -> User:
    with transaction(session):
        user.is_active = True
        user.failed_logins = 0
        user.locked_until = None
        forget_user(session, user.username)
        record_audit(
            session,
            actor=actor,
            action="user.enable",
            object_type="user",
            object_id=user.username,
            ip=ip,
        )
    return user


def do_reset_password(
    session: Session, user: User, new_password: str, *, actor: User | None, ip: str = ""
) -> User:
    """Set a password for someone else (administrator or CLI); unlocks and ends sessions."""
    check_policy(new_password, username=user.username)
    with transaction(session):
        _set_password(user, new_password)
        user.failed_logins = 0
        user.locked_until = None
        forget_user(session, user.username)
        end_sessions(session, user)
        record_audit(
            session,
            actor=actor,
            action="user.password_reset",
            object_type="user",
            object_id=user.username,
            ip=ip,
        )
    return user


def do_change_own_password(
    session: Session,
    user: User,
    current: str,
    new: str,
    *,
    keep_session_id: int,
    ip: str = "",
    token_id: int | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> None:
    """The user changes their own password; every other session of theirs ends."""
    now, s = now or utcnow(), settings or get_settings()
    _check_current_password(session, user, current, ip, token_id, now, s)
    check_policy(new, username=user.username)
    with transaction(session):
        _set_password(user, new)
        session.execute(
            delete(AuthSession).where(
                AuthSession.user_id == user.id, AuthSession.id != keep_session_id
            )
        )
        record_audit(
            session,
            actor=user,
            action="user.password_change",
            object_type="user",
            object_id=user.username,
            ip=ip,
        )


def _check_current_password(
    session: Session, user: User, current: str, ip: str, token_id: int | None, now: datetime,
    s: Settings,
) -> None:  # fmt: skip
    """A wrong current password counts: from a browser session towards the login throttle of
    (user, ip); with a bearer token only towards that token's own limit (a leaked token must
    not lock its human out). While throttled: 429, the password is not checked."""
    keys = login_keys(user.username, ip) if token_id is None else [token_key(token_id)]
    wait = wait_seconds(session, keys, now)
    if wait:
        raise too_many_requests(wait)
    if verify_password(user.password_hash, current):
        return
    with transaction(session):
        if token_id is None:
            count_failure(session, user, user.username, ip, now, s)
        else:
            count_token_failure(session, token_id, now, s)
        record_audit(session, actor=user, action="user.password_change", object_type="user",
                     object_id=user.username, result="failed",
                     details={"reason": "wrong_password"}, ip=ip)  # fmt: skip
    raise Problem(422, "wrong_password", "当前密码不正确 / current password is wrong")


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()


def _end_sessions_and_tokens(session: Session, user: User, now: datetime | None = None) -> None:
    end_sessions(session, user)
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )


def _must_be_in_scope(actor: User | None, jurisdiction_code: str | None) -> None:
    """The new account's post lies in the administrator's subtree (grassroots.scope); the
    operator's command line (no acting user) is not scoped."""
    if actor is not None and not in_subtree(actor, jurisdiction_code):
        raise Problem(403, "out_of_scope", "只能在本辖区内建立账户 / only within your jurisdiction")


def _unit(session: Session, unit_code: str | None) -> Unit | None:
    if unit_code is None:
        return None
    unit = session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise Problem(422, "unknown_unit", f"单位 {unit_code} 不存在 / unknown unit")
    if not unit.active:
        message = f"单位 {unit_code} 已停用 / unit {unit_code} is deactivated"
        raise Problem(422, "inactive_unit", message)
    return unit


def _current_jurisdiction(session: Session, code: str | None) -> Jurisdiction | None:
    if code is None:
        return None
    row = current_jurisdiction(session, code)
    if row is None:
        raise Problem(422, "unknown_jurisdiction", f"区划 {code} 不存在 / unknown jurisdiction")
    return row
