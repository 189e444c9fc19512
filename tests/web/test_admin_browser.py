"""管理 in a real browser: the administrator lands on 管理, creates and deactivates a unit,
enters a year's holiday schedule (a bad line is shown with its number, then a good save),
edits a deadline policy and creates an account. Every admin page passes the accessibility
check and is photographed at desktop and phone size (artifacts/screenshots/admin-*.png).

The live server's database lives for the whole session: codes and years used here are
unique to this module.
"""

from __future__ import annotations

import pytest

from tests.web.browser_support import assert_accessible, screenshot
from tests.web.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

YEAR = 2098  # unknown to the chinesecalendar package
ADMIN_PAGES = {
    "admin-home": "/admin",
    "admin-units": "/admin/units",
    "admin-calendar": f"/admin/calendar?year={YEAR}",
    "admin-users": "/admin/users",
    "admin-boundaries": "/admin/boundaries",
}


def _page_width_on_a_phone(page) -> int:  # type: ignore[no-untyped-def]
    """The document's width at phone size: wide tables scroll inside their box instead."""
    page.set_viewport_size(PHONE)
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    page.set_viewport_size(DESKTOP)
    return width


def test_admin_lands_on_admin_and_every_admin_page_is_accessible(open_as):
    page = open_as("admin")
    if page.url == "about:blank":  # a session resumed from an earlier test: open the start
        page.goto("/")
    assert page.url.endswith("/admin") and page.locator("h1").inner_text() == "管理"
    for name, path in ADMIN_PAGES.items():
        page.goto(path)
        assert_accessible(page)
        screenshot(page, name)
        assert _page_width_on_a_phone(page) <= PHONE["width"], path


def test_admin_creates_then_deactivates_a_unit(open_as):
    page = open_as("admin")
    page.goto("/admin/units")
    form = page.locator("#new-unit")
    form.get_by_label("单位代码").fill("990101002-browser")
    form.get_by_label("单位名称").fill("青石镇公共法律服务站")
    form.get_by_label("单位类别").select_option("judicial_office")
    form.get_by_label("区划").select_option("990101002000")
    form.get_by_role("button", name="新建单位").click()
    row = page.locator("#unit-990101002-browser")
    assert row.is_visible() and "已保存" in page.locator(".flash").inner_text()
    assert page.locator("#filter-jurisdiction").input_value() == "990101002000"
    row.get_by_role("button", name="停用 990101002-browser").click()
    row = page.locator("#unit-990101002-browser")
    assert "已停用" in row.inner_text()
    assert_accessible(page)
    row.get_by_role("button", name="重新启用 990101002-browser").click()
    assert "已停用" not in page.locator("#unit-990101002-browser").inner_text()
    # the same code again: the error sits beside the code field, the typed name is kept
    form = page.locator("#new-unit")
    form.get_by_label("单位代码").fill("990101002-browser")
    form.get_by_label("单位名称").fill("重复")
    form.get_by_label("区划").select_option("990101002000")
    form.get_by_role("button", name="新建单位").click()
    assert page.locator("#code-error").is_visible()
    assert page.locator("#new-unit").get_by_label("单位名称").input_value() == "重复"
    assert_accessible(page)
    screenshot(page, "admin-units-error")


def test_admin_enters_a_whole_year_with_one_bad_line_first(open_as):
    page = open_as("admin")
    page.goto(f"/admin/calendar?year={YEAR}")
    assert page.locator("#status-provisional").is_visible()
    page.get_by_label("通知文号").fill(f"国办发明电〔{YEAR - 1}〕9号")
    schedule = page.get_by_label("放假日期与调休上班日期")
    schedule.fill(f"{YEAR}-01-01 元旦\n{YEAR}-13-01 春节\n{YEAR}-01-04 调休上班")
    page.get_by_role("button", name="保存全年安排").click()
    errors = page.locator("#schedule-errors")
    assert errors.is_visible() and "第 2 行" in errors.inner_text()
    assert "第 1 行" not in errors.inner_text() and "第 3 行" not in errors.inner_text()
    assert f"{YEAR}-13-01" in page.get_by_label("放假日期与调休上班日期").input_value()
    assert_accessible(page)
    screenshot(page, "admin-calendar-error")
    schedule = page.get_by_label("放假日期与调休上班日期")
    schedule.fill(f"{YEAR}-01-01..{YEAR}-01-03 元旦\n{YEAR}-01-04 调休上班")
    page.get_by_role("button", name="预览").click()
    assert "3 天放假" in page.locator("#schedule-preview").inner_text()
    page.get_by_role("button", name="保存全年安排").click()
    assert page.locator("#status-admin").is_visible()
    assert f"国办发明电〔{YEAR - 1}〕9号" in page.locator("#status-admin").inner_text()
    assert_accessible(page)


def test_admin_edits_a_deadline_policy(open_as):
    page = open_as("admin")
    page.goto("/admin#policies")
    row = page.locator("#policies tbody tr").first
    field = row.locator('input[name="resolve_days"]')
    field.fill("21")
    row.get_by_role("button", name="保存").click()
    assert "已保存" in page.locator(".flash").inner_text()
    assert (
        page.locator("#policies tbody tr").first.locator('input[name="resolve_days"]').input_value()
        == "21"
    )
    assert_accessible(page)


def test_admin_creates_an_account(open_as):
    page = open_as("admin")
    page.goto("/admin/users")
    form = page.locator("#new-user")
    form.get_by_label("用户名").fill("browser_grid")
    form.get_by_label("姓名").fill("浏览器网格员")
    form.get_by_label("身份").select_option("grid_worker")
    form.get_by_label("岗位所在区划").select_option("990101002000")
    form.get_by_label("初始密码").fill("Wangge-Ceshi-2026")
    form.get_by_role("button", name="新建账号").click()
    assert page.url.endswith("/admin/users/browser_grid")
    assert "browser_grid" in page.locator(".flash").inner_text()
    assert_accessible(page)
    screenshot(page, "admin-user")
