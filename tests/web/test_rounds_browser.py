"""排查 rounds in a real browser on a phone: the record form (a matter registered as a case,
one noted), the round page linking the case, the list per grid and its filter button."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.browser_support import assert_accessible, screenshot
from tests.web.conftest import PHONE

pytestmark = pytest.mark.browser

GRID = "990101002201001"  # a grid of wang's village (清山村), inside zhao's township


def api_post(page: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """A JSON write with the page's login session and its CSRF token."""
    token = page.locator('input[name="csrf_token"]').first.input_value()
    r = page.request.post(path, data=body, headers={"X-CSRF-Token": token})
    assert r.ok, r.text()
    return dict(r.json())


def recorded_round(page: Any) -> str:
    """zhao (township centre staff: any grid of his township) records a round by the API."""
    page.goto("/rounds/new")
    body = {"grid_code": GRID, "held_on": page.locator("#f-held_on").input_value(),
            "checks": ["follow_up_visit"], "matters": []}  # fmt: skip
    return str(api_post(page, "/api/v1/rounds", body)["id"])


def test_a_round_recorded_on_a_phone_registers_its_matter_as_a_case(open_as):
    page = open_as("zhao", viewport=PHONE)
    page.goto("/rounds")
    page.click("#new-round")
    page.select_option("#f-grid_code", GRID)
    page.check("#f-check-dispute_hotspot")
    page.check("#f-check-boundary_hazard")
    page.fill("#f-m1-summary", "两户因田埂界址争执")
    page.select_option("#f-m1-category_code", "forest_land")
    page.check("#f-m1-to_case")
    page.fill("#f-m2-summary", "渠道淤塞，提醒村委清理")
    page.select_option("#f-m2-category_code", "other")
    assert_accessible(page)
    screenshot(page, "round-form")
    page.click("#round-submit")
    page.wait_for_selector("#matters")
    assert "/rounds/" in page.url
    row = page.locator("#matter-1")
    assert "两户因田埂界址争执" in row.inner_text()
    assert "渠道淤塞" in page.locator("#matter-2").inner_text()
    assert_accessible(page)
    round_url = page.url
    row.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert "/cases/" in page.url and "两户因田埂界址争执" in page.content()
    page.goto("/rounds")
    page.select_option("#q-grid", GRID)
    page.click("#rounds-filter")
    page.wait_for_load_state("networkidle")
    assert f"grid={GRID}" in page.url
    assert page.locator("#rounds tbody tr").count() >= 1
    assert "1" in page.locator("#rounds tbody tr").first.inner_text()
    screenshot(page, "rounds-list")
    # the noted matter becomes a lead in one step (zhao coordinates leads too)
    page.goto(round_url)
    noted = page.locator("#matter-2")
    noted.locator("select[name=category_code]").select_option("dispute_risk")
    noted.get_by_role("button", name="转为线索").click()
    page.wait_for_url("**/leads/XS*")
    assert "渠道淤塞" in page.content() and "主动排查发现" in page.content()
    lead_code = page.url.rsplit("/", 1)[1]
    page.click("#lead-round")
    page.wait_for_selector("#matters")
    assert lead_code in page.locator("#matter-2").inner_text()
    assert page.locator("#matter-2 form").count() == 0


def test_a_bad_form_comes_back_with_the_message_under_the_field(open_as):
    page = open_as("zhao", viewport=PHONE)
    page.goto("/rounds/new")
    page.select_option("#f-grid_code", GRID)
    page.fill("#f-m1-summary", "没有勾选排查内容")
    page.select_option("#f-m1-category_code", "other")
    page.click("#round-submit")
    page.wait_for_selector("#round-errors")
    assert page.locator("#checks-error").is_visible()
    assert page.locator("#f-m1-summary").input_value() == "没有勾选排查内容"
