"""FastAPI dependencies shared by every domain's api.py and pages.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from grassroots.accounts.authn import (
    CSRF_FIELD,
    CSRF_HEADER,
    Authenticated,
    authenticate,
    csrf_ok,
)
from grassroots.accounts.models import User
from grassroots.accounts.permissions import ALL_PERMISSIONS
from grassroots.audit.actions import record_audit, set_acting_token
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.ratelimit.limits import client_ip

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request (writes go through transaction(): the one writer on SQLite).
    async: making the session does no I/O, and neither does closing it unless that ends a
    transaction on a database server (a round trip): only then is the close handed to a
    worker thread (each hand-over costs ~50 µs of CPU)."""
    state = request.app.state
    factory = state.read_sessions if request.method in SAFE_METHODS else state.write_sessions
    session: Session = factory()
    try:
        yield session
    finally:
        if _close_waits(session):
            await run_in_threadpool(session.close)
        else:
            session.close()


def _close_waits(session: Session) -> bool:
    """Whether closing the session may wait for I/O: it ends a transaction on PostgreSQL.
    Nothing open means nothing to end; ending a SQLite transaction is a call into the
    library in this process (a request's write transactions are committed inside
    transaction() on the writer's connection, so what is left is a read, whose end
    only releases its WAL snapshot)."""
    if not session.in_transaction():
        return False
    bind = session.get_bind()
    return bind.dialect.name != "sqlite"


DbSession = Annotated[Session, Depends(get_session)]


async def submitted_csrf(request: Request) -> str:
    """The CSRF token a write carries: the X-CSRF-Token header, or the form's csrf_token."""
    header = request.headers.get(CSRF_HEADER, "")
    if header or request.method in SAFE_METHODS:
        return header
    if request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


def audit_refusal(
    request: Request, session: Session, user: User | None, action: str, details: dict[str, Any]
) -> None:
    """Refusals are audited in a writer transaction of their own (the request's may be a
    read-only one, and the refusal must be recorded even though the request fails). The
    request's transaction ends first: on SQLite it may hold the write lock. The user is
    detached first so that its loaded id and name survive the rollback without a reload."""
    if user is not None and user in session:
        session.expunge(user)
    session.rollback()
    with request.app.state.write_sessions() as ws, transaction(ws):
        record_audit(
            ws,
            actor=user,
            action=action,
            object_type="route",
            object_id=request.url.path[:64],
            result="denied",
            details=details,
            ip=client_ip(request),
        )


def authenticated(
    request: Request, session: DbSession, csrf: Annotated[str, Depends(submitted_csrf)]
) -> Authenticated:
    """Any valid session (even one that still owes its second factor) or bearer token.

    Only the login steps use this directly; everything else goes through current_user.
    Cookie-authenticated writes must carry the session's CSRF token.
    """
    auth = authenticate(request, session)
    if auth is None:
        raise Problem(401, "unauthenticated", "请先登录 / authentication required")
    request.state.auth = auth  # pages and the menu show what it may do (request_permissions)
    if request.method not in SAFE_METHODS and not csrf_ok(auth, csrf):
        audit_refusal(request, session, auth.user, "access.csrf_refused", {})
        raise Problem(403, "csrf_failed", "页面已过期，请刷新后重试 / CSRF token missing or wrong")
    return auth


# Read back by the access matrix: routes that accept a session still owing its second factor.
authenticated.auth_stage = "password"  # type: ignore[attr-defined]
Authn = Annotated[Authenticated, Depends(authenticated)]


async def current_auth(auth: Authn) -> Authenticated:
    """A fully authenticated request: the second factor, where owed, has been given.
    (async: it does no I/O, and FastAPI runs a plain def dependency on a worker thread.)
    Every audit row the request writes names its API token, if any: async also makes that
    setting reach the handler (a worker thread's would stay there)."""
    set_acting_token(auth.token.id if auth.token is not None else None)
    if auth.pending == "verify":
        raise Problem(401, "second_factor_required", "请输入动态口令 / enter your TOTP code")
    if auth.pending == "enrol":
        raise Problem(
            401, "totp_enrolment_required", "请先绑定动态口令 / enrol a TOTP authenticator first"
        )
    return auth


FullAuth = Annotated[Authenticated, Depends(current_auth)]


async def current_user(auth: FullAuth) -> User:
    """The acting user of a fully authenticated session or bearer token."""
    return auth.user


CurrentUser = Annotated[User, Depends(current_user)]


async def current_permissions(auth: FullAuth) -> frozenset[str]:
    """What the request may do (role ∩ token scopes), for a handler that decides more than
    its route's one permission, e.g. whether a document shows names in full."""
    return auth.permissions


Permissions = Annotated[frozenset[str], Depends(current_permissions)]


def requires(permission: str) -> Any:
    """Route dependency: the request must hold `permission`: the acting user's role has it
    and a bearer token has it in its scopes (Authenticated.permissions, the one check).

    Every route but the public ones declares exactly one; the access-matrix test reads it
    back from the route table. A refusal is audited and answered 403.
    """
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    async def check(request: Request, auth: FullAuth, session: DbSession) -> User:
        # async: the check itself does no I/O (FastAPI would run a plain def on a worker
        # thread, a hand-over that costs more than the check); a refusal's audit does.
        if not auth.may(permission):
            request.state.refused_user = auth.user  # pages send the user to their own start page
            details = {"permission": permission}
            await run_in_threadpool(
                audit_refusal, request, session, auth.user, "access.denied", details
            )
            raise Problem(403, "forbidden", "无权执行此操作 / not allowed")
        return auth.user

    check.permission = permission  # type: ignore[attr-defined]
    return Depends(check)
