"""Who sees a piece of border work: a user whose subtree (grassroots.scope) holds any
jurisdiction linked to it — a meeting's participants, a hazard's owners. One rule for both;
each keeps its own access function (access_meeting, access_hazard) built on it."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Table, exists, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.db import Base, transaction
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction
from grassroots.scope import subtree_condition

Row = TypeVar("Row", bound=Base)


def linked_in_scope(user: User, link: Table, key: str, owner: Any) -> ColumnElement[bool]:
    """SQL: a jurisdiction of the link table's rows for `owner` (link.c[key] == owner) lies
    in the user's subtree."""
    return exists(
        select(link.c[key])
        .join(Jurisdiction, Jurisdiction.id == link.c.jurisdiction_id)
        .where(link.c[key] == owner, subtree_condition(user, Jurisdiction.code))
    )


def access_linked(
    session: Session, user: User, model: type[Row], row_id: int, *,
    scope: ColumnElement[bool], read_action: str, missing: str,
) -> Row:  # fmt: skip
    """The row if `scope` lets the user see it; otherwise 404 as for a missing id, and a
    denied `read_action` audit row when the row exists."""
    key = sa_inspect(model).primary_key[0]
    found = session.scalar(select(model).where(key == row_id, scope))
    if found is not None:
        return found
    if session.get(model, row_id) is not None:
        with transaction(session):
            record_audit(session, actor=user, action=read_action,
                         object_type=str(model.__tablename__), object_id=row_id,
                         result="denied")  # fmt: skip
    raise Problem(404, "not_found", missing)
