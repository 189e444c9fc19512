"""The next step in a real browser on a phone: zhao opens wang's new case at 390 px, the
actions come before the facts, the highlighted 受理 carries its one-line explanation, pressing
it confirms what changed (受理, the time to resolve and its date); wang sees who holds it."""

from __future__ import annotations

import re

import pytest

from tests.web.browser_support import assert_accessible, screenshot
from tests.web.conftest import PHONE
from tests.web.test_story_browser import register_by_map

pytestmark = pytest.mark.browser


def test_next_step_first_on_a_phone_and_confirmed(open_as):
    wang = open_as("wang")
    code = register_by_map(wang)
    zhao = open_as("zhao", viewport=PHONE)
    zhao.goto(f"/cases/{code}")
    actions = zhao.locator("#actions-heading").bounding_box()
    facts = zhao.locator("#facts-heading").bounding_box()
    assert actions is not None and facts is not None and actions["y"] < facts["y"]
    box = zhao.locator("#next-steps #action-accept")
    assert "is-primary" in (box.locator("summary").get_attribute("class") or "")
    box.locator("summary").click()
    assert "开始计算化解期限" in box.locator("#jargon-accept").inner_text()
    assert_accessible(zhao)
    box.get_by_role("button", name="提交: 受理").click()
    zhao.wait_for_selector(".flash")
    assert re.fullmatch(r"已受理，化解期限 \d{1,2}月\d{1,2}日", zhao.locator(".flash").inner_text())
    screenshot(zhao, "case-next-step-phone")
    wang.goto(f"/cases/{code}")
    assert wang.locator("#case-holder").inner_text().startswith("本案现由")
    assert_accessible(wang)
