"""联调 in a real browser: zhao (青石镇) shares a case with 柳河镇 as co-handler, gives 柳河镇
a task and writes in the thread (htmx); zhou (柳河镇) reads it, answers and marks the task
done. Every button of the joint pages is pressed; the pages stay accessible."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cases.attachments.samples import PDF
from tests.web.browser_support import assert_accessible
from tests.web.test_agreement_browser import GRID, _api

pytestmark = pytest.mark.browser
CO = "990101003000"  # 柳河镇


def shared_case(page: Any) -> str:
    page.goto("/cases/new")
    case = _api(page, "/api/v1/cases", {
        "category_code": "neighbour", "source_code": "visit", "title": "两镇交界草场边界纠纷",
        "description": "两镇牧户对交界草场边界有争议", "grid_code": GRID,
    })  # fmt: skip
    code, version = case["code"], case["version"]
    for action, body in (("accept", {}), ("share", {"jurisdiction_code": CO, "role": "co"})):
        version = _api(page, f"/api/v1/cases/{code}/actions/{action}",
                       {"expected_version": version, **body})["version"]  # fmt: skip
    return str(code)


def test_two_townships_share_tasks_and_a_thread(open_as: Any) -> None:
    zhao = open_as("zhao")
    code = shared_case(zhao)
    zhao.goto("/joint")
    zhao.get_by_role("link", name=code).click()
    zhao.wait_for_url(f"**/joint/{code}")
    zhao.locator("#task-box summary").click()
    zhao.locator("#task-side").select_option(f"j:{CO}")
    zhao.locator("#task-text").fill("通知柳河镇一方牧户到场勘界")
    zhao.get_by_role("button", name="添加分工").click()
    zhao.wait_for_selector("#tasks tbody tr")
    zhao.locator("#message-text").fill("请柳河镇周五前通知牧户到场")
    zhao.get_by_role("button", name="发送").click()
    zhao.wait_for_selector("#thread li")  # swapped in by htmx, no reload
    assert "请柳河镇周五前通知牧户到场" in zhao.locator("#thread").inner_text()
    assert_accessible(zhao)

    zhou = open_as("zhou")
    zhou.goto("/joint")
    zhou.get_by_role("link", name=code).click()
    assert "请柳河镇周五前通知牧户到场" in zhou.locator("#thread").inner_text()
    assert zhou.locator("#task-form").count() == 0  # the co-handler does not assign
    zhou.locator("#message-text").fill("已通知，周五上午到场")
    zhou.set_input_files("#message-files", {"name": "现场.pdf", "mimeType": "application/pdf",
                                            "buffer": PDF})  # fmt: skip
    zhou.get_by_role("button", name="发送").click()
    zhou.wait_for_selector("#thread li:nth-child(2) .message-files a")  # sent with htmx
    zhou.get_by_role("button", name="标记完成").click()
    zhou.wait_for_url(f"**/joint/{code}#tasks")
    assert zhou.get_by_role("button", name="标记完成").count() == 0
    assert_accessible(zhou)
    zhao.reload()
    assert "已通知，周五上午到场" in zhao.locator("#thread").inner_text()
    pdf = zhao.request.get(zhao.locator("#thread .message-files a").first.get_attribute("href"))
    assert pdf.ok and pdf.body() == PDF  # the other side downloads the file
