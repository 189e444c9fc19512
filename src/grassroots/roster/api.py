"""JSON routes of the township roster (under /api/v1, permission roster.manage: township and
county staff): the roster with workload, the work phone (masked; revealed with a reason),
training entries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today
from grassroots.deps import DbSession, requires
from grassroots.roster import queries
from grassroots.roster.actions import do_add_training, do_reveal_phone, do_set_phone
from grassroots.roster.schemas import (
    PhoneIn,
    PhoneOut,
    PostedGrid,
    RevealIn,
    RosterEntryOut,
    RosterOut,
    TrainingIn,
    TrainingOut,
)

router = APIRouter(tags=["roster"])
Manager = Annotated[User, requires("roster.manage")]


def entry_out(e: queries.RosterEntry) -> RosterEntryOut:
    return RosterEntryOut(
        username=e.user.username, display_name=e.user.display_name, role=e.user.role,
        grids=[PostedGrid(code=p.grid.code, name=p.grid.name, kind=p.kind) for p in e.grids],
        phone_masked=e.phone_masked, open_cases=e.open_cases,
        rounds_this_month=e.rounds_this_month,
        trainings=[TrainingOut(held_on=t.held_on, title=t.title) for t in e.trainings],
    )  # fmt: skip


@router.get("/townships/{code}/roster", response_model=RosterOut)
def get_roster(session: DbSession, user: Manager, code: str) -> RosterOut:
    """队伍 / the township's grid workers today: grids, masked phone, trainings, open cases
    and rounds this month (for managing the work; listed by grid, not ranked)."""
    township = queries.access_township(session, user, code)
    today = china_today()
    entries = queries.roster(session, township, today)
    return RosterOut(township_code=township.code, township_name=township.name, on=today,
                     workers=[entry_out(e) for e in entries])  # fmt: skip


@router.put("/roster/{username}/phone", status_code=204)
def set_phone(session: DbSession, user: Manager, username: str, data: PhoneIn) -> None:
    """工作电话 / set the worker's work phone (stored encrypted)."""
    do_set_phone(session, username, data, actor=user)


@router.post("/roster/{username}/phone/reveal", response_model=PhoneOut)
def reveal_phone(session: DbSession, user: Manager, username: str, data: RevealIn) -> PhoneOut:
    """查看电话 / the phone in clear, for a reason kept in the audit log."""
    return PhoneOut(username=username, phone=do_reveal_phone(session, username, data, actor=user))


@router.post("/roster/{username}/trainings", status_code=201, response_model=TrainingOut)
def add_training(session: DbSession, user: Manager, username: str, data: TrainingIn) -> TrainingOut:
    """培训记录 / a training the worker attended."""
    entry = do_add_training(session, username, data, actor=user)
    return TrainingOut(held_on=entry.held_on, title=entry.title)
