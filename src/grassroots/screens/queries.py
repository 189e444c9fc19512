"""Reads of the paired screens: by name, by pairing code, by session cookie, and the
administrator's list (the screens of the jurisdictions in their subtree)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.credentials import digest
from grassroots.accounts.models import User
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level
from grassroots.scope import in_subtree, subtree_condition
from grassroots.screens.models import Screen

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand
CODE_LENGTH = 8


def normalise_code(code: str) -> str:
    """What a person typed, as the code was issued: capitals, no dashes or spaces."""
    return "".join(code.split()).replace("-", "").upper()


def code_digest(code: str) -> str:
    return digest("screen-pair:" + normalise_code(code))


def session_digest(raw: str) -> str:
    return digest("screen-session:" + raw)


def screen_named(session: Session, name: str) -> Screen | None:
    return session.scalar(select(Screen).where(Screen.name == name))


def screen_by_code(session: Session, code: str, now: datetime) -> Screen | None:
    """The screen a pairing code was issued for, while it is unused, unexpired, unrevoked."""
    normal = normalise_code(code)
    if len(normal) != CODE_LENGTH or set(normal) - set(CODE_ALPHABET):
        return None
    screen = session.scalar(select(Screen).where(Screen.code_hash == code_digest(normal)))
    if screen is None or screen.revoked_at is not None or screen.code_expires_at is None:
        return None
    return screen if screen.code_expires_at > now else None


def screen_by_session(session: Session, raw: str) -> Screen | None:
    """The paired, unrevoked screen whose session cookie is `raw`."""
    if not 32 <= len(raw) <= 64:
        return None
    screen = session.scalar(select(Screen).where(Screen.session_hash == session_digest(raw)))
    return screen if screen is not None and screen.revoked_at is None else None


def all_screens(session: Session) -> Sequence[Screen]:
    """Every screen, for the command line (the operator is not scoped)."""
    return session.scalars(select(Screen).order_by(Screen.name)).all()


def screens_of(session: Session, user: User) -> Sequence[Screen]:
    """The screens showing a jurisdiction in the administrator's subtree."""
    stmt = (
        select(Screen)
        .join(Jurisdiction, Screen.jurisdiction_id == Jurisdiction.id)
        .where(subtree_condition(user, Jurisdiction.code))
        .order_by(Screen.name)
    )
    return session.scalars(stmt).all()


def pairable_jurisdictions(session: Session, user: User) -> Sequence[Jurisdiction]:
    """The areas an administrator may put on a screen: the current nodes of their subtree
    above the grid level (a grid is too small for a wall), by code."""
    stmt = (
        select(Jurisdiction)
        .where(
            subtree_condition(user, Jurisdiction.code),
            Jurisdiction.valid_to.is_(None),
            Jurisdiction.level != Level.grid.value,
        )
        .order_by(Jurisdiction.code)
    )
    return session.scalars(stmt).all()


def access_screen(session: Session, user: User, name: str) -> Screen:
    """Screen `name` if it shows a jurisdiction in the user's subtree; otherwise 404
    exactly as for a name that does not exist."""
    screen = screen_named(session, name)
    if screen is None or not in_subtree(user, screen.jurisdiction.code):
        raise Problem(404, "not_found", f"大屏 {name} 不存在 / screen not found")
    return screen
