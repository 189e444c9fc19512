"""矛盾上交: a case escalated beyond the county is held at city level. A county deployment has
no city staff, so the county centre of the case's county (relation "relay" in
transitions.py) records the city's reply here, then resolves or terminates the case as the
reply says, follows it up and closes it with the ordinary actions — every step on the
timeline. The sweep keeps flagging such a case and never escalates it further."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import schemas as s
from grassroots.cases.models import Case
from grassroots.cases.workflow.engine import Change, Ctx, act
from grassroots.errors import Problem


def _city_reply(params: s.CityReply) -> Change:
    def change(case: Case, ctx: Ctx) -> dict[str, Any]:
        replied_on = params.replied_on or ctx.today
        if replied_on > ctx.today:
            message = "答复日期不能晚于今天 / the reply cannot be dated in the future"
            raise Problem(
                422, "invalid_date", message, errors=[{"field": "replied_on", "message": message}]
            )
        return {"replied_on": replied_on.isoformat()}

    return change


def do_city_reply(
    session: Session, code: str, params: s.CityReply, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """记录市级答复: the city's reply on a case held at city level (the case is then in
    progress again, for the county centre to resolve or terminate as the reply says)."""
    return act(session, code, "city_reply", params, _city_reply(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip
