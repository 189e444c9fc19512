"""Twelve-plus months of demo case history, made by running the REAL case actions (and the
real deadline sweep) at backdated moments, so every timeline, deadline, statistic and audit
row is what the platform itself would have produced.

Deterministic for (seed, today): the plans are drawn from one random generator before any
action runs. `grassroots init --demo` builds it (demo.build.build_demo).
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import shapely
from pydantic import BaseModel
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.calendar.today import CHINA_TZ, china_today
from grassroots.calendar.workdays import CACHE_KEY, WorkCalendar, load_calendar
from grassroots.cases import schemas as s
from grassroots.cases.actions import DO, do_register
from grassroots.cases.deadlines.jobs import sweep_case
from grassroots.cases.models import Case
from grassroots.cases.tallies.maintain import deferred
from grassroots.cases.workflow.performance import JUDICIAL_WINDOW_DAYS, agreement_day
from grassroots.db import batched
from grassroots.demo.county import Node
from grassroots.demo.history.people import Cast, create_cast
from grassroots.demo.history.plan import (
    LITIGATION,
    CasePlan,
    Step,
    plan_case,
    registration_days,
)
from grassroots.demo.history.text import parties, texts
from grassroots.demo.posts import create_posts
from grassroots.demo.rounds import create_rounds
from grassroots.geo.models import Jurisdiction, Unit

log = logging.getLogger(__name__)

DEFAULT_CASES = 5200
DEFAULT_DAYS = 395  # 13 months: a full year and the same month last year (同比)
AUTO_LEVELS = ("village", "township")  # where the default policies escalate automatically
BATCH_CASES = 100  # case histories per commit (db.batched): the build's commit cost


@dataclass
class HistorySummary:
    cases: int = 0
    rounds: int = 0  # 排查 rounds (grassroots.demo.rounds)
    actions: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def moment(day: date, minute: int) -> datetime:
    """That minute of the day in China, as an aware datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ) + timedelta(minutes=minute)


def point_in(geometry: BaseGeometry, rng: random.Random) -> tuple[float, float]:
    min_x, min_y, max_x, max_y = geometry.bounds
    for _ in range(50):
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if geometry.contains(shapely.Point(x, y)):
            return y, x
    p = geometry.representative_point()
    return p.y, p.x


def new_case(plan: CasePlan, rng: random.Random, county_code: str) -> s.NewCase:
    _, grid_shape = rng.choice(plan.village.grids)
    lat, lng = point_in(grid_shape, rng)
    people = parties(rng, county_code)
    title, description = texts(rng, plan.category, plan.village.name, [p.name for p in people])
    return s.NewCase(
        kind="dispute" if rng.random() < 0.9 else "request",
        category_code=plan.category,
        source_code=plan.source,
        title=title,
        description=description,
        lat=lat,
        lng=lng,
        address=f"{plan.village.name}{rng.randint(1, 9)}组",
        parties=[
            s.PartyIn(role=p.role, name=p.name, phone=p.phone, id_number=p.id_number)
            for p in people
        ],
        people_involved=len(people) + rng.choice([0, 0, 1, 2, 5]),
        violence_risk=plan.violence_risk,
        risk_level="high" if plan.violence_risk else rng.choice(["low", "low", "medium"]),
    )


class Player:
    """Plays plans through the real actions, never past `end` (what is later stays open)."""

    def __init__(self, session: Session, cal: WorkCalendar, end: datetime) -> None:
        self.session, self.cal, self.end = session, cal, end
        self.users = {u.username: u for u in session.scalars(select(User))}
        self.summary = HistorySummary()

    def play(self, plan: CasePlan, body: s.NewCase) -> None:
        when = moment(plan.registered_on, plan.minute)
        if when > self.end:
            return
        case = do_register(self.session, body, actor=self.users[plan.registrar], now=when)
        self.summary.cases += 1
        self.summary.actions["register"] += 1
        case_id, code, prev = case.id, case.code, when
        for step in plan.steps:
            case = self.session.get_one(Case, case_id)
            if step.action.startswith("sweep"):
                at = self._sweep_moment(step, case, prev)
                if at is None:
                    continue
                if at > self.end:
                    break
                outcome = sweep_case(
                    self.session, case_id, self.users["system"], at, china_today(at)
                )
                self.summary.actions[f"sweep:{outcome}"] += 1
            else:
                at = self._step_moment(step, case, prev)
                if at > self.end:
                    break
                params = self._filled(step, case, at)
                DO[step.action](self.session, code, params, actor=self.users[step.actor], now=at)
                self.summary.actions[step.action] += 1
            prev = at

    def _step_moment(self, step: Step, case: Case, prev: datetime) -> datetime:
        day = self.cal.add_working_days(china_today(prev), step.delay)
        due = case.clock_due_on
        if step.action == "resolve" and case.level in AUTO_LEVELS and due is not None:
            day = max(min(day, due), china_today(prev))  # else the sweep would have escalated
        return max(moment(day, step.minute), prev + timedelta(minutes=1))

    def _filled(self, step: Step, case: Case, at: datetime) -> BaseModel | None:
        """司法确认's application is dated the day it is recorded, which must lie within 30
        days of the agreement (人民调解法 art. 33); past that window the parties go to court."""
        params = step.params
        if not isinstance(params, s.PursuePerformance) or params.route != "judicial_confirmation":
            return params
        agreed, today = agreement_day(self.session, case), china_today(at)
        if agreed is None or today > agreed + timedelta(days=JUDICIAL_WINDOW_DAYS):
            return LITIGATION
        return params.model_copy(update={"applied_on": today})

    def _sweep_moment(self, step: Step, case: Case, prev: datetime) -> datetime | None:
        due, yellow = case.clock_due_on, case.clock_yellow_on
        if due is None or yellow is None:
            return None
        if step.action == "sweep_due":  # the night after the due date
            return max(moment(due + timedelta(days=1), 30), prev + timedelta(minutes=1))
        at = max(moment(yellow, 8 * 60), prev + timedelta(minutes=1))
        return at if china_today(at) <= due else None

    def forget_cases(self) -> None:
        """Keep the session small: only users and places stay in the identity map."""
        for obj in list(self.session.identity_map.values()):
            if not isinstance(obj, User | Jurisdiction | Unit) and obj in self.session:
                self.session.expunge(obj)


@contextmanager
def batch_session(session: Session) -> Iterator[Session]:
    """A session for the long build: on a connection of its own that does not wait for the
    disk at every commit (SQLite synchronous=OFF, PostgreSQL synchronous_commit=off) and
    keeps the calendar and policies it loaded. The end is made durable in one go."""
    bind = session.get_bind()
    if not isinstance(bind, Engine):  # already inside someone's connection (tests)
        session.info[CACHE_KEY] = {}
        yield session
        session.info.pop(CACHE_KEY, None)
        return
    with bind.connect() as conn:
        _set_durability(conn, fast=True)
        with Session(bind=conn, expire_on_commit=False) as batch:
            batch.info[CACHE_KEY] = {}
            yield batch
        _set_durability(conn, fast=False)


def _set_durability(conn: Connection, *, fast: bool) -> None:
    """Outside any transaction (SQLite refuses to change its safety level inside one)."""
    if conn.dialect.name == "sqlite":
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute(f"PRAGMA synchronous={'OFF' if fast else 'FULL'}")
        if not fast:
            raw.execute("PRAGMA wal_checkpoint(FULL)")
    else:
        conn.exec_driver_sql(f"SET synchronous_commit TO {'off' if fast else 'on'}")
        conn.commit()


def build_history(
    session: Session,
    county: Node,
    seed: int,
    *,
    today: date | None = None,
    cases: int = DEFAULT_CASES,
    days: int = DEFAULT_DAYS,
    live_stats: bool = False,
) -> HistorySummary:
    """Create the history's staff, then `cases` cases registered over the `days` days up to
    `today` (China), each played through the real actions up to the present.

    The statistics tables are rebuilt once at the end (stats.maintain.deferred) instead of
    being kept by the flush listener at every action; `live_stats` keeps the listener on
    (the tests compare both)."""
    started = time.monotonic()
    last = today or china_today()
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    cast: Cast = create_cast(session, county, random.Random(seed + 1))  # noqa: S311
    create_posts(session, cast, last - timedelta(days=days - 1), last)
    plans = [
        plan_case(rng, cast, day)
        for day in registration_days(rng, last - timedelta(days=days - 1), last, cases)
    ]
    bodies = [new_case(plan, rng, county.code) for plan in plans]
    end = moment(last, 18 * 60)
    if today is None:
        end = min(end, datetime.now(CHINA_TZ))
    with batch_session(session) as batch, nullcontext() if live_stats else deferred(batch):
        player = Player(batch, load_calendar(batch), end)
        _play_in_batches(player, list(zip(plans, bodies, strict=True)))
        span = (last - timedelta(days=days - 1), last, end)
        rounds_rng = random.Random(seed + 2)  # noqa: S311
        player.summary.rounds = create_rounds(batch, cast, span, rounds_rng, point_in)
    player.summary.seconds = time.monotonic() - started
    log.info("demo history: %s cases in %.1fs", player.summary.cases, player.summary.seconds)
    return player.summary


def _play_in_batches(player: Player, pairs: list[tuple[CasePlan, s.NewCase]]) -> None:
    """BATCH_CASES case histories per commit (db.batched), then the session is emptied."""
    for first in range(0, len(pairs), BATCH_CASES):
        with batched(player.session):
            for plan, body in pairs[first : first + BATCH_CASES]:
                player.play(plan, body)
        player.forget_cases()
