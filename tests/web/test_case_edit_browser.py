"""Editing a case in a real browser: wang registers on the map, opens 修改案件信息 from the
case page, corrects the category, the address and a party's phone, presses save; the flash,
the new values and the timeline entry (phone masked) show; the pages stay accessible."""

from __future__ import annotations

import pytest

from tests.web.browser_support import assert_accessible, screenshot
from tests.web.test_story_browser import register_by_map

pytestmark = pytest.mark.browser


def test_edit_a_case_from_its_page(open_as):
    wang = open_as("wang")
    code = register_by_map(wang)
    wang.goto(f"/cases/{code}")
    wang.locator("#edit-case").click()
    wang.wait_for_selector("#edit-form")
    assert_accessible(wang)
    wang.get_by_label("类别", exact=True).select_option("housing_land")
    wang.get_by_label("地址", exact=True).fill("东头第三户")
    phone = wang.locator("input[name$='_phone']").first
    phone.fill("13912345678")
    wang.get_by_label("修改理由（记入时间线和审计日志）").fill("登记时类别选错，电话更正")
    wang.get_by_role("button", name="保存修改").click()
    wang.wait_for_selector(".flash")
    assert wang.url.endswith(f"/cases/{code}")
    entry = wang.locator("li[data-action='edit']")
    text = entry.inner_text()
    assert "修改案件信息" in text and "登记时类别选错，电话更正" in text
    assert "139****5678" in text and "13912345678" not in wang.content()
    assert "东头第三户" in wang.locator("dl.facts").inner_text()
    assert_accessible(wang)
    screenshot(wang, "case-edited")
