"""Writes to grid posts (township and county administrators over their subtree).

Each do_* owns one transaction with its audit row. A post is never deleted: ending it sets
end_on, a change of worker ends the old post the day before and starts the new one, so the
rows stay the grid's history (who served it on a date). Cases already assigned keep their
assignee; only cases registered from the new post's first day go to the new worker.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction
from grassroots.geo.posts.models import GridPost, PostKind
from grassroots.geo.posts.queries import SERVING_ROLES, access_grid_posts, access_post
from grassroots.geo.posts.schemas import PostChange, PostEnd, PostIn
from grassroots.scope import in_subtree


def _invalid(field: str, message: str, status: int = 422, code: str = "bad_post") -> Problem:
    return Problem(
        status, code, f"任职信息有误 / invalid post: {message}",
        errors=[{"field": field, "message": message}],
    )  # fmt: skip


def _serving_user(session: Session, username: str, grid: Jurisdiction) -> User:
    """An active staff member posted where the grid lies (so that they see its cases)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active or user.role not in SERVING_ROLES:
        raise _invalid("username", f"{username} 不是可任职的在岗人员 / not an active staff member")
    if not in_subtree(user, grid.code):
        raise _invalid("username", f"{username} 的岗位不含该网格 / the grid is outside their post")
    return user


def _check_overlap(
    session: Session, grid: Jurisdiction, user: User, kind: str, start: date
) -> None:
    """One 网格长 per grid on any day; nobody holds the same post twice on one day."""
    clash = select(GridPost.id).where(
        GridPost.grid_id == grid.id, GridPost.kind == kind,
        (GridPost.end_on.is_(None)) | (GridPost.end_on >= start),
    )  # fmt: skip
    if kind == PostKind.worker:
        clash = clash.where(GridPost.user_id == user.id)
    if session.scalar(clash.limit(1)) is not None:
        what = "该网格已有网格长" if kind == PostKind.leader else "此人已在该网格任网格员"
        raise _invalid("start_on", f"{what} / the post is held on that day", 409, "post_taken")


def _audit(session: Session, actor: User, action: str, post: GridPost, **details: object) -> None:
    record_audit(
        session, actor=actor, action=f"grid_post.{action}", object_type="grid_post",
        object_id=post.id, details={"grid": post.grid.code, "kind": post.kind, **details},
    )  # fmt: skip


def _appoint(session: Session, grid: Jurisdiction, data: PostIn, actor: User) -> GridPost:
    user = _serving_user(session, data.username, grid)
    _check_overlap(session, grid, user, data.kind.value, data.start_on)
    post = GridPost(grid=grid, user=user, kind=data.kind.value, start_on=data.start_on)
    session.add(post)
    session.flush()
    _audit(session, actor, "appoint", post, user=user.username, start_on=data.start_on)
    return post


def do_appoint(session: Session, grid_code: str, data: PostIn, *, actor: User) -> GridPost:
    """A new post in the grid from `start_on` (409 when the post is already held then)."""
    with transaction(session):
        grid = access_grid_posts(session, actor, grid_code)
        post = _appoint(session, grid, data, actor)
    return post


def _end(session: Session, post: GridPost, end_on: date, actor: User) -> None:
    if end_on < post.start_on:
        raise _invalid("end_on", "截止日早于起始日 / ends before it starts")
    if post.end_on is not None and post.end_on <= end_on:
        raise _invalid("end_on", "该任职已结束 / the post has ended already", 409, "post_ended")
    post.end_on = end_on
    session.flush()
    _audit(session, actor, "end", post, user=post.user.username, end_on=end_on)


def do_end_post(session: Session, post_id: int, data: PostEnd, *, actor: User) -> GridPost:
    """End a post on `end_on` (inclusive): a vacancy from the next day."""
    with transaction(session):
        post = access_post(session, actor, post_id)
        _end(session, post, data.end_on, actor)
    return post


def do_change_post(session: Session, post_id: int, data: PostChange, *, actor: User) -> GridPost:
    """Hand the post over: the old post ends the day before `on`, the successor serves from
    `on`, in one transaction. Cases assigned before stay with the old worker."""
    with transaction(session):
        old = access_post(session, actor, post_id)
        if data.on <= old.start_on:
            raise _invalid("on", "接任日须晚于原任职起始日 / must follow the old post's start")
        _end(session, old, data.on - timedelta(days=1), actor)
        new_data = PostIn(username=data.username, kind=PostKind(old.kind), start_on=data.on)
        post = _appoint(session, old.grid, new_data, actor)
    return post
