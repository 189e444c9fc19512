"""The buttons of the leads, rounds and roster pages, pressed in chromium as the township's
centre worker zhao would (issue 16, Checks: every button pressed at least once; the registry
is tests/web/buttons.py), each checked by what the page shows afterwards."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def press(page: Any, name: str, scope: Any = None) -> None:
    (scope or page).get_by_role("button", name=name).first.click()
    page.wait_for_load_state("networkidle")


def receive_lead(page: Any, title: str) -> str:
    """zhao receives a lead from the form; returns its code (from the page it lands on)."""
    page.goto("/leads/new")
    page.locator("#lead-title").fill(title)
    page.locator("#lead-content").fill("群众反映村口有人占道经营，影响通行")
    page.locator("#lead-category_code").select_option(index=1)
    press(page, "接收")
    assert "/leads/XS" in page.url, page.url
    assert page.locator("h1.title").inner_text().startswith(title)
    return page.url.rsplit("/", 1)[1]


def open_action(page: Any, action: str) -> Any:
    box = page.locator(f"#action-{action}")
    box.locator("summary").click()
    return box


def test_zhao_receives_filters_assigns_and_splits_leads(open_as):
    zhao = open_as("zhao")
    code = receive_lead(zhao, "占道经营线索")
    box = open_action(zhao, "assign")
    unit = box.locator("label.radio", has_text="司法所").first
    unit_name = unit.inner_text().strip()
    unit.locator("input").check()
    press(zhao, "提交: 分流派遣", box)
    assert zhao.url.endswith(f"/leads/{code}")
    facts = zhao.locator("dl.facts").inner_text()
    assert unit_name in facts and "justice" not in facts  # the unit by name, not its code

    other = receive_lead(zhao, "多部门线索")
    box = open_action(zhao, "split")
    boxes = box.locator("input[type=checkbox][name=unit_code]")
    assert boxes.count() >= 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    press(zhao, "提交: 分办给多个单位", box)
    assert zhao.url.endswith(f"/leads/{other}")
    assert zhao.locator(f"a[href^='/leads/{other}-']").count() == 2  # the two parts

    zhao.goto("/leads")
    zhao.locator("#state").select_option("assigned")
    press(zhao, "筛选")
    assert "state=assigned" in zhao.url
    listed = zhao.locator("#lead-rows tbody").inner_text()
    assert "占道经营线索" in listed and "多部门线索" in listed


def test_zhao_records_a_round_and_finds_it_by_the_filter(open_as):
    zhao = open_as("zhao")
    zhao.goto("/rounds/new")
    grid = zhao.locator("#f-grid_code")
    grid.select_option(index=1)
    grid_code = grid.input_value()
    zhao.locator("#round-form input[name=checks]").first.check()
    zhao.locator("#f-m1-summary").fill("楼道堆放杂物")
    zhao.locator("#f-m1-category_code").select_option(index=1)
    press(zhao, "保存排查记录")
    errors = zhao.locator(".is-danger").all_inner_texts()
    assert "/rounds/new" not in zhao.url, errors
    assert "楼道堆放杂物" in zhao.content()

    zhao.goto("/rounds")
    zhao.locator("#q-grid").select_option(grid_code)
    zhao.locator("#q-month").fill(date.today().strftime("%Y-%m"))
    press(zhao, "筛选")
    assert f"grid={grid_code}" in zhao.url
    assert zhao.locator("#rounds tbody tr a[href^='/rounds/']").count() >= 1


def test_zhao_keeps_the_roster_and_reads_the_grid_figures(open_as):
    zhao = open_as("zhao")
    zhao.goto("/roster")
    press(zhao, "查看")
    assert "township=" in zhao.url
    row = zhao.locator("#worker-wang")
    row.locator("input[name=phone]").fill("17700002222")
    press(zhao, "保存", row)
    row = zhao.locator("#worker-wang")
    assert row.locator("[data-phone]").inner_text().strip() == "177****2222"
    assert "17700002222" not in zhao.content()  # masked, never shown in the clear
    row.locator("input[name=held_on]").fill("2026-11-20")
    row.locator("input[name=title]").fill("矛盾纠纷排查培训")
    press(zhao, "添加", row)
    trainings = zhao.locator("#worker-wang").inner_text()
    assert "2026-11-20" in trainings and "矛盾纠纷排查培训" in trainings

    zhao.goto("/stats/grids")
    press(zhao, "查看")
    assert "/stats/grids" in zhao.url
    assert zhao.locator("#grid-figures tbody tr[data-grid]").count() >= 1


def test_on_a_phone_the_lead_and_round_lists_are_cards(open_as):
    """390 px wide (issue 16 item 7): one card per row, the column's name beside each value,
    nothing wider than the screen."""
    zhao = open_as("zhao")
    receive_lead(zhao, "手机上看的线索")
    zhao.goto("/rounds/new")
    zhao.locator("#f-grid_code").select_option(index=1)
    zhao.locator("#round-form input[name=checks]").first.check()
    press(zhao, "保存排查记录")
    phone = open_as("zhao", {"width": 390, "height": 844})
    for path, table in (("/leads", "#lead-rows"), ("/rounds", "#rounds")):
        phone.goto(path)
        row = phone.locator(f"{table} tbody tr").first
        assert phone.locator(f"{table} thead").is_hidden(), path
        assert row.evaluate("r => getComputedStyle(r).display") == "block", path
        label = row.locator("td").first.evaluate("td => getComputedStyle(td, '::before').content")
        assert label not in ("none", "normal", '""'), path  # e.g. "编号"
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
