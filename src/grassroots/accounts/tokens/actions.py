"""API tokens for integrations: created (shown once), scoped, expiring, revocable.

A token may mint tokens (POST /auth/tokens with it): only with a subset of its own scopes and
an expiry no later than its own; the new token records it as its parent, and revoking a token
revokes every token it minted, transitively. Every token expires: settings.token_default_days
after creation when no expiry is asked for, never later than settings.token_max_days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from grassroots.accounts.credentials import TOKEN_PREFIX, digest, new_api_token
from grassroots.accounts.models import ApiToken, User
from grassroots.accounts.permissions import granted
from grassroots.accounts.queries import descendant_tokens
from grassroots.audit.actions import record_audit
from grassroots.config import Settings, get_settings
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
    parent: ApiToken | None = None,
    settings: Settings | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user` limited to `scopes`: a subset of the user's permissions and,
    when a token (`parent`) asks, of that token's scopes. Returns the row and the token
    itself, which is shown once and never stored."""
    wanted = _checked_scopes(user, scopes, parent)
    expiry = token_expiry(expires_at, parent, settings or get_settings())
    raw = new_api_token()
    with transaction(session):
        token = ApiToken(
            user=user,
            name=name,
            token_hash=digest(raw),
            prefix=raw[: len(TOKEN_PREFIX) + 6],
            scopes=wanted,
            expires_at=expiry,
            parent_id=parent.id if parent is not None else None,
        )
        session.add(token)
        session.flush()
        details: dict[str, Any] = {
            "user": user.username,
            "scopes": wanted,
            "expires_at": expiry.isoformat(),
        }
        if parent is not None:
            details["minted_by"] = parent.id
        record_audit(
            session,
            actor=actor,
            action="token.create",
            object_type="api_token",
            object_id=token.id,
            details=details,
            ip=ip,
        )
    return token, raw


def _checked_scopes(user: User, scopes: Iterable[str], parent: ApiToken | None) -> list[str]:
    wanted = sorted(set(scopes))
    beyond = [p for p in wanted if p not in granted(user.role)]
    if not wanted or beyond:
        raise Problem(
            422,
            "bad_scopes",
            "令牌权限须为该用户权限的非空子集 / scopes must be a non-empty subset of the user's "
            f"permissions; not allowed: {', '.join(beyond) or '(none given)'}",
        )
    extra = [p for p in wanted if parent is not None and p not in parent.scopes]
    if extra:
        raise Problem(
            403,
            "scope_escalation",
            "令牌只能创建其自身权限范围以内的令牌 / a token can only create tokens with a "
            f"subset of its own scopes; not held by this token: {', '.join(extra)}",
        )
    return wanted


def token_end(token: ApiToken, s: Settings) -> datetime:
    """When the token stops working: its expiry; a token made before expiry was required
    (expires_at empty) lives s.token_max_days from its creation."""
    return token.expires_at or token.created_at + timedelta(days=s.token_max_days)


def token_expiry(wanted: datetime | None, parent: ApiToken | None, s: Settings) -> datetime:
    """The expiry a new token gets: the one asked for (in the future, with a time zone,
    within the maximum lifetime and not after the minting token's), else the default."""
    now = utcnow()
    latest = now + timedelta(days=s.token_max_days)
    if wanted is None:
        default = now + timedelta(days=s.token_default_days)
        return min(default, token_end(parent, s)) if parent is not None else default
    if wanted.tzinfo is None:
        raise Problem(
            422, "naive_expiry", "过期时间须带时区，如 2027-01-01T00:00+08:00 / expiry needs a zone"
        )
    if wanted <= now:
        raise Problem(422, "bad_expiry", "过期时间须在将来 / expiry must be in the future")
    if wanted > latest:
        raise Problem(
            422,
            "expiry_too_late",
            f"令牌最长有效 {s.token_max_days} 天 / a token lives at most {s.token_max_days} days",
        )
    if parent is not None and wanted > (end := token_end(parent, s)):
        raise Problem(
            403,
            "expiry_escalation",
            "令牌不能创建比自身更晚过期的令牌 / a token cannot create a token that expires "
            f"after it does ({end.isoformat()})",
        )
    return wanted


def do_revoke_token(session: Session, token: ApiToken, *, actor: User | None, ip: str = "") -> None:
    """Revoke the token and every token it minted (and they minted ...), in one transaction,
    one audit row each."""
    with transaction(session):
        now = utcnow()
        _revoke(session, token, now, actor=actor, ip=ip, details={})
        for child in descendant_tokens(session, token):
            details: dict[str, Any] = {"minted_by": child.parent_id, "because_revoked": token.id}
            _revoke(session, child, now, actor=actor, ip=ip, details=details)


def _revoke(
    session: Session,
    token: ApiToken,
    now: datetime,
    *,
    actor: User | None,
    ip: str,
    details: dict[str, Any],
) -> None:
    if token.revoked_at is None:
        token.revoked_at = now
    record_audit(
        session,
        actor=actor,
        action="token.revoke",
        object_type="api_token",
        object_id=token.id,
        details={"user": token.user.username, **details},
        ip=ip,
    )
