"""The demo county's 排查 rounds (grassroots.rounds): every grid is walked about once a month
over the history, recorded through the real do_record_round by whoever served the grid
that day (its 网格员; in the vacant grid its 网格长), so the hand-over shows in the records.
About one round in three finds a matter. Matters found in the last CASE_DAYS days are
registered as cases one time in three (they are still open, as fresh cases are); older
matters are noted only, so that the planned case history keeps its mix. Deterministic for
the random generator it is given."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.db import batched
from grassroots.demo.history.people import Cast
from grassroots.geo.posts.queries import case_worker
from grassroots.rounds.actions import do_record_round
from grassroots.rounds.models import Check
from grassroots.rounds.schemas import RoundIn
from grassroots.scope import current_jurisdiction

CASE_DAYS = 14
MATTERS = (
    ("neighbour", "两户因排水沟占用发生口角"),
    ("housing_land", "宅基地界址有争议，双方各执一词"),
    ("forest_land", "山林边界界桩缺失，两个村民小组有争议"),
    ("marriage_family", "子女因赡养老人费用分担争吵"),
    ("labour", "务工人员反映工程款拖欠"),
    ("property_mgmt", "安置小区物业收费引起不满"),
    ("other", "村道护栏损坏，易引发事故纠纷"),
)
CHECKS = (
    [Check.dispute_hotspot], [Check.boundary_hazard], [Check.follow_up_visit],
    [Check.dispute_hotspot, Check.follow_up_visit], [Check.dispute_hotspot, Check.boundary_hazard],
)  # fmt: skip
Point = Callable[[BaseGeometry, random.Random], tuple[float, float]]


def _matters(rng: random.Random, shape: BaseGeometry, day: date, last: date,
             point: Point) -> list[dict[str, Any]]:  # fmt: skip
    if rng.random() >= 1 / 3:
        return []
    category, summary = rng.choice(MATTERS)
    lat, lng = point(shape, rng)
    fresh = (last - day).days < CASE_DAYS
    return [{"summary": summary, "category_code": category, "lat": lat, "lng": lng,
             "to_case": fresh and rng.random() < 1 / 3}]  # fmt: skip


def _grid_rounds(
    session: Session, code: str, shape: BaseGeometry, span: tuple[date, date, datetime],
    rng: random.Random, point: Point, users: dict[int, User],
) -> int:  # fmt: skip
    """The rounds of one grid over [first, last], each recorded at 16:00 (at most `end`)."""
    first, last, end = span
    grid = current_jurisdiction(session, code)
    assert grid is not None
    day, made = first + timedelta(days=rng.randrange(30)), 0
    while day <= last:
        worker = case_worker(session, grid.id, day)
        body = RoundIn(grid_code=code, held_on=day, checks=rng.choice(CHECKS),
                       matters=_matters(rng, shape, day, last, point))  # fmt: skip
        if worker is not None:
            at = datetime(day.year, day.month, day.day, 8, tzinfo=end.tzinfo) + timedelta(hours=8)
            do_record_round(session, body, actor=users[worker.id], now=min(at, end))
            made += 1
        day += timedelta(days=rng.randint(24, 36))
    return made


def create_rounds(
    session: Session, cast: Cast, span: tuple[date, date, datetime], rng: random.Random,
    point: Point,
) -> int:  # fmt: skip
    """Rounds for every grid over span (first day, last day, the build's end); one batch
    per village. Returns the number of rounds."""
    made = 0
    users = {u.id: u for u in session.scalars(select(User))}
    for village in cast.villages:
        with batched(session):
            for code, shape in village.grids:
                made += _grid_rounds(session, code, shape, span, rng, point, users)
    return made
