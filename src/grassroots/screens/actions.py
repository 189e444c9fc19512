"""Writes of the paired screens, each in one transaction with its audit row: a pairing code
issued (the command line), a code used by the wall PC, a revocation, a preset chosen."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from grassroots.accounts.credentials import new_session_id
from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem
from grassroots.scope import current_jurisdiction, in_subtree
from grassroots.screens.models import Screen
from grassroots.screens.queries import (
    CODE_ALPHABET,
    CODE_LENGTH,
    access_screen,
    code_digest,
    screen_by_code,
    screen_named,
    session_digest,
)

PRESETS = ("standard", "map", "figures")
SCREEN_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


def new_code() -> str:
    """Eight characters of an alphabet without 0/O and 1/I, shown as ABCD-EFGH."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def check_preset(preset: str) -> str:
    if preset not in PRESETS:
        raise Problem(422, "unknown_preset", f"未知布局 / unknown preset: {preset}")
    return preset


def check_name(name: str) -> str:
    if not SCREEN_NAME.match(name):
        raise Problem(422, "bad_screen_name", "名称为 1–40 个字母、数字、“_”“.”或“-” / bad name")
    return name


def do_issue_code(
    session: Session,
    name: str,
    jurisdiction_code: str,
    preset: str,
    minutes: int,
    actor: User | None = None,
) -> tuple[Screen, str]:
    """A new screen NAME (or the existing one, paired again: its old session ends when the
    code is used) and its one-time pairing code, valid `minutes`; only its hash is kept.
    An administrator (`actor`) may pair only within their subtree, a screen of their subtree."""
    code = new_code()
    with transaction(session):
        node = current_jurisdiction(session, jurisdiction_code)
        if node is None or (actor is not None and not in_subtree(actor, node.code)):
            raise Problem(422, "unknown_jurisdiction", f"区划不存在 / unknown: {jurisdiction_code}")
        existing = screen_named(session, check_name(name))
        if existing is not None and actor is not None:
            existing = access_screen(session, actor, name)
        screen = existing or Screen(name=name)
        screen.jurisdiction, screen.preset = node, check_preset(preset)
        screen.code_hash, screen.revoked_at = code_digest(code), None
        screen.code_expires_at = utcnow() + timedelta(minutes=minutes)
        session.add(screen)
        session.flush()
        details = {"jurisdiction": node.code, "preset": preset, "minutes": minutes}
        record_audit(session, actor=actor, action="screen.code", object_type="screen",
                     object_id=name, details=details)  # fmt: skip
    return screen, code


def do_pair(session: Session, code: str, ip: str, now: datetime | None = None) -> str | None:
    """The wall PC's code: a new session for its screen (the raw cookie value, only its hash
    kept), the code spent. None for a wrong, used or expired code (audited as denied)."""
    raw = new_session_id()
    with transaction(session):
        screen = screen_by_code(session, code, now or utcnow())
        if screen is None:  # a wrong guess is kept too (the code itself is not)
            record_audit(session, actor=None, action="screen.pair", object_type="screen",
                         result="denied", ip=ip)  # fmt: skip
            return None
        screen.code_hash, screen.code_expires_at = None, None
        screen.session_hash, screen.paired_at = session_digest(raw), utcnow()
        record_audit(session, actor=None, action="screen.pair", object_type="screen",
                     object_id=screen.name, ip=ip)  # fmt: skip
    return raw


def do_revoke(session: Session, screen: Screen, actor: User | None) -> Screen:
    """End the screen's session and any unused code: it shows the pairing form again."""
    with transaction(session):
        screen.session_hash, screen.code_hash, screen.code_expires_at = None, None, None
        screen.revoked_at = utcnow()
        record_audit(session, actor=actor, action="screen.revoke", object_type="screen",
                     object_id=screen.name)  # fmt: skip
    return screen


def do_set_preset(session: Session, screen: Screen, preset: str, actor: User | None) -> Screen:
    """The layout the screen shows from its next page load (its event stream says so)."""
    with transaction(session):
        before, screen.preset = screen.preset, check_preset(preset)
        record_audit(session, actor=actor, action="screen.preset", object_type="screen",
                     object_id=screen.name, details={"from": before, "to": preset})  # fmt: skip
    return screen
