"""The buttons no story test pressed (issue 16, Checks: every button on every page pressed at
least once across the suite; the list and the check are in tests/web/buttons.py). Each is
pressed here and what it answers is checked: a bad or empty submission comes back with its
error beside the form and changes nothing, a good one does what it says."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.test_agreement_browser import agreed_case

pytestmark = pytest.mark.browser


def press(page: Any, name: str, **kwargs: Any) -> None:
    page.get_by_role("button", name=name, **kwargs).first.click()
    page.wait_for_load_state("networkidle")


def test_case_forms_answer_an_empty_submission_beside_the_form(open_as):
    zhao = open_as("zhao")
    code = agreed_case(zhao)
    for action in ("extend", "suspend", "terminate", "refer_down"):
        zhao.goto(f"/cases/{code}")
        box = zhao.locator(f"#action-{action}")
        box.locator("summary").click()
        box.get_by_role("button", name="提交").click()
        zhao.wait_for_load_state("networkidle")
        assert zhao.locator(f"#action-{action}[open] .is-danger").count() >= 1, action
    zhao.goto(f"/cases/{code}")
    box = zhao.locator("#action-share")
    box.locator("summary").click()
    box.locator("select[name=unit_code]").select_option(index=1)
    box.get_by_role("button", name="提交").click()
    zhao.wait_for_url(f"**/cases/{code}")
    assert zhao.locator("li[id^=share-]").count() == 1
    zhao.get_by_label("下载理由", exact=False).fill("当事人申请领取协议书")
    with zhao.expect_download() as info:
        press(zhao, "下载调解协议书（PDF）")
    assert info.value.suggested_filename.endswith(".pdf")
    zhao.goto(f"/cases/{code}/agreement")
    zhao.evaluate("window.print = () => { document.body.dataset.printed = '1'; }")
    press(zhao, "打印")
    assert zhao.evaluate("document.body.dataset.printed") == "1"


def test_registering_adds_a_party_row_and_reports_generate_and_preview(open_as):
    zhao = open_as("zhao")
    zhao.goto("/cases/new")
    zhao.wait_for_load_state("networkidle")  # the form's script is in place before the press
    rows = zhao.locator("#parties fieldset.party").count()
    press(zhao, "添加当事人")
    zhao.locator("#parties fieldset.party").nth(rows).wait_for()  # the added row appears
    assert zhao.locator("#parties fieldset.party").count() == rows + 1
    chen = open_as("chen")
    chen.goto("/reports")
    press(chen, "生成并保存")
    assert chen.url.endswith("/reports") and chen.locator("table.reports tbody tr a").count() >= 1
    press(chen, "网页预览")
    assert "/reports/preview" in chen.url and "工作情况报告" in chen.content()


def test_administration_forms(open_as):
    admin = open_as("admin")
    admin.goto("/admin")
    admin.locator("button", has_text="保存").first.click()  # the first category's row
    admin.wait_for_load_state("networkidle")
    assert "/admin" in admin.url
    form = admin.locator("form[aria-labelledby=policy-form-heading]")
    source = form.locator("#f-source_code option").nth(1).inner_text()
    form.locator("#f-source_code").select_option(index=1)
    form.locator("#f-category_code").select_option("medical")
    form.locator("#f-level").select_option("county")
    for name, days in (("accept_days", "3"), ("resolve_days", "20"), ("follow_up_days", "5")):
        form.locator(f"#f-{name}").fill(days)
    form.get_by_label("民转刑", exact=False).check()
    form.get_by_role("button", name="保存").click()
    admin.wait_for_load_state("networkidle")
    row = admin.locator("#policies tbody tr", has_text=source).filter(has_text="医疗")
    row = row.filter(has_text="✓")
    assert row.count() == 1
    row.get_by_role("button", name="删除").click()  # the policy just made, and only it
    admin.wait_for_load_state("networkidle")
    assert (
        admin.locator("#policies tbody tr", has_text=source)
        .filter(has_text="医疗")
        .filter(has_text="✓")
        .count()
        == 0
    )
    admin.locator("form[action='/admin/calendar/day'] button").click()  # no date: refused
    admin.wait_for_load_state("networkidle")
    admin.goto("/admin/calendar")
    press(admin, "查看")
    admin.goto("/admin/units")
    press(admin, "筛选")
    admin.locator("tbody button", has_text="保存").first.click()  # a unit's row
    admin.wait_for_load_state("networkidle")
    admin.goto("/admin/boundaries")
    bad = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}
    upload = {"name": "bad.geojson", "mimeType": "application/json"}
    admin.locator("input[type=file]").set_input_files(
        {**upload, "buffer": json.dumps(bad).encode()}
    )
    press(admin, "导入")
    assert admin.locator(".is-danger, table").count() >= 1  # the errors, nothing imported


def test_security_and_audit_forms_and_signing_out(open_as):
    security = open_as("security")
    security.goto("/admin/users/wu")
    press(security, "修改角色")
    press(security, "重置动态口令")
    assert "/admin/users/wu" in security.url
    audit = open_as("audit")
    audit.goto("/audit")
    press(audit, "校验审计链")
    assert audit.locator("#verify-result").inner_text().strip() != ""
    audit.get_by_label("用户名").fill("admin")
    press(audit, "搜索")
    assert "actor=admin" in audit.url
    wang = open_as("wang")
    wang.goto("/cases")
    press(wang, "退出登录")
    # pwa.js deletes the field kit's pages and queue before it sends the sign-out, so the
    # page may still be idle on /cases when press() returns: wait for the login page
    wang.wait_for_url("**/login**")
