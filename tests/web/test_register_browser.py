"""事件登记 in a real browser: the map places the point and shows its grid live."""

from __future__ import annotations

import pytest

from tests.web.browser_support import assert_accessible, open_register_map, screenshot

pytestmark = pytest.mark.browser


def test_clicking_the_map_shows_grid_and_village(open_as):
    page = open_as("wang")
    open_register_map(page)
    assert_accessible(page)
    box = page.locator("#register-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#located strong")
    assert "网格" in page.locator("#located").inner_text()
    assert page.locator("#f-lat").input_value() != ""
    screenshot(page, "register")
