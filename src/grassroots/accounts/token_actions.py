"""API tokens for integrations: created (shown once), scoped, expiring, revocable."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from grassroots.accounts.credentials import TOKEN_PREFIX, digest, new_api_token
from grassroots.accounts.models import ApiToken, User
from grassroots.accounts.permissions import permissions_of
from grassroots.audit.actions import record_audit
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem


def do_create_token(
    session: Session,
    user: User,
    *,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime | None = None,
    actor: User | None,
    ip: str = "",
) -> tuple[ApiToken, str]:
    """A new token for `user` limited to `scopes` (a subset of the user's permissions).
    Returns the row and the token itself, which is shown once and never stored."""
    wanted = _checked_scopes(user, scopes)
    if expires_at is not None and expires_at <= utcnow():
        raise Problem(422, "bad_expiry", "过期时间须在将来 / expiry must be in the future")
    raw = new_api_token()
    with transaction(session):
        token = ApiToken(
            user=user,
            name=name,
            token_hash=digest(raw),
            prefix=raw[: len(TOKEN_PREFIX) + 6],
            scopes=wanted,
            expires_at=expires_at,
        )
        session.add(token)
        session.flush()
        record_audit(
            session,
            actor=actor,
            action="token.create",
            object_type="api_token",
            object_id=token.id,
            details={"user": user.username, "scopes": wanted},
            ip=ip,
        )
    return token, raw


def _checked_scopes(user: User, scopes: Iterable[str]) -> list[str]:
    wanted = sorted(set(scopes))
    beyond = [p for p in wanted if p not in permissions_of(user.role)]
    if not wanted or beyond:
        raise Problem(
            422,
            "bad_scopes",
            "令牌权限须为该用户权限的非空子集 / scopes must be a non-empty subset of the user's "
            f"permissions; not allowed: {', '.join(beyond) or '(none given)'}",
        )
    return wanted


def do_revoke_token(session: Session, token: ApiToken, *, actor: User | None, ip: str = "") -> None:
    with transaction(session):
        if token.revoked_at is None:
            token.revoked_at = utcnow()
        record_audit(
            session,
            actor=actor,
            action="token.revoke",
            object_type="api_token",
            object_id=token.id,
            details={"user": token.user.username},
            ip=ip,
        )
