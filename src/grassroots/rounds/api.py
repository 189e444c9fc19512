"""JSON routes of 排查 rounds (under /api/v1): record a round (case.register: a 网格员 in a
grid they serve that day, or staff over their subtree), read one, list per grid or worker."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires
from grassroots.rounds import queries
from grassroots.rounds.actions import do_record_round
from grassroots.rounds.schemas import RoundIn, RoundOut

router = APIRouter(tags=["rounds"])
Reader = Annotated[User, requires("case.read")]
Recorder = Annotated[User, requires("case.register")]
Month = Annotated[
    str | None, Query(pattern=queries.MONTH_PATTERN, description="月份 YYYY-MM（按排查日期）")
]


@router.post("/rounds", status_code=201, response_model=RoundOut)
def record_round(session: DbSession, user: Recorder, data: RoundIn) -> RoundOut:
    """记录排查 / a round and its matters; each matter noted or registered as a case
    (source round_found 主动排查发现) in the same transaction."""
    return RoundOut.of(do_record_round(session, data, actor=user))


@router.get("/rounds", response_model=list[RoundOut])
def list_rounds(
    session: DbSession, user: Reader,
    grid: Annotated[str | None, Query(max_length=15, description="网格代码")] = None,
    worker: Annotated[str | None, Query(max_length=64, description="记录人用户名")] = None,
    month: Month = None,
) -> list[RoundOut]:  # fmt: skip
    """排查记录 / rounds in the reader's subtree, newest first (at most 200): of a grid,
    of a worker, in a month."""
    first, after = queries.month_range(month)
    found = queries.rounds(session, user, grid_code=grid, worker=worker, first=first, after=after)
    return [RoundOut.of(r) for r in found]


@router.get("/rounds/{round_id}", response_model=RoundOut)
def get_round(session: DbSession, user: Reader, round_id: DbId) -> RoundOut:
    """一次排查 / one round with its matters and the cases they became."""
    return RoundOut.of(queries.access_round(session, user, round_id))
