"""查重 on the registration page in a real browser: the second registration of the same
matter shows the first case before saving; 仍然登记 registers it."""

from __future__ import annotations

import pytest

from tests.web.browser_support import assert_accessible, open_register_map, screenshot
from tests.web.test_story_browser import register_by_map

pytestmark = pytest.mark.browser


def test_the_form_shows_likely_duplicates_before_saving(open_as):
    wang = open_as("wang")
    first = register_by_map(wang)
    open_register_map(wang)
    wang.get_by_label("类别").select_option("neighbour")
    wang.get_by_label("标题").fill("排水沟堵塞又起争执")
    wang.get_by_label("事件描述").fill("两户又因排水沟堵塞发生争执。")
    wang.locator("#f-party-0-name").fill("张三")
    wang.locator("#f-party-0-phone").fill("13800138000")
    box = wang.locator("#register-map").bounding_box()
    wang.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wang.wait_for_selector("#located strong")
    wang.get_by_role("button", name="事件登记", exact=True).click()
    panel = wang.locator("#duplicates")
    panel.wait_for()
    assert first in panel.inner_text() and "当事人相同" in panel.inner_text()
    assert wang.locator(".flash").count() == 0  # nothing saved yet
    assert_accessible(wang)
    screenshot(wang, "register-duplicates")
    wang.get_by_role("button", name="仍然登记", exact=True).click()
    wang.wait_for_selector(".flash")
    second = wang.url.rsplit("/", 1)[-1]
    assert "已登记" in wang.locator(".flash").inner_text() and second != first
