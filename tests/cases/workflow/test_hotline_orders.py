"""12345 work orders: 退单 (back to the platform) and 改派 (another unit), with their rules,
timeline, clock and figures (issue 15 item 14). Hand-built: three orders and a visit case,
registered on Monday 2026-11-02; the expected figures are counted by hand below."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_register, run_action
from grassroots.cases.models import Case, CaseEvent
from grassroots.db import utcnow
from grassroots.errors import Problem
from grassroots.hotline.actions import do_import_orders
from grassroots.hotline.export import reply
from grassroots.hotline.models import HotlineOrder
from grassroots.hotline.schemas import OrderIn
from grassroots.reports.content.context import figures
from grassroots.reports.content.data import gather
from grassroots.reports.office.excel import render_xlsx
from grassroots.scope import current_jurisdiction
from grassroots.stats import aggregates, recount
from grassroots.stats.figures.derived import Rules
from grassroots.stats.periods import parse_period
from grassroots.stats.queries import order_counts
from grassroots.stats.scope import Scope
from tests.cases.conftest import grid_in
from tests.reports.read import sheets
from tests.stats.conftest import COUNTY, assert_agree


def at(day: date, hour: int = 2) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)  # +8 h in Beijing


MON, TUE, THU = date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 5)


def _orders(
    session: Session, users: dict[str, User], n: int, when: datetime | None = None
) -> list[Case]:
    grid = grid_in(session, users["wang"])
    orders = [
        OrderIn.model_validate({"工单编号": f"GD2026110200{i}", "来电时间": "2026-11-02 09:00",
                                "诉求内容": f"路灯不亮 {i}", "诉求类型": "其他", "网格编码": grid})
        for i in range(n)
    ]  # fmt: skip
    done = do_import_orders(session, orders, intake_level="township", now=when or at(MON, 1))
    codes = [code for _, code in done.cases]
    return list(session.scalars(select(Case).where(Case.code.in_(codes)).order_by(Case.code)))


def _do(session: Session, users: dict[str, User], who: str, case: Case, action: str,
        params: s.ActionInput, day: date) -> Case:  # fmt: skip
    return run_action(session, case.code, action, params, actor=users[who], now=at(day))


def _routed(session: Session, users: dict[str, User], case: Case) -> Case:
    _do(session, users, "zhao", case, "accept", s.Accept(), MON)
    unit = f"{case.township_code[:9]}-justice"  # type: ignore[index]
    return _do(session, users, "zhao", case, "assign", s.Assign(unit_code=unit), MON)


RETURN = s.ReturnOrder(return_reason=s.ReturnReason.not_our_duty, reason="属供电公司")


def test_the_unit_returns_an_order_within_its_window(session: Session, users) -> None:  # type: ignore[no-untyped-def]
    [order] = _orders(session, users, 1)
    order = _routed(session, users, order)
    assert order.unit is not None and users["sun"].unit_id == order.unit_id
    done = _do(session, users, "sun", order, "return_order", RETURN, TUE)  # 1 working day
    assert (done.state, done.outcome, done.clock_due_on) == ("rejected", "returned", None)
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == done.id)
                            .order_by(CaseEvent.id.desc())).first()  # fmt: skip
    assert event is not None and event.action == "return_order"
    assert event.details is not None and event.details["return_reason"] == "not_our_duty"
    hotline = session.scalars(select(HotlineOrder).where(HotlineOrder.case_id == done.id)).one()
    assert reply(hotline, done)["办理结果"] == "退单：非本单位职责：属供电公司"
    with pytest.raises(Problem) as refused:  # nobody here follows up a returned order
        _do(session, users, "zhao", done, "follow_up", s.FollowUp(
            performance="performed", satisfaction=s.Satisfaction.satisfied,
            remaining_risk="none"), THU)  # fmt: skip
    assert refused.value.code == "order_returned"


def test_too_late_to_return_then_reassigned_twice_and_no_more(session: Session, users) -> None:  # type: ignore[no-untyped-def]
    [order] = _orders(session, users, 1)
    order = _routed(session, users, order)
    due = order.resolve_due
    with pytest.raises(Problem) as late:  # routed Monday: Thursday is past 1 working day
        _do(session, users, "sun", order, "return_order", RETURN, THU)
    assert late.value.code == "return_window_passed"
    township = order.township_code[:9]  # type: ignore[index]
    with pytest.raises(Problem) as same:
        _do(session, users, "zhao", order, "reassign",
            s.Reassign(unit_code=f"{township}-justice", reason="重派"), THU)  # fmt: skip
    assert same.value.code == "same_unit"
    for unit in ("mediation", "police"):
        order = _do(session, users, "zhao", order, "reassign",
                    s.Reassign(unit_code=f"{township}-{unit}", reason="职责调整"), THU)  # fmt: skip
        assert order.unit is not None and order.unit.code == f"{township}-{unit}"
        assert (order.state, order.resolve_due, order.clock_due_on) == ("in_progress", due, due)
    with pytest.raises(Problem) as limit:
        _do(session, users, "zhao", order, "reassign",
            s.Reassign(unit_code=f"{township}-justice", reason="再改"), THU)  # fmt: skip
    assert limit.value.code == "reassign_limit"
    # 改派 restarts the return window: the new unit may still return it on the next working day
    done = _do(session, users, "zhao", order, "return_order", RETURN, date(2026, 11, 6))
    assert done.outcome == "returned"


def test_only_orders_are_returned_or_reassigned(client_as, session: Session, users) -> None:  # type: ignore[no-untyped-def]
    [order] = _orders(session, users, 1, utcnow())  # registered now: inside the window
    grid = grid_in(session, users["wang"])
    data = s.NewCase(category_code="neighbour", source_code="visit", title="来访",
                     description="来访纠纷", grid_code=grid)  # fmt: skip
    visit = do_register(session, data, actor=users["wang"])
    api = client_as("zhao")
    r = api.get(f"/api/v1/cases/{visit.code}/actions")
    assert "return_order" not in {a["action"] for a in r.json()}
    body = {"expected_version": visit.version, "return_reason": "outside_area", "reason": "外县"}
    r = api.post(f"/api/v1/cases/{visit.code}/actions/return_order", json=body)
    assert r.status_code == 409 and r.json()["code"] == "not_a_hotline_order"
    r = api.post(f"/api/v1/cases/{order.code}/actions/return_order",
                 json={"expected_version": order.version, "reason": "外县"})  # fmt: skip
    assert r.status_code == 422 and "return_reason" in r.text
    r = api.post(f"/api/v1/cases/{order.code}/actions/return_order",
                 json=body | {"expected_version": order.version})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "rejected"
    session.refresh(order)
    assert (order.outcome, order.outcome_note) == ("returned", "不属本辖区：外县")


def test_figures_count_a_returned_order_as_registered_only(session: Session, users) -> None:  # type: ignore[no-untyped-def]
    """By hand: orders A (returned Tuesday) and B (resolved), visit case C (resolved), all
    registered in November. 排查 3; 化解 2; 不予受理 0 (a return is not a rejection);
    在办 0; due 2 (B, C — A's deadline is not ours to meet), on time 2; 超期 0 ever."""
    a, b = _orders(session, users, 2)
    grid = grid_in(session, users["wang"])
    data = s.NewCase(category_code="neighbour", source_code="visit", title="来访",
                     description="来访纠纷", grid_code=grid)  # fmt: skip
    c = do_register(session, data, actor=users["wang"], now=at(MON))
    for case in (a, b):
        _routed(session, users, case)
    _do(session, users, "sun", a, "return_order", RETURN, TUE)
    _do(session, users, "sun", b, "resolve", s.Resolve(outcome_note="已修复"), THU)
    _do(session, users, "zhao", c, "accept", s.Accept(), MON)
    unit = s.Assign(unit_code=f"{c.village_code}-mediation")
    _do(session, users, "zhao", c, "assign", unit, MON)
    _do(session, users, "zhao", c, "resolve", s.Resolve(outcome_note="已调处"), THU)
    scope, period, today = Scope("county", COUNTY), parse_period("2026"), date(2027, 3, 1)
    for counted in (aggregates, recount):
        f = counted.counters(session, scope, period, today)[""]
        got = (f["registered"], f["resolved"], f["rejected"], f["due"], f["on_time"])
        assert got == (3, 2, 0, 2, 2), counted.__name__
    assert aggregates.figure_counters(session, scope, period, None)[""]["pending"] == 0
    assert_agree(session, scope, period, today)
    for day in (date(2026, 12, 31), today):
        assert recount.overdue_at(session, scope, day).get("", {}).get("overdue", 0) == 0


def test_the_report_counts_returns_and_reassignments_by_the_day_taken(
    session: Session, users
) -> None:  # type: ignore[no-untyped-def]
    """By hand: order A returned Tuesday 11-03; B reassigned twice on Thursday 11-05; C
    reassigned once on Thursday and returned Friday 11-06. November: 退单 2 (A, C), 改派 3
    (B twice, C once) on 2 orders; October: nothing. The Word text and the Excel sheet say so."""
    a, b, c = (_routed(session, users, o) for o in _orders(session, users, 3))
    _do(session, users, "sun", a, "return_order", RETURN, TUE)
    township = b.township_code[:9]  # type: ignore[index]
    for order, units in ((b, ("mediation", "police")), (c, ("mediation",))):
        for unit in units:
            moved = s.Reassign(unit_code=f"{township}-{unit}", reason="职责调整")
            order = _do(session, users, "zhao", order, "reassign", moved, THU)
    _do(session, users, "zhao", c, "return_order", RETURN, date(2026, 11, 6))
    county = Scope("county", COUNTY)
    assert order_counts(session, county, parse_period("2026-11")) == {
        "returned": 2, "reassigned": 3, "reassigned_orders": 2}  # fmt: skip
    assert set(order_counts(session, county, parse_period("2026-10")).values()) == {0}
    j = current_jurisdiction(session, COUNTY)
    assert j is not None
    data = gather(session, j, parse_period("2026-11"), date(2026, 12, 1), Rules())
    assert figures(data)["orders_text"] == "12345工单退单2件，改派3次（涉及工单2件）"
    sheet = sheets(render_xlsx(data))["12345工单"]
    assert [sheet[k][0] for k in ("退单（件）", "改派（次）", "其中改派涉及工单（件）")] == [
        2,
        3,
        2,
    ]
