"""The rules of 12345 work orders the transition table checks before 退单 / 改派 run
(grassroots.cases.workflow.orders does them; docs/hotline.md)."""

from __future__ import annotations

from grassroots.cases.models import Case
from grassroots.errors import Problem

HOTLINE_SOURCE = "hotline_12345"
RETURNED = "returned"  # the outcome of a returned order
RETURN_REASONS = {
    "not_our_duty": "非本单位职责",
    "outside_area": "不属本辖区",
    "duplicate_order": "重复工单",
    "incomplete_order": "诉求不清、无法联系诉求人",
}


def not_an_order(case: Case) -> Problem | None:
    if case.source_code != HOTLINE_SOURCE:
        return Problem(409, "not_a_hotline_order",
                       "只有12345工单可以退单或改派 / only 12345 work orders can be returned "
                       "or reassigned")  # fmt: skip
    return None


def returned_problem(case: Case) -> Problem | None:
    """A returned order went back to the platform: nobody here follows it up."""
    if case.outcome == RETURNED:
        return Problem(409, "order_returned", "工单已退回12345平台，无需回访 / the order was "
                       "returned to the 12345 platform")  # fmt: skip
    return None


def reassign_problem(case: Case) -> Problem | None:
    """改派 is for an order already routed to a unit (else 派遣 it: assign)."""
    problem = not_an_order(case)
    if problem is None and case.unit_id is None:
        problem = Problem(409, "not_routed", "工单尚未派遣到单位，请先派遣 / the order has "
                          "not been routed to a unit yet: assign it")  # fmt: skip
    return problem
