"""The jurisdiction picker in a real browser (issue 16 item 6): zhao picks a village of his
township by its name instead of typing its 12-digit code; the list shows that village's
case with the place named, and another village's pick leaves it out."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.geo.models import Jurisdiction
from tests.web.browser_support import assert_accessible
from tests.web.conftest import LiveServer
from tests.web.test_export_browser import register

pytestmark = pytest.mark.browser


def test_zhao_filters_the_cases_by_picking_a_village_by_name(open_as, live_server: LiveServer):
    with Session(live_server.engine) as s:
        village = s.scalars(select(User).where(User.username == "wang")).one().jurisdiction
        assert village is not None and village.parent is not None
        township, village_name, village_code = village.parent.name, village.name, village.code
        grid = s.scalars(
            select(Jurisdiction)
            .where(Jurisdiction.level == "grid", Jurisdiction.parent_id == village.id)
            .order_by(Jurisdiction.code)
        ).first()
        other = s.scalars(
            select(Jurisdiction.name).where(
                Jurisdiction.parent_id == village.parent_id, Jurisdiction.id != village.id
            )
        ).first()
        assert grid is not None and other is not None
        grid_code, grid_name = grid.code, grid.name
    page = open_as("zhao")
    page.goto("/cases")
    code = register(page, grid_code, "选择区划测试纠纷")
    page.get_by_label("区划").select_option(label=village_name)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(f"**/cases?*jurisdiction={village_code}*")
    row = page.locator("#case-rows tr", has=page.get_by_role("link", name=code))
    assert row.count() == 1
    assert f"{township} / {village_name} / {grid_name}" in row.inner_text()
    assert page.get_by_label("区划").evaluate("e => e.selectedOptions[0].text") == village_name
    assert_accessible(page)
    page.get_by_label("区划").select_option(label=other)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name=code).count() == 0
