"""FastAPI dependencies shared by every domain's api.py and pages.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.accounts.permissions import ALL_PERMISSIONS, has_permission
from grassroots.audit.actions import record_audit
from grassroots.db import transaction
from grassroots.errors import Problem

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; unsafe methods get the writer (BEGIN IMMEDIATE on SQLite)."""
    state = request.app.state
    factory = state.read_sessions if request.method in SAFE_METHODS else state.write_sessions
    session: Session = factory()
    try:
        yield session
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_session)]


def current_user(request: Request, session: DbSession) -> User:
    """The acting user.

    Interim (foundation): trusts the X-Grassroots-User header, and only when the app was
    created with trust_user_header=True (tests and local development). The access-control
    issue replaces this with session cookies and bearer tokens.
    """
    if not request.app.state.trust_user_header:
        raise Problem(401, "unauthenticated", "请先登录 / authentication required")
    username = request.headers.get("X-Grassroots-User", "")
    user = session.scalar(select(User).where(User.username == username, User.is_active))
    if user is None:
        raise Problem(401, "unauthenticated", "请先登录 / authentication required")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def requires(permission: str) -> Any:
    """Route dependency: the acting user's role must hold `permission` (accounts.permissions).

    Every route but the public ones declares exactly one; the access-matrix test reads it
    back from the route table. A refusal is audited and answered 403.
    """
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def check(request: Request, user: CurrentUser, session: DbSession) -> User:
        if not has_permission(user.role, permission):
            with transaction(session):
                record_audit(
                    session,
                    actor=user,
                    action="access.denied",
                    object_type="route",
                    object_id=request.url.path,
                    result="denied",
                    details={"permission": permission},
                    ip=request.client.host if request.client else "",
                )
            raise Problem(403, "forbidden", "无权执行此操作 / not allowed")
        return user

    check.permission = permission  # type: ignore[attr-defined]
    return Depends(check)
