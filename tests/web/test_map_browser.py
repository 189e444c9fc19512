"""The 网格地图 page in a real browser."""

from __future__ import annotations

import pytest

from tests.web.browser_support import assert_accessible, screenshot

pytestmark = pytest.mark.browser


def test_grid_map_draws_the_township_grids_without_tiles(open_as):
    page = open_as("zhao")
    page.goto("/map")
    page.wait_for_selector("#grid-map path.leaflet-interactive")
    drawn = page.locator("#grid-map path.leaflet-interactive").count()
    assert drawn > 10  # every grid of 青石镇, on a plain background
    assert page.locator("#grid-map .leaflet-tile").count() == 0
    assert page.locator("h1").inner_text().startswith("网格地图")
    assert_accessible(page)
    screenshot(page, "map")


def test_a_grid_popup_says_who_serves_it(open_as):
    page = open_as("zhao")
    page.goto("/map")
    page.wait_for_selector("#grid-map path.leaflet-interactive")
    # After the open cases are drawn (their markers are paths too) and the map has settled;
    # the click goes to the grid's own path, whatever lies over its centre.
    page.wait_for_load_state("networkidle")
    page.locator("#grid-map path.leaflet-interactive").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    page.wait_for_function(
        "() => !document.querySelector('.leaflet-popup-content').textContent.includes('…')"
    )
    assert "今天没有人负责这个网格" in popup.inner_text()  # the seed world has no posts
    assert popup.locator("a").get_attribute("href", timeout=1000).startswith("/grids/")
