"""The grid page's post forms, pressed in Chromium by a county administrator: appoint, hand
over, end. A grid far down the vacancy list is used, so the other browser tests' grids keep
the seed world's state (no posts)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from grassroots.calendar.today import china_today
from tests.web.browser_support import assert_accessible

pytestmark = pytest.mark.browser


def _open_last_vacant_grid(page) -> str:  # type: ignore[no-untyped-def]
    page.goto("/grid-vacancies")
    href = page.locator("#main a[href^='/grids/'], main a[href^='/grids/']").last.get_attribute(
        "href"
    )
    assert href
    page.goto(href)
    return href


def test_an_administrator_appoints_hands_over_and_ends_posts(open_as):
    page = open_as("admin")
    _open_last_vacant_grid(page)
    serving = page.locator("#posts tbody")
    assert "今天没有人负责这个网格" in serving.inner_text()
    options = page.locator("#f-username option")
    first, second = options.nth(0).inner_text(), options.nth(1).inner_text()
    first_name, second_name = first.split(" (")[0], second.split(" (")[0]

    page.locator("#f-username").select_option(index=0)
    page.locator("#f-kind").select_option("worker")
    page.locator("form[action$='/posts'] button[type=submit]").click()
    page.wait_for_selector("#posts tbody tr[id^='post-']")
    assert first_name in serving.inner_text()

    tomorrow = (china_today() + timedelta(days=1)).isoformat()
    row = serving.locator("tr[id^='post-']").first
    row.locator("select[name=username]").select_option(index=1)
    row.locator("input[name=on]").fill(tomorrow)
    row.locator("form[action$='/change'] button[type=submit]").click()
    page.wait_for_selector("#history-heading")
    history = page.locator("section[aria-labelledby=history-heading] tbody")
    assert second_name in history.inner_text() and tomorrow in history.inner_text()

    page.locator("#f-username").select_option(index=0)
    page.locator("#f-kind").select_option("leader")
    page.locator("form[action$='/posts'] button[type=submit]").click()
    leader = serving.locator("tr[id^='post-']", has_text="网格长")
    leader.wait_for()
    today = china_today().isoformat()
    leader.locator("input[name=end_on]").fill(today)
    leader.locator("form[action$='/end'] button[type=submit]").click()
    page.wait_for_selector("#history-heading")
    rows = history.locator("tr", has_text="网格长")
    assert rows.count() == 1 and today in rows.first.inner_text()
    assert page.locator("#post-error").count() == 0
    assert_accessible(page)
