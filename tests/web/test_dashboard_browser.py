"""工作台 and 事件列表 in a real browser: charts and maps render, pages are accessible."""

from __future__ import annotations

import pytest

from tests.web.browser_support import assert_accessible, screenshot

pytestmark = pytest.mark.browser


def test_dashboard_renders_cards_charts_and_grid_map(open_as):
    page = open_as("zhao")
    page.goto("/")
    page.wait_for_selector("#dashboard-map path.leaflet-interactive")
    page.wait_for_selector("#trend-chart svg")
    # the month's 6 cards and the 2 排查 cards, then the 7 lead figures (zhao coordinates leads)
    assert page.locator("#dashboard-leads .figure-card[data-figure]").count() == 7
    assert page.locator(".figure-card[data-figure]").count() == 15
    assert_accessible(page)
    screenshot(page, "dashboard")


def test_case_list_page(open_as):
    page = open_as("zhao")
    page.goto("/cases")
    assert page.locator("h1").inner_text() == "事件列表"
    assert_accessible(page)
    screenshot(page, "cases")


def test_a_queue_card_opens_its_list(open_as):
    page = open_as("zhao")
    page.goto("/")
    card = page.locator('a.queue-card[data-queue="to_accept"]')
    count = card.locator(".figure-value").inner_text()
    card.click()
    page.wait_for_url("**/cases?queue=to_accept")
    assert page.locator("h1").inner_text() == "事件列表 · 待受理"
    assert page.locator("#case-total").inner_text() == f"共 {count} 件"
    assert_accessible(page)
