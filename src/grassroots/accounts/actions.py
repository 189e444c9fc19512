"""Writes to accounts. Each do_* owns one transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Unit


def do_create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    jurisdiction_code: str | None,
    unit_code: str | None = None,
) -> User:
    with transaction(session):
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Problem(409, "user_exists", f"用户名 {username} 已存在 / user exists")
        jurisdiction = _current_jurisdiction(session, jurisdiction_code)
        unit = None
        if unit_code is not None:
            unit = session.scalar(select(Unit).where(Unit.code == unit_code))
            if unit is None:
                raise Problem(422, "unknown_unit", f"单位 {unit_code} 不存在 / unknown unit")
        user = User(
            username=username,
            display_name=display_name,
            role=role.value,
            jurisdiction=jurisdiction,
            unit=unit,
        )
        session.add(user)
    return user


def _current_jurisdiction(session: Session, code: str | None) -> Jurisdiction | None:
    if code is None:
        return None
    row = session.scalar(
        select(Jurisdiction).where(Jurisdiction.code == code, Jurisdiction.valid_to.is_(None))
    )
    if row is None:
        raise Problem(422, "unknown_jurisdiction", f"区划 {code} 不存在 / unknown jurisdiction")
    return row
