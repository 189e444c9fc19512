"""Accessibility in a real browser (issue 16 item 8): a visible focus ring, links told apart
without colour, the map tree's controls not nested, and the location lookup of 事件登记
asked once, only when both coordinates are valid (typing a latitude alone used to fire
two 422s). axe-core over every page is in tests/web/test_csp_browser.py."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.geo.models import Jurisdiction
from grassroots.geo.queries import current_geometry
from tests.web.browser_support import open_register_map, serious_violations
from tests.web.conftest import LiveServer

pytestmark = pytest.mark.browser


def style(page: Any, selector: str, prop: str) -> str:
    script = f"e => getComputedStyle(e).getPropertyValue('{prop}')"
    return str(page.locator(selector).first.evaluate(script))


def a_point_in_a_grid(live_server: LiveServer) -> tuple[float, float]:
    with Session(live_server.engine) as s:
        grid = s.scalars(
            select(Jurisdiction).where(Jurisdiction.level == "grid").order_by(Jurisdiction.code)
        ).first()
        assert grid is not None
        geometry = current_geometry(s, grid.id)
        assert geometry is not None
        point = geometry.representative_point()
    return point.y, point.x


def test_the_location_lookup_waits_for_both_coordinates_and_asks_once(
    open_as, live_server: LiveServer
):
    page = open_as("wang")
    asked: list[tuple[str, int]] = []
    page.on(
        "response",
        lambda r: asked.append((r.url, r.status)) if "/cases/new/locate" in r.url else None,
    )
    open_register_map(page)
    lat, lng = a_point_in_a_grid(live_server)
    page.locator("#f-lat").press_sequentially(f"{lat:.6f}", delay=20)
    page.locator("#f-lat").blur()  # a change event too: still only one coordinate
    page.wait_for_timeout(1000)
    assert asked == []
    page.locator("#f-lng").press_sequentially(f"{lng:.6f}", delay=20)
    page.wait_for_selector("#located strong")
    page.locator("#f-lng").blur()
    page.wait_for_timeout(1000)
    assert [status for _, status in asked] == [200]
    page.locator("#f-lng").fill("200")  # beyond ±180: nothing asked
    page.wait_for_timeout(800)
    assert len(asked) == 1


def test_keyboard_focus_is_visible_and_links_are_underlined(open_as):
    page = open_as("zhao")
    page.goto("/cases")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand link in the menu
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    assert style(page, ":focus", "outline-style") == "solid"
    assert style(page, ":focus", "outline-width") == "3px"
    page.locator("#q").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert style(page, "#q", "outline-style") == "solid"
    page.goto("/grid-vacancies")
    assert "underline" in style(page, "main a[href^='/grids/']", "text-decoration-line")


def test_the_map_tree_has_no_nested_controls_and_its_buttons_show_an_area(open_as):
    page = open_as("zhao")
    page.goto("/map")
    page.wait_for_selector("#grid-map path.leaflet-interactive")
    assert page.locator(".tree summary a, .tree summary button").count() == 0
    assert serious_violations(page) == []
    path = page.locator("#grid-map path.leaflet-interactive").first
    before = path.get_attribute("d")
    page.get_by_role("button", name="在地图上显示").first.click()
    page.locator(".tree details[open] details summary").first.click()  # open a village
    page.locator(".tree details[open] details[open] button.tree-node:not(.tree-show)").first.click()
    page.wait_for_timeout(500)
    assert path.get_attribute("d") != before  # the map zoomed in on the grid
