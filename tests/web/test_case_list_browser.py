"""事件列表 on a phone in a real browser: under 600 px each case is a card (app.css), with the
column names beside the values; at desktop width it stays a table."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.geo.models import Jurisdiction
from tests.web.browser_support import assert_accessible
from tests.web.conftest import DESKTOP, LiveServer
from tests.web.test_export_browser import register

pytestmark = pytest.mark.browser
SMALL_PHONE = {"width": 375, "height": 740}


def display(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(selector).first.evaluate("e => getComputedStyle(e).display"))


def label_before(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    script = "e => getComputedStyle(e, '::before').content"
    return str(page.locator(selector).first.evaluate(script))


def test_the_case_list_is_cards_on_a_phone_and_a_table_on_a_desktop(
    open_as, live_server: LiveServer
):
    with Session(live_server.engine) as s:
        village = s.scalars(select(User).where(User.username == "wang")).one().jurisdiction
        grid = s.scalars(
            select(Jurisdiction.code)
            .where(Jurisdiction.level == "grid", Jurisdiction.code.startswith(village.prefix))
            .order_by(Jurisdiction.code)
        ).first()
    assert grid is not None
    page = open_as("wang", viewport=SMALL_PHONE)
    page.goto("/cases")
    code = register(page, grid, "卡片测试纠纷")
    page.goto("/cases?state=open")
    assert not page.locator(".case-table thead").is_visible()
    assert display(page, "#case-rows tr") == "block"
    assert label_before(page, "#case-rows td") == '"事件编号"'
    assert page.get_by_role("link", name=code).is_visible()
    box = page.locator("#case-rows tr").first.bounding_box()
    assert box is not None and box["width"] <= SMALL_PHONE["width"]  # no sideways scrolling
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)
    assert page.locator(".case-table thead").is_visible()
    assert display(page, "#case-rows tr") == "table-row"
