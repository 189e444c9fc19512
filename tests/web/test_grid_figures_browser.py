"""Figures per grid in Chromium: township staff filter the grid table (the form's button),
an administrator posts wang to a grid, and wang sees that grid's figures on his phone's
工作台. The second grid of wang's village is used: the other browser tests keep the first."""

from __future__ import annotations

import pytest

from tests.web.browser_support import assert_accessible, screenshot
from tests.web.conftest import PHONE

pytestmark = pytest.mark.browser

VILLAGE = "990101002201"  # wang's village (清山村), in zhao's township


def test_staff_filter_the_grid_table_and_a_posted_worker_sees_his_grid(open_as):
    zhao = open_as("zhao", viewport=PHONE)
    zhao.goto("/")
    zhao.click("#grid-figures-link")
    zhao.select_option("#q-jurisdiction", VILLAGE)
    zhao.click("#grid-figures-filter")
    zhao.wait_for_selector("#grid-figures tbody tr[data-grid]")
    assert f"jurisdiction={VILLAGE}" in zhao.url
    codes = [r.get_attribute("data-grid") for r in zhao.locator("#grid-figures tbody tr").all()]
    assert len(codes) > 1 and all(c and c.startswith(VILLAGE) for c in codes)
    assert_accessible(zhao)
    grid = codes[1]

    admin = open_as("admin")
    admin.goto(f"/grids/{grid}")
    admin.locator("#f-username").select_option("wang")
    admin.locator("#f-kind").select_option("worker")
    admin.locator("form[action$='/posts'] button[type=submit]").click()
    admin.wait_for_selector("#posts tbody tr[id^='post-']")

    wang = open_as("wang", viewport=PHONE)
    wang.goto("/")
    card = wang.locator(f"#my-grids [data-grid='{grid}']")
    card.wait_for()
    assert card.locator("[data-figure='registered']").inner_text().isdigit()
    assert card.locator("[data-figure='rounds']").inner_text().isdigit()
    assert_accessible(wang)
    screenshot(wang, "my-grids")
    card.get_by_role("link", name="记录排查").click()
    wang.wait_for_selector("#round-form")
    assert wang.locator("#f-grid_code").input_value() == grid
