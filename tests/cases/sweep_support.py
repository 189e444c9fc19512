"""Helpers for the sweep tests: a real, committed database with the seed world, and cases
driven into a state by the real actions at backdated moments."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import actions as act
from grassroots.cases import schemas as s
from grassroots.cases.models import Case, CaseEvent
from grassroots.demo.build import build_demo_geography
from tests.cases.conftest import grid_in


def seeded(engine: Engine) -> dict[str, User]:
    with Session(engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        return {u.username: u for u in session.scalars(select(User))}


def at(day: str, hour: int = 2) -> datetime:
    """A moment on that day (02:00 UTC = 10:00 in China)."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def village_case(
    session: Session, users: dict[str, User], day: str, *, accept: bool = True,
    violence_risk: bool = False, category: str = "neighbour",
) -> str:  # fmt: skip
    """wang registers a dispute in his village on `day`; zhao accepts it the same day."""
    wang, zhao = user(session, "wang"), user(session, "zhao")
    body = s.NewCase(
        category_code=category,
        source_code="grid_patrol",
        title="邻里排水纠纷",
        description="两户因排水沟堵塞发生争执",
        grid_code=grid_in(session, wang),
        violence_risk=violence_risk,
    )
    case = act.do_register(session, body, actor=wang, now=at(day))
    if accept:
        act.do_accept(session, case.code, s.Accept(), actor=zhao, now=at(day, 3))
    return case.code


def user(session: Session, username: str) -> User:
    return session.scalars(select(User).where(User.username == username)).one()


def events_of(session: Session, code: str, action: str | None = None) -> list[CaseEvent]:
    query = select(CaseEvent).join(Case).where(Case.code == code).order_by(CaseEvent.id)
    if action is not None:
        query = query.where(CaseEvent.action == action)
    return list(session.scalars(query))


def case_by_code(session: Session, code: str) -> Case:
    session.expire_all()
    return session.scalars(select(Case).where(Case.code == code)).one()


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0
