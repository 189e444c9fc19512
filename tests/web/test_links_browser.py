"""Linked cases on the detail page in a real browser: link by code (the error beside the
field), the link on both cases, remove it; the page stays accessible."""

from __future__ import annotations

import pytest

from tests.web.browser_support import assert_accessible, screenshot
from tests.web.test_story_browser import register_by_map

pytestmark = pytest.mark.browser


def link(page, other: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator("#action-link")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.get_by_label("另一事件编码").fill(other)
    box.get_by_label("关联方式").select_option(kind)
    box.get_by_role("button", name="提交: 关联事件").click()


def test_mark_a_duplicate_and_remove_the_mark(open_as):
    wang = open_as("wang")
    original, dup = register_by_map(wang), register_by_map(wang)
    zhao = open_as("zhao")
    zhao.goto(f"/cases/{dup}")
    link(zhao, dup, "duplicate")
    zhao.wait_for_selector("#link-other_code-error")
    assert "不能关联本案自身" in zhao.locator("#link-other_code-error").inner_text()
    assert zhao.get_by_label("另一事件编码").get_attribute("aria-invalid") == "true"
    assert_accessible(zhao)
    link(zhao, original, "duplicate")
    zhao.wait_for_selector(".flash")
    row = zhao.locator(f"#link-{original}")
    assert "本事件是其重复件" in row.inner_text()
    assert_accessible(zhao)
    screenshot(zhao, "case-links")
    row.get_by_role("link", name=original).click()
    assert "本事件的重复件" in zhao.locator(f"#link-{dup}").inner_text()
    zhao.locator(f"#link-{dup}").get_by_role("button").click()  # acts on the duplicate
    zhao.wait_for_selector(".flash")
    assert zhao.url.endswith(f"/cases/{dup}")
    assert zhao.locator(f"#link-{original}").count() == 0
