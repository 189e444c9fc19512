"""12345 work orders on the case page in a real browser: zhao reassigns an order to another
unit (改派), then returns another order to the platform (退单) — the reason is picked from
the list and explained; the page says what happened and stays accessible."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_accept, do_assign
from grassroots.cases.models import Case
from grassroots.geo.models import Jurisdiction
from grassroots.hotline.actions import do_import_orders
from grassroots.hotline.schemas import OrderIn
from tests.web.browser_support import assert_accessible

pytestmark = pytest.mark.browser


def _routed_order(live_server) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A fresh 12345 order held at zhao's township, routed to its justice office."""
    with Session(live_server.engine, expire_on_commit=False) as session:
        zhao = session.scalars(select(User).where(User.username == "zhao")).one()
        assert zhao.jurisdiction is not None
        grid = session.scalars(
            select(Jurisdiction.code).where(Jurisdiction.level == "grid",
                                            Jurisdiction.valid_to.is_(None),
                                            Jurisdiction.code.startswith(zhao.jurisdiction.prefix))
            .order_by(Jurisdiction.code)
        ).first()  # fmt: skip
        number = f"GD{uuid.uuid4().hex[:12]}"
        order = OrderIn.model_validate({"工单编号": number, "来电时间": "2026-11-02 09:00",
                                        "诉求内容": "小区路灯不亮", "诉求类型": "其他",
                                        "网格编码": grid})  # fmt: skip
        [(_, code)] = do_import_orders(session, [order], intake_level="township").cases
        township = session.scalars(select(Case.township_code).where(Case.code == code)).one()
        assert township is not None
        do_accept(session, code, actor=zhao)
        do_assign(session, code, s.Assign(unit_code=f"{township[:9]}-justice"), actor=zhao)
        return code, township[:9]


def _open_form(page, action: str):  # type: ignore[no-untyped-def]
    box = page.locator(f"#action-{action}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    return box


def test_reassign_then_return_an_order(open_as, live_server):  # type: ignore[no-untyped-def]
    zhao = open_as("zhao")
    code, township = _routed_order(live_server)
    zhao.goto(f"/cases/{code}")
    box = _open_form(zhao, "reassign")
    box.locator("select[name=unit_code]").select_option(f"{township}-police")
    box.locator("[name=reason]").fill("属治安管理事项")
    box.get_by_role("button", name="提交: 改派").click()
    zhao.wait_for_selector(".flash")
    assert "改派" in zhao.locator("main").inner_text()
    assert_accessible(zhao)

    box = _open_form(zhao, "return_order")
    box.locator("select[name=return_reason]").select_option("not_our_duty")
    box.locator("[name=reason]").fill("路灯归供电公司管理")
    box.get_by_role("button", name="提交: 退单").click()
    zhao.wait_for_selector(".flash")
    assert "不予受理" in zhao.locator("main").inner_text()  # the order left: its state
    assert zhao.locator("#action-return_order").count() == 0
    with Session(live_server.engine) as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        assert (case.state, case.outcome) == ("rejected", "returned")
        assert case.outcome_note == "非本单位职责：路灯归供电公司管理"
