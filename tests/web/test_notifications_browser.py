"""The inbox in a real browser: a mention in a note reaches li, the navigation badge shows
the unread count, and li presses 标为已读 and 全部标为已读."""

from __future__ import annotations

import pytest

from tests.web.browser_support import assert_accessible, screenshot
from tests.web.test_story_browser import act, register_by_map

pytestmark = pytest.mark.browser


def test_a_mention_reaches_the_inbox_and_is_read(open_as):
    code = register_by_map(open_as("wang"))
    zhao = open_as("zhao")
    zhao.goto(f"/cases/{code}")
    act(zhao, "受理", fill={"备注": "@li 请协助调解"})
    act(zhao, "上报", fill={"理由": "村里无调解员", "备注": "@li 已上报到镇里"})

    li = open_as("li")
    li.goto("/cases")
    badge = li.locator("#unread-badge")
    badge.wait_for()
    before = int(badge.inner_text())
    assert before >= 2
    li.get_by_role("link", name="通知").first.click()
    li.wait_for_url("**/notifications")
    first = li.locator(".notice.is-unread").first
    assert code in first.inner_text() and "赵强" in first.inner_text()
    assert "张三" not in li.content() and "13800138000" not in li.content()
    assert_accessible(li)
    screenshot(li, "notifications")
    first.get_by_role("button", name="标为已读").click()
    li.wait_for_url("**/notifications")
    li.locator("#unread-badge").wait_for()
    assert int(li.locator("#unread-badge").inner_text()) == before - 1
    li.get_by_role("button", name="全部标为已读").click()
    li.wait_for_url("**/notifications")
    assert li.locator(".notice.is-unread").count() == 0
    assert "0 条未读" in li.locator("#unread-total").inner_text()
    li.locator(".notice-filter").get_by_role("link", name="未读").click()
    assert "暂无通知" in li.locator(".notice-list").inner_text()
    assert li.locator("#unread-badge").count() == 0
