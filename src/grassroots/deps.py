"""FastAPI dependencies shared by every domain's api.py and pages.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
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
