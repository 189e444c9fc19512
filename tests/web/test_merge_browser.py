"""Merging a repeat registration on the case page in a real browser (issue 18): the merge
form on the duplicate, the error beside the field, the duplicate closed as merged, and its
timeline shown under the primary's; the pages stay accessible."""

from __future__ import annotations

import pytest

from tests.web.browser_support import assert_accessible, screenshot
from tests.web.test_story_browser import register_by_map

pytestmark = pytest.mark.browser


def merge(page, primary: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator("#action-merge")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    assert "不可撤销" in box.locator("#jargon-merge").inner_text()
    box.get_by_label("主事件编码").fill(primary)
    box.get_by_label("备注").fill("同一排水沟纠纷重复登记")
    box.get_by_role("button", name="提交: 合并重复件").click()


def test_merge_a_repeat_registration_into_its_primary(open_as):
    wang = open_as("wang")
    primary, dup = register_by_map(wang), register_by_map(wang)
    zhao = open_as("zhao")
    zhao.goto(f"/cases/{dup}")
    merge(zhao, dup)
    zhao.wait_for_selector("#merge-primary_code-error")
    assert "不能合并到本案自身" in zhao.locator("#merge-primary_code-error").inner_text()
    assert_accessible(zhao)
    merge(zhao, primary)
    zhao.wait_for_selector(".flash")
    assert "已并入主事件" in zhao.locator(".flash").inner_text()
    assert "已结案" in zhao.content()
    assert zhao.locator("#action-merge").count() == 0  # nothing more to merge
    zhao.locator(f"#link-{primary}").get_by_role("link", name=primary).click()
    section = zhao.locator(f"#merged-{dup}")
    section.wait_for()
    assert "同一排水沟纠纷重复登记" in section.inner_text()
    assert section.locator("li[data-action=register]").count() == 1
    note = zhao.locator(".timeline li[data-action=merged_in]").first
    assert "重复件已并入本事件" in note.inner_text()
    assert_accessible(zhao)
    screenshot(zhao, "case-merged")
