"""A case history built by case actions, for the statistics and report tests.

Stand-in until core's do_* actions are on this branch: each function below changes a Case
through the ORM and commits, exactly as a do_* action's transaction does (the flush listener
sees the same INSERT/UPDATE), setting the fields BRIEF.md lists for statistics.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.models import Case, Category
from grassroots.geo.models import Jurisdiction
from grassroots.stats.calendar_days import local_date

LEVEL_UP = {"village": "township", "township": "county", "county": "city"}


@dataclass
class World:
    villages: list[Jurisdiction]
    categories: list[str]
    actor: User


def world(session: Session) -> World:
    villages = list(
        session.scalars(
            select(Jurisdiction)
            .where(Jurisdiction.level == "village", Jurisdiction.valid_to.is_(None))
            .order_by(Jurisdiction.code)
        )
    )
    categories = list(session.scalars(select(Category.code).order_by(Category.sort_order)))
    actor = session.scalars(select(User).where(User.username == "wang")).one()
    return World(villages, categories, actor)


def register(
    session: Session,
    w: World,
    village: Jurisdiction,
    category: str,
    at: datetime,
    violence_risk: bool = False,
) -> Case:
    seq = (session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) or 0) + 1
    case = Case(
        code=f"990101-{at.year}-{seq:06d}-{random.randrange(10**6):06d}",
        kind="dispute",
        category_code=category,
        source_code="grid_patrol",
        title="测试纠纷",
        description="测试",
        county_code=village.code[:6] + "000000",
        township_code=village.code[:9] + "000",
        village_code=village.code,
        level="village",
        holder_jurisdiction_id=village.id,
        registered_by_id=w.actor.id,
        registered_at=at,
        violence_risk=violence_risk,
    )
    session.add(case)
    session.commit()
    return case


def accept(session: Session, case: Case, at: datetime, due_days: int) -> None:
    case.state, case.accepted_at = "accepted", at
    case.resolve_due = local_date(at) + timedelta(days=due_days)
    session.commit()


def start(session: Session, case: Case) -> None:
    case.state = "in_progress"
    session.commit()


def escalate(session: Session, case: Case) -> None:
    case.level, case.state = LEVEL_UP.get(case.level, case.level), "accepted"
    case.escalation_count += 1
    session.commit()


def resolve(session: Session, case: Case, at: datetime) -> None:
    case.state, case.outcome, case.resolved_at = "resolved", "resolved", at
    case.resolved_level = case.level
    session.commit()


def satisfaction_values(session: Session) -> list[str]:
    # case_file.satisfaction is String(16) on branch core: "basically_satisfied" (19, the
    # contract's value) does not fit on PostgreSQL. Reported to core; SQLite covers it.
    if session.get_bind().dialect.name == "postgresql":
        return ["satisfied", "unsatisfied"]
    return ["satisfied", "basically_satisfied", "unsatisfied"]


def follow_up(session: Session, case: Case, satisfaction: str) -> None:
    if satisfaction not in satisfaction_values(session):
        satisfaction = "satisfied"
    case.state, case.satisfaction, case.closed_at = "closed", satisfaction, case.resolved_at
    session.commit()


def reopen(session: Session, case: Case) -> None:
    case.state, case.outcome, case.resolved_at = "in_progress", None, None
    case.resolved_level, case.satisfaction, case.closed_at = None, None, None
    case.reopen_count += 1
    session.commit()


def reject(session: Session, case: Case) -> None:
    case.state, case.outcome = "rejected", "rejected"
    session.commit()


def terminate(session: Session, case: Case) -> None:
    case.state, case.outcome = "terminated", "terminated"
    session.commit()


def suspend(session: Session, case: Case) -> None:
    case.state = "suspended"
    session.commit()


def live_one(session: Session, w: World, rng: random.Random, at: datetime) -> Case:
    """One case from registration to wherever chance takes it (dates move forward)."""
    village = rng.choice(w.villages)
    case = register(session, w, village, rng.choice(w.categories), at, rng.random() < 0.1)
    if rng.random() < 0.08:
        reject(session, case)
        return case
    if rng.random() < 0.1:
        return case  # waiting to be accepted
    at += timedelta(hours=rng.randint(1, 72))
    accept(session, case, at, rng.randint(5, 40))
    start(session, case)
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
        escalate(session, case)
    roll = rng.random()
    if roll < 0.12:
        return case  # still open
    if roll < 0.18:
        terminate(session, case)
        return case
    resolve(session, case, at + timedelta(days=rng.randint(0, 50), hours=rng.randint(0, 23)))
    if rng.random() < 0.7:
        follow_up(session, case, rng.choice(satisfaction_values(session)))
    return case


def build_history(session: Session, n: int, seed: int, first: datetime, days: int) -> World:
    w = world(session)
    rng = random.Random(seed)
    for _ in range(n):
        at = first + timedelta(seconds=rng.randrange(days * 86400))
        live_one(session, w, rng, at.astimezone(UTC))
    return w
