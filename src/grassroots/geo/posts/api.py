"""JSON routes of grid posts (under /api/v1): who serves a grid on a day and its history,
vacancies, and the writes of township and county administrators (geo.write)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from grassroots.accounts.models import User
from grassroots.bounds import Day, DbId
from grassroots.calendar.today import china_today
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.geo.posts import queries
from grassroots.geo.posts.actions import do_appoint, do_change_post, do_end_post
from grassroots.geo.posts.schemas import (
    GridPostsOut,
    PostChange,
    PostEnd,
    PostIn,
    PostOut,
    VacancyOut,
)
from grassroots.scope import current_jurisdiction, in_subtree

router = APIRouter(tags=["geo"])
Reader = Annotated[User, requires("geo.read")]
Manager = Annotated[User, requires("geo.write")]
Under = Annotated[str | None, Query(description="区划代码，默认本人岗位 / default: own post")]
OnDay = Annotated[Day | None, Query(description="日期（北京时间，默认今天）/ day, default today")]


@router.get("/grids/{code}/posts", response_model=GridPostsOut)
def grid_posts(session: DbSession, user: Reader, code: str, on: OnDay = None) -> GridPostsOut:
    """网格任职 / who serves the grid on a day (default today) and every post it has had."""
    grid = queries.readable_grid(session, user, code)
    day = on or china_today()
    return GridPostsOut(
        grid_code=grid.code, grid_name=grid.name, on=day,
        serving=[PostOut.of(p) for p in queries.posts_on(session, [grid.id], day)],
        history=[PostOut.of(p) for p in queries.history(session, grid.id)],
    )  # fmt: skip


@router.get("/grid-vacancies", response_model=list[VacancyOut])
def grid_vacancies(
    session: DbSession, user: Reader,
    under: Under = None, on: OnDay = None,
) -> list[VacancyOut]:  # fmt: skip
    """空缺网格 / grids below `under` without a 网格长 or 网格员 on the day."""
    node = current_jurisdiction(session, under) if under else user.jurisdiction
    if node is None or not in_subtree(user, node.code):
        raise Problem(404, "jurisdiction_not_found", "区划不存在 / no such jurisdiction")
    found = queries.vacancies(session, node, on or china_today())
    return [VacancyOut.of(v) for v in found]


@router.post("/grids/{code}/posts", status_code=201, response_model=PostOut)
def appoint(session: DbSession, user: Manager, code: str, data: PostIn) -> PostOut:
    """任命 / a new 网格长 or 网格员 post from `start_on` (409 when held that day)."""
    return PostOut.of(do_appoint(session, code, data, actor=user))


@router.post("/grid-posts/{post_id}/end", response_model=PostOut)
def end_post(session: DbSession, user: Manager, post_id: DbId, data: PostEnd) -> PostOut:
    """免职 / the post ends on `end_on` (inclusive)."""
    return PostOut.of(do_end_post(session, post_id, data, actor=user))


@router.post("/grid-posts/{post_id}/change", status_code=201, response_model=PostOut)
def change_post(session: DbSession, user: Manager, post_id: DbId, data: PostChange) -> PostOut:
    """换人 / the successor serves from `on`, the old post ends the day before."""
    return PostOut.of(do_change_post(session, post_id, data, actor=user))
