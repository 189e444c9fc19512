"""Reads of 排查 rounds: who may record a round in a grid on a day, access_round, and the
lists per grid and per worker (always inside the reader's subtree)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from grassroots.accounts.models import Role, User
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level
from grassroots.geo.posts.queries import posts_of_user, serves
from grassroots.rounds.models import PatrolRound, RoundMatter
from grassroots.scope import current_jurisdiction, in_subtree, subtree_condition

LIST_LIMIT = 200


def _no_grid(code: str) -> Problem:
    return Problem(404, "grid_not_found", f"网格 {code} 不存在 / no such grid")


def may_record(session: Session, actor: User, grid: Jurisdiction, day: date) -> bool:
    """A 网格员 records rounds only in a grid they serve on that day; staff of other roles
    (who may register cases) record in any grid of their subtree."""
    if not in_subtree(actor, grid.code):
        return False
    if actor.role == Role.grid_worker:
        return serves(session, actor.id, grid.id, day)
    return True


def recordable_grid(session: Session, actor: User, grid_code: str, day: date) -> Jurisdiction:
    """The current grid the actor may record a round in on `day`: 404 beyond their subtree,
    403 inside it when they were not posted to the grid that day."""
    grid = current_jurisdiction(session, grid_code)
    if grid is None or grid.level != Level.grid or not in_subtree(actor, grid.code):
        raise _no_grid(grid_code)
    if not may_record(session, actor, grid, day):
        message = "该日您未在此网格任职 / you did not serve this grid on that day"
        errors = [{"field": "grid_code", "message": message}]
        raise Problem(403, "not_posted", message, errors=errors)
    return grid


def recordable_grids(session: Session, actor: User, day: date) -> list[Jurisdiction]:
    """The grids the record form offers: a 网格员's own grids that day, else the subtree's."""
    if actor.role == Role.grid_worker:
        return [p.grid for p in posts_of_user(session, actor.id, day)]
    stmt = (
        select(Jurisdiction)
        .where(
            Jurisdiction.level == Level.grid.value,
            Jurisdiction.valid_to.is_(None),
            subtree_condition(actor, Jurisdiction.code),
        )
        .order_by(Jurisdiction.code)
    )
    return list(session.scalars(stmt))


def access_round(session: Session, reader: User, round_id: int) -> PatrolRound:
    """One round in the reader's subtree; 404 alike when absent or beyond it."""
    found = session.get(PatrolRound, round_id)
    if found is None or not in_subtree(reader, found.grid_code):
        raise Problem(404, "round_not_found", "排查记录不存在 / no such round")
    return found


def rounds(
    session: Session, reader: User, *, grid_code: str | None = None,
    worker: str | None = None, first: date | None = None, after: date | None = None,
) -> list[PatrolRound]:  # fmt: skip
    """Rounds in the reader's subtree, newest first: of one grid, or recorded by one
    worker, in [first, after) — at most LIST_LIMIT."""
    stmt = (
        select(PatrolRound)
        .options(
            joinedload(PatrolRound.grid), joinedload(PatrolRound.recorded_by),
            selectinload(PatrolRound.matters).joinedload(RoundMatter.case),
        )
        .where(subtree_condition(reader, PatrolRound.grid_code))
        .order_by(PatrolRound.held_on.desc(), PatrolRound.id.desc())
        .limit(LIST_LIMIT)
    )  # fmt: skip
    if grid_code:
        stmt = stmt.where(PatrolRound.grid_code == grid_code)
    if worker:
        stmt = stmt.join(User, User.id == PatrolRound.recorded_by_id).where(User.username == worker)
    if first is not None:
        stmt = stmt.where(PatrolRound.held_on >= first)
    if after is not None:
        stmt = stmt.where(PatrolRound.held_on < after)
    return list(session.scalars(stmt).unique())


MONTH_PATTERN = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$"


def month_range(month: str | None) -> tuple[date | None, date | None]:
    """'2026-03' → (2026-03-01, 2026-04-01); None → (None, None)."""
    if not month:
        return None, None
    year, number = int(month[:4]), int(month[5:7])
    first = date(year, number, 1)
    after = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    return first, after
