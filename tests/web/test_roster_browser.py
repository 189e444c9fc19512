"""The township roster in Chromium: township staff choose the township, save a worker's work
phone (shown masked), add a training entry and reveal the phone for a reason."""

from __future__ import annotations

import pytest

from tests.web.browser_support import assert_accessible

pytestmark = pytest.mark.browser


def test_staff_save_a_phone_add_a_training_and_reveal_it(open_as):
    page = open_as("zhao")
    page.goto("/roster")
    page.click("#roster-show")
    row = page.locator("#worker-wang")
    row.wait_for()
    row.locator("input[name=phone]").fill("13912345678")
    row.locator("form[action$='/phone'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("#worker-wang")
    assert "139****5678" in row.locator("[data-phone]").inner_text()
    row.locator("input[name=held_on]").fill("2026-03-02")
    row.locator("input[name=title]").fill("人民调解业务培训")
    row.locator("form[action$='/trainings'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("#worker-wang")
    assert "人民调解业务培训" in row.inner_text()
    assert_accessible(page)
    row.locator("input[name=reason]").fill("联系核实排查情况")
    row.locator("form[action$='/reveal'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#worker-wang [data-phone]").inner_text() == "13912345678"
