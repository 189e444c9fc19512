"""A case history made by the real case actions (core's do_*), backdated with `now`.

qian (县综治中心受理员) registers in a random grid of the county; chen (领导, county) accepts,
refers down to the township or village, escalates some, assigns to the mediation committee
of the level, resolves, terminates, suspends, follows up, closes and reopens. Chance and the
seed decide; every step is one real action (its own transaction, event and audit row).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import actions as act
from grassroots.cases import schemas as s
from grassroots.cases.models import Case
from grassroots.dictionary.models import Category
from grassroots.geo.models import Jurisdiction

COUNTY_UNIT = "990101-justice"


@dataclass
class World:
    grids: list[str]
    categories: list[str]
    qian: User
    chen: User


def world(session: Session) -> World:
    grids = session.scalars(
        select(Jurisdiction.code)
        .where(Jurisdiction.level == "grid", Jurisdiction.valid_to.is_(None))
        .order_by(Jurisdiction.code)
    ).all()
    categories = session.scalars(select(Category.code).order_by(Category.sort_order)).all()
    users = {u.username: u for u in session.scalars(select(User))}
    return World(list(grids), list(categories), users["qian"], users["chen"])


def satisfaction_values(session: Session) -> list[str]:
    # case_file.satisfaction is String(16) on branch core: the contract's "basically_satisfied"
    # (19 characters) does not fit on PostgreSQL. Reported; SQLite covers that value.
    if session.get_bind().dialect.name == "postgresql":
        return ["satisfied", "unsatisfied"]
    return ["satisfied", "basically_satisfied", "unsatisfied"]


def register(
    session: Session, w: World, grid: str, category: str, at: datetime, violence_risk: bool = False
) -> Case:
    body = s.NewCase(
        category_code=category,
        source_code="visit",
        title="测试纠纷",
        description="历史数据",
        grid_code=grid,
        violence_risk=violence_risk,
    )
    return act.do_register(session, body, actor=w.qian, now=at)


def unit_for(case: Case) -> str:
    if case.level == "village":
        return f"{case.village_code}-mediation"
    if case.level == "township":
        return f"{(case.township_code or '')[:9]}-mediation"
    return COUNTY_UNIT


def step(
    session: Session, w: World, case: Case, verb: str, at: datetime,
    satisfaction: str = "satisfied", primary: str = "",
) -> Case:  # fmt: skip
    """One action by chen on the case at moment `at` (inputs filled in; `primary`: the case
    a merge goes into)."""
    c, chen = case.code, w.chen
    reason = "测试"
    calls = {
        "accept": lambda: act.do_accept(session, c, s.Accept(), actor=chen, now=at),
        "reject": lambda: act.do_reject(
            session,
            c,
            s.Reject(channel=s.LegalChannel.litigation, reason=reason),
            actor=chen,
            now=at,
        ),
        "refer_down": lambda: act.do_refer_down(
            session, c, s.ReferDown(reason=reason), actor=chen, now=at
        ),
        "escalate": lambda: act.do_escalate(
            session, c, s.Escalate(reason=reason), actor=chen, now=at
        ),
        "assign": lambda: act.do_assign(
            session, c, s.Assign(unit_code=unit_for(case)), actor=chen, now=at
        ),
        "resolve": lambda: act.do_resolve(
            session, c, s.Resolve(outcome_note="达成协议"), actor=chen, now=at
        ),
        "terminate": lambda: act.do_terminate(
            session,
            c,
            s.Terminate(reason=reason, routes_told=[s.LegalChannel.litigation]),
            actor=chen,
            now=at,
        ),
        "suspend": lambda: act.do_suspend(session, c, s.Suspend(reason=reason), actor=chen, now=at),
        "resume": lambda: act.do_resume(session, c, s.Resume(), actor=chen, now=at),
        "follow_up": lambda: act.do_follow_up(
            session,
            c,
            s.FollowUp(
                performance="performed",
                satisfaction=s.Satisfaction(satisfaction),
                remaining_risk="none",
            ),
            actor=chen,
            now=at,
        ),
        "close": lambda: act.do_close(session, c, s.Close(), actor=chen, now=at),
        "reopen": lambda: act.do_reopen(session, c, s.Reopen(reason=reason), actor=chen, now=at),
        "merge": lambda: act.do_merge_cases(
            session, c, s.Merge(primary_code=primary), actor=chen, now=at
        ),
    }
    return calls[verb]()


def live_one(session: Session, w: World, rng: random.Random, at: datetime, focus: str = "") -> Case:
    """One case from registration to wherever chance takes it (moments move forward).
    `focus`: a code prefix that gets a third of the cases (so a township has enough)."""
    near = [g for g in w.grids if focus and g.startswith(focus)]
    grid = rng.choice(near) if near and rng.random() < 0.35 else rng.choice(w.grids)
    case = register(session, w, grid, rng.choice(w.categories), at, rng.random() < 0.1)

    def later(hours: int = 30) -> datetime:
        nonlocal at
        at += timedelta(hours=rng.randint(1, hours))
        return at

    if rng.random() < 0.06:
        return step(session, w, case, "reject", later())
    if rng.random() < 0.06:
        return case  # waiting to be accepted
    case = step(session, w, case, "accept", later())
    for _ in range(rng.choice([2, 2, 2, 1, 0])):  # mostly down to the village
        case = step(session, w, case, "refer_down", later())
    if rng.random() < 0.25:
        case = step(session, w, case, "escalate", later())
    if case.level == "city":
        return case  # beyond the county: nobody here handles it
    case = step(session, w, case, "assign", later())
    roll = rng.random()
    if roll < 0.08:
        return case  # still being handled
    if roll < 0.12:
        return step(session, w, case, "suspend", later())
    if roll < 0.18:
        return step(session, w, case, "terminate", later(400))
    case = step(session, w, case, "resolve", later(24 * 25))
    if rng.random() < 0.75:
        sat = rng.choice(satisfaction_values(session))
        case = step(session, w, case, "follow_up", later(120), sat)
        case = step(session, w, case, "close", later())
    if rng.random() < 0.05:
        case = step(session, w, case, "reopen", later())
    return case


def build_history(
    session: Session, n: int, seed: int, first: datetime, days: int, focus: str = ""
) -> World:
    w = world(session)
    rng = random.Random(seed)
    moments = sorted(first + timedelta(seconds=rng.randrange(days * 86400)) for _ in range(n))
    for at in moments:
        live_one(session, w, rng, at.astimezone(UTC), focus)
    return w
