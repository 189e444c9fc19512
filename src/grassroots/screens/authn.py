"""The wall screen's own credential: a cookie on the path /screen that no other route reads.

A paired screen is not a user. Its cookie names a `screen` row (only the SHA-256 of the
value is stored) and grants what the screen routes serve and nothing else: the counters,
map and alerts of its one jurisdiction, which is stats.read of that subtree without any
personal data. Every other route authenticates through accounts.authn, which does not know
this cookie, so it answers 401 to a screen (tests/screens/test_isolation.py).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.deps import DbSession
from grassroots.errors import Problem
from grassroots.screens.models import Screen
from grassroots.screens.queries import screen_by_session

SCREEN_COOKIE = "grassroots_screen"
SCREEN_PATH = "/screen"
COOKIE_DAYS = 400  # the longest a browser keeps a cookie; revocation ends it sooner


def screen_of(request: Request, session: Session) -> Screen | None:
    """The paired screen the request's cookie names, or None."""
    raw = request.cookies.get(SCREEN_COOKIE, "")
    return screen_by_session(session, raw) if raw else None


def paired_screen(request: Request, session: DbSession) -> Screen:
    """Route dependency of the screen's data routes: 401 without a paired screen's cookie
    (a signed-in person's session or token does not count: a screen route is no one's)."""
    screen = screen_of(request, session)
    if screen is None:
        raise Problem(401, "screen_not_paired", "大屏未配对 / this screen is not paired")
    return screen


# Read back by the access matrix (tests/accounts/test_access_matrix.py): the route takes a
# paired screen's cookie and no person's credential.
paired_screen.screen_credential = True  # type: ignore[attr-defined]
PairedScreen = Annotated[Screen, Depends(paired_screen)]


def set_screen_cookie(response: Response, raw: str, settings: Settings) -> None:
    response.set_cookie(
        SCREEN_COOKIE,
        raw,
        max_age=COOKIE_DAYS * 86400,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        path=SCREEN_PATH,
    )
