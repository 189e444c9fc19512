"""The demo county's grid posts (geo.posts): every grid has a 网格长 (the village mediator)
and a 网格员 (the village grid worker) from the first day of the history, except one vacancy
(the last grid of 柳河镇's first village has no 网格员), and one hand-over in the year (the
first grid of wang's village passes from wang to a second worker in mid-year)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.accounts.users.actions import do_create_user
from grassroots.demo.history.people import Cast
from grassroots.geo.posts.actions import do_appoint, do_change_post
from grassroots.geo.posts.models import PostKind
from grassroots.geo.posts.schemas import PostChange, PostIn

SUCCESSOR = "wang2"  # takes over wang's first grid in mid-year


def create_posts(session: Session, cast: Cast, first: date, last: date) -> None:
    """Posts for every grid from `first`; the vacancy and the hand-over (at mid-period)."""
    admin = session.scalars(select(User).where(User.username == "admin")).one()
    vacant = cast.townships[2].villages[0].grids[-1][0]
    for village in cast.villages:
        for code, _ in village.grids:
            start = PostIn(username=village.mediator, kind=PostKind.leader, start_on=first)
            do_appoint(session, code, start, actor=admin)
            if code == vacant:
                continue
            worker = PostIn(username=village.grid_worker, kind=PostKind.worker, start_on=first)
            post = do_appoint(session, code, worker, actor=admin)
            if village.grid_worker == "wang" and code == village.grids[0][0]:
                _hand_over(
                    session,
                    post.id,
                    village.code,
                    first + timedelta(days=(last - first).days // 2),
                    admin,
                )


def _hand_over(session: Session, post_id: int, village: str, on: date, admin: User) -> None:
    do_create_user(
        session, username=SUCCESSOR, display_name="王建华", role=Role.grid_worker,
        jurisdiction_code=village,
    )  # fmt: skip
    do_change_post(session, post_id, PostChange(username=SUCCESSOR, on=on), actor=admin)
