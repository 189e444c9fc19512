"""统计看板 in Chromium: a county leader sets the filters, drills into a township and back up
by the breadcrumb, drills by the chart and by the map coloured by the chosen rate, reopens
the bookmarked address (the same view), saves a chart as PNG and SVG and the table as
Excel; every request of the page goes to 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.web.browser_support import assert_accessible, screenshot

pytestmark = pytest.mark.browser

COUNTY = "990101000000"
CHOSEN = {"#board-period": "2026-Q1", "#board-kind": "dispute",
          "#board-rate": "on_time_rate", "#board-months": "24"}  # fmt: skip


def _download(page, selector: str) -> bytes:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        page.click(selector)
    path = info.value.path()
    assert path is not None
    with open(path, "rb") as f:
        return f.read()


def test_a_leader_drills_down_and_back_bookmarks_and_saves_the_view(open_as):
    chen = open_as("chen")
    hosts: list[str] = []
    chen.on("request", lambda r: hosts.append(urlsplit(r.url).hostname or r.url[:5]))
    chen.goto("/")
    chen.click("#board-link")
    chen.wait_for_selector("#board-ranking")
    for selector, value in CHOSEN.items():
        chen.select_option(selector, value)
    chen.click("#board-show")
    chen.wait_for_url("**kind=dispute**")
    bookmark = chen.url
    assert "period=2026-Q1" in bookmark and "rate=on_time_rate" in bookmark

    first = chen.locator("#board-ranking a[data-drill]").first
    township = first.get_attribute("data-drill") or ""
    first.click()
    chen.wait_for_url(f"**jurisdiction={township}**")
    rows = chen.locator("#board-ranking tbody tr").all()
    assert rows and all((r.get_attribute("data-row") or "").startswith(township[:9]) for r in rows)
    assert chen.locator(f"#board-crumbs a[data-crumb='{township}']").count() == 1
    chen.click(f"#board-crumbs a[data-crumb='{COUNTY}']")
    chen.wait_for_url(f"**jurisdiction={COUNTY}**")
    assert "kind=dispute" in chen.url and "period=2026-Q1" in chen.url

    areas = chen.locator("#board-map path.leaflet-interactive")  # the map, one area a row
    areas.first.wait_for()
    assert areas.count() == len(chen.locator("#board-ranking tbody tr").all())
    areas.first.click()
    chen.wait_for_url("**jurisdiction=990101*")
    assert f"jurisdiction={COUNTY}" not in chen.url and "kind=dispute" in chen.url

    chen.goto(bookmark)
    name = chen.locator("#board-ranking a[data-drill]").last
    target, label = name.get_attribute("data-drill"), name.inner_text()
    chen.locator("#board-rank-chart svg text", has_text=label).first.click()  # the chart drills
    chen.wait_for_url(f"**jurisdiction={target}**")

    chen.goto(bookmark)  # the bookmark opens the same view
    for selector, value in CHOSEN.items():
        assert chen.locator(selector).input_value() == value, selector
    assert_accessible(chen)
    screenshot(chen, "board")
    png = "[data-export='board-trend-chart'][data-format='png']"
    assert _download(chen, png).startswith(b"\x89PNG")
    svg = "[data-export='board-rank-chart'][data-format='svg']"
    assert b"<svg" in _download(chen, svg)[:400]
    assert _download(chen, "#board-excel").startswith(b"PK")
    assert hosts and set(hosts) <= {"127.0.0.1", "data:"}, set(hosts)
