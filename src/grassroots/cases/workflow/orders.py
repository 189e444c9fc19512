"""12345 work orders in the workflow: 退单 (return the order to the hotline platform) and 改派
(reassign it to another unit at the same level). docs/hotline.md, docs/metrics.md.

- 退单 `return_order`: the centre holding the order, or the unit it was routed to, sends it back
  to the platform with a reason, within GRASSROOTS_HOTLINE_RETURN_DAYS working days of the
  day the order reached its current handler (registration, 派遣, 改派, 上报 or 下派). The case
  ends (state rejected, outcome "returned", the clock stops); it counts in 排查数 but in no
  outcome, not in 按期办结率's denominator and is not overdue after its return.
- 改派 `reassign`: the holding centre moves an order already routed to a unit to another
  active unit of the same level, with a reason, at most GRASSROOTS_HOTLINE_MAX_REASSIGN
  times. The order's clock keeps running: 改派 buys no time (12345's 办理时限 stands).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.calendar.today import local_date
from grassroots.cases import schemas as s
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.workflow.engine import Change, Ctx, act
from grassroots.cases.workflow.order_rules import RETURN_REASONS, RETURNED
from grassroots.cases.workflow.routing import unit_at
from grassroots.config import get_settings
from grassroots.errors import Problem

# Actions after which the order is with a new handler (whose 退单 window starts then).
ROUTING_ACTIONS = ("register", "assign", "reassign", "escalate", "refer_down")


def routed_on(session: Session, case: Case) -> date:
    """The day (China) the order reached its current handler."""
    last: datetime | None = session.scalar(
        select(func.max(CaseEvent.at)).where(
            CaseEvent.case_id == case.id, CaseEvent.action.in_(ROUTING_ACTIONS)
        )
    )
    return local_date(last or case.registered_at)


def _check_window(case: Case, ctx: Ctx) -> None:
    days = get_settings().hotline_return_days
    last_day = ctx.cal.add_working_days(routed_on(ctx.session, case), days)
    if ctx.today > last_day:
        raise Problem(409, "return_window_passed",
                      f"已超过退单时限（收到工单后 {days} 个工作日内，截至 {last_day}），"
                      f"请继续办理或申请改派 / the order may be returned within {days} working "
                      f"day(s) of receiving it (until {last_day})")  # fmt: skip


def _return_order(params: s.ReturnOrder) -> Change:
    def change(case: Case, ctx: Ctx) -> dict[str, Any]:
        _check_window(case, ctx)
        case.outcome = RETURNED
        case.outcome_note = f"{RETURN_REASONS[params.return_reason]}：{params.reason}"
        case.closed_at = ctx.moment  # the order left us: its running deadline ends here
        clk.stop_clock(case)
        return {"return_reason": params.return_reason.value}

    return change


def _reassign(params: s.Reassign) -> Change:
    def change(case: Case, ctx: Ctx) -> dict[str, Any]:
        done = ctx.session.scalar(
            select(func.count()).where(CaseEvent.case_id == case.id, CaseEvent.action == "reassign")
        )
        most = get_settings().hotline_max_reassign
        if (done or 0) >= most:
            message = (
                f"本工单已改派 {done} 次（上限 {most} 次），请上报或退单 / reassigned "
                f"{done} time(s) already (limit {most}): escalate or return it"
            )
            raise Problem(409, "reassign_limit", message)
        before = case.unit.code if case.unit else None
        unit = unit_at(ctx.session, params.unit_code, case.holder_jurisdiction_id, "unit_code")
        if unit.id == case.unit_id:
            message = "改派须换一个单位 / reassign to another unit"
            raise Problem(422, "same_unit", message,
                          errors=[{"field": "unit_code", "message": message}])  # fmt: skip
        case.unit, case.assignee = unit, None
        return {"from_unit": before, "unit_code": unit.code, "reassigned": (done or 0) + 1}

    return change


def do_return_order(
    session: Session, code: str, params: s.ReturnOrder, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """退单: the 12345 order goes back to the platform, with the reason; the case ends."""
    return act(session, code, "return_order", params, _return_order(params), actor=actor,
               expected_version=expected_version, now=now)  # fmt: skip


def do_reassign(
    session: Session, code: str, params: s.Reassign, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """改派: the 12345 order goes to another unit at its level; its clock runs on."""
    return act(session, code, "reassign", params, _reassign(params), actor=actor,
               expected_version=expected_version, now=now)  # fmt: skip
