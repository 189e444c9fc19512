"""Reads of grid posts: who serves a grid on a day, a grid's history, the vacancies under a
node, whom a new case in a grid goes to, and access_grid_posts (who may change them).

Every function takes the day it asks about (a China date: grassroots.calendar.today decides
it in the callers, above this layer). A post serves from start_on to end_on, both inclusive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Date, bindparam, or_, select
from sqlalchemy.orm import Session, joinedload

from grassroots.accounts.models import User
from grassroots.accounts.permissions import granted
from grassroots.db import execute_core
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level
from grassroots.geo.posts.models import GridPost, PostKind
from grassroots.scope import current_jurisdiction, in_subtree

# Posts above the village may change the posts of the grids below them (乡镇、县).
MANAGING_LEVELS = frozenset({Level.province, Level.city, Level.county, Level.township})
# Who may serve a grid: staff who register and handle cases.
SERVING_ROLES = frozenset({"grid_worker", "mediator", "centre_staff", "leader"})


def serving_on(day: date) -> ColumnElement[bool]:
    """SQL: the post serves on `day`."""
    return (GridPost.start_on <= day) & or_(GridPost.end_on.is_(None), GridPost.end_on >= day)


def may_manage_posts(actor: User, grid_code: str) -> bool:
    """Township and county administrators (geo.write) over their own subtree."""
    post = actor.jurisdiction
    return (
        "geo.write" in granted(actor.role)
        and post is not None
        and Level(post.level) in MANAGING_LEVELS
        and in_subtree(actor, grid_code)
    )


def access_grid_posts(session: Session, actor: User, grid_code: str) -> Jurisdiction:
    """The current grid whose posts `actor` may change; 404 alike when absent or not allowed."""
    grid = current_jurisdiction(session, grid_code)
    if grid is None or grid.level != Level.grid or not may_manage_posts(actor, grid.code):
        raise Problem(404, "grid_not_found", f"网格 {grid_code} 不存在 / no such grid")
    return grid


def readable_grid(session: Session, reader: User, grid_code: str) -> Jurisdiction:
    """A current grid in the reader's subtree; 404 alike when absent or outside it."""
    grid = current_jurisdiction(session, grid_code)
    if grid is None or grid.level != Level.grid or not in_subtree(reader, grid.code):
        raise Problem(404, "grid_not_found", f"网格 {grid_code} 不存在 / no such grid")
    return grid


def posts_on(session: Session, grid_ids: Sequence[int], day: date) -> list[GridPost]:
    """The posts serving any of the grids on `day`: 网格长 first, then by start date."""
    if not grid_ids:
        return []
    stmt = (
        select(GridPost)
        .options(joinedload(GridPost.user))
        .where(GridPost.grid_id.in_(list(grid_ids)), serving_on(day))
        .order_by(GridPost.grid_id, GridPost.kind, GridPost.start_on, GridPost.id)
    )
    return list(session.scalars(stmt))


def history(session: Session, grid_id: int) -> list[GridPost]:
    """Every post the grid has had, newest first (the grid's history)."""
    stmt = (
        select(GridPost)
        .options(joinedload(GridPost.user))
        .where(GridPost.grid_id == grid_id)
        .order_by(GridPost.start_on.desc(), GridPost.id.desc())
    )
    return list(session.scalars(stmt))


def access_post(session: Session, actor: User, post_id: int) -> GridPost:
    """One post the actor may change (its grid's posts); 404 alike when absent or not allowed."""
    post = session.get(GridPost, post_id)
    if post is None or not may_manage_posts(actor, post.grid.code):
        raise Problem(404, "post_not_found", "任职记录不存在 / no such post")
    return post


# 网格员 before 网格长, then the longest serving: whom a new case in the grid goes to.
_ROUTING_ORDER = (GridPost.kind.desc(), GridPost.start_on, GridPost.id)


@dataclass(frozen=True)
class Worker:
    id: int
    username: str


# Built once (constructing it cost as much as running it): the day and the grid are parameters.
_DAY = bindparam("day", type_=Date)
_SERVING_ON_DAY = (GridPost.start_on <= _DAY) & or_(
    GridPost.end_on.is_(None), GridPost.end_on >= _DAY
)
_CASE_WORKER = (
    select(User.id, User.username)
    .select_from(GridPost)
    .join(User, User.id == GridPost.user_id)
    .where(GridPost.grid_id == bindparam("grid_id"), User.is_active)
    .where(_SERVING_ON_DAY)
    .order_by(*_ROUTING_ORDER)
    .limit(1)
)


_SERVES = (
    select(GridPost.id)
    .where(GridPost.user_id == bindparam("user_id"), GridPost.grid_id == bindparam("grid_id"))
    .where(_SERVING_ON_DAY)
    .limit(1)
)


def serves(session: Session, user_id: int, grid_id: int, day: date) -> bool:
    """Whether the person serves the grid (网格长 or 网格员) on `day` (a round is recorded
    per grid and day: one indexed read, no objects loaded)."""
    params = {"user_id": user_id, "grid_id": grid_id, "day": day}
    return execute_core(session, _SERVES, params).first() is not None


def case_worker(session: Session, grid_id: int, day: date) -> Worker | None:
    """The user a case registered in the grid on `day` is assigned to: the grid's 网格员
    serving that day (the longest serving one if several), else its 网格长; None: vacant."""
    row = execute_core(session, _CASE_WORKER, {"grid_id": grid_id, "day": day}).first()
    return Worker(row.id, row.username) if row is not None else None


@dataclass(frozen=True)
class Vacancy:
    grid: Jurisdiction
    no_leader: bool
    no_worker: bool


def vacancies(session: Session, under: Jurisdiction, day: date) -> list[Vacancy]:
    """The current grids below `under` that lack a 网格长 or a 网格员 on `day`."""
    grids = session.scalars(
        select(Jurisdiction)
        .where(
            Jurisdiction.level == Level.grid.value,
            Jurisdiction.valid_to.is_(None),
            Jurisdiction.code.startswith(under.prefix),
        )
        .order_by(Jurisdiction.code)
    ).all()
    kinds: dict[int, set[str]] = {}
    for post in posts_on(session, [g.id for g in grids], day):
        kinds.setdefault(post.grid_id, set()).add(post.kind)
    out = []
    for g in grids:
        held = kinds.get(g.id, set())
        if PostKind.leader not in held or PostKind.worker not in held:
            out.append(Vacancy(g, PostKind.leader not in held, PostKind.worker not in held))
    return out


def posts_of_user(session: Session, user_id: int, day: date) -> list[GridPost]:
    """The grids a person serves on `day` (a worker may serve several)."""
    stmt = (
        select(GridPost)
        .options(joinedload(GridPost.grid))
        .where(GridPost.user_id == user_id, serving_on(day))
        .order_by(GridPost.grid_id)
    )
    return list(session.scalars(stmt))


def candidates(session: Session, grid: Jurisdiction) -> list[User]:
    """Active staff who may serve the grid: a serving role, posted where the grid lies."""
    stmt = (
        select(User)
        .options(joinedload(User.jurisdiction))
        .where(
            User.is_active, User.role.in_(sorted(SERVING_ROLES)), User.jurisdiction_id.is_not(None)
        )
        .order_by(User.username)
    )
    return [u for u in session.scalars(stmt) if in_subtree(u, grid.code)]


def grid_path(grid: Jurisdiction) -> list[Jurisdiction]:
    """The grid's ancestors from the county down (for the page heading)."""
    path: list[Jurisdiction] = []
    node = grid.parent
    while node is not None and node.level != Level.city:
        path.insert(0, node)
        node = node.parent
    return path
