"""Every other main page in a real browser: accessible, screenshots at both sizes, and the
behaviours that need a browser (form errors kept beside fields, the language switch)."""

from __future__ import annotations

import pytest

from tests.web.browser_support import assert_accessible, screenshot
from tests.web.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def test_login_page_is_styled_accessible_and_chinese(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    page = context.new_page()
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "登录"
    assert_accessible(page)
    screenshot(page, "login")
    page.get_by_label("用户名").fill("wang")
    page.get_by_label("密码").fill("wrong-password-1")
    page.get_by_role("button", name="登录").click()
    assert page.locator('[role="alert"]').count() == 1
    context.close()


def test_register_errors_stay_beside_the_fields_and_keep_the_input(open_as):
    page = open_as("wang")
    page.goto("/cases/new")
    page.get_by_label("标题").fill("只填了标题")
    page.locator("#f-party-0-phone").fill("12")
    page.get_by_role("button", name="事件登记", exact=True).click()
    page.wait_for_selector(".help.is-danger")
    assert page.get_by_label("标题").input_value() == "只填了标题"
    assert page.locator("#f-party-0-phone").input_value() == "12"
    assert page.locator("#description-error").inner_text() == "此项为必填项。"
    assert page.locator("#lat-error").count() == 1
    assert_accessible(page)


def test_language_switch_to_english_and_back(open_as):
    page = open_as("zhao")
    page.goto("/cases")
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "Cases"
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="中文").click()
    assert page.locator("h1").inner_text() == "事件列表"


def test_phone_menu_opens(open_as):
    page = open_as("wang", viewport=PHONE)
    page.goto("/cases")
    assert not page.get_by_role("link", name="事件登记").is_visible()
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="事件登记").click()
    assert page.locator("h1").inner_text() == "事件登记"


@pytest.mark.parametrize(
    ("user", "path", "name"),
    [("admin", "/admin", "admin"), ("security", "/admin/users", "users"),
     ("admin", "/admin/boundaries", "boundaries"), ("audit", "/audit", "audit")],
)  # fmt: skip
def test_administration_pages(open_as, user, path, name):
    page = open_as(user)
    page.goto(path)
    if name == "audit":
        page.get_by_role("button", name="校验审计链").click()
        page.wait_for_selector("#verify-ok")
    assert_accessible(page)
    screenshot(page, name)
