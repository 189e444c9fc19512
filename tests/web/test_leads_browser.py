"""线索 in a real browser: qian (county centre) receives a lead handed down and assigns it,
sees the informant only by pressing 查看 with a reason; sun (司法所) starts, notes and
verifies; qian replies, the city sends it back, sun verifies again, qian replies and closes;
a second lead is split between two units. Every button of the lead forms is pressed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.test_agreement_browser import _api

pytestmark = pytest.mark.browser
JUSTICE = "990101002-justice"
POLICE = "990101002-police"


def received_lead(page: Any) -> str:
    """A lead received at the user's township through the API (the story below uses the form)."""
    page.goto("/leads/new")
    me = page.request.get("/api/v1/auth/me").json()
    lead = _api(page, "/api/v1/leads", {
        "source": "assigned", "issuing_body": "市信访局", "category_code": "dispute_risk",
        "title": "反映村道占用纠纷", "content": "群众反映村道被占用", "batch": "B1",
        "jurisdiction_code": me["jurisdiction_code"],
    })  # fmt: skip
    return str(lead["code"])


def _press(page: Any, code: str, action: str, **fields: str) -> None:
    page.goto(f"/leads/{code}")
    page.locator(f"#action-{action} summary").click()
    for name, value in fields.items():
        page.locator(f"#{action}-{name}").fill(value)
    page.locator(f"#submit-{action}").click()
    page.wait_for_url(f"**/leads/{code}")


def _state(page: Any) -> str:
    return str(page.locator("#lead-state").inner_text())


def test_a_lead_from_receipt_to_closing(open_as: Any) -> None:
    qian, sun = open_as("qian"), open_as("sun")
    qian.goto("/leads/new")
    qian.get_by_label("来源").select_option("assigned")
    for label, value in (
        ("来文单位", "市扫黑办"), ("文号", "市扫黑办〔2026〕9号"), ("批次", "第5批"),
        ("标题", "反映砂石场强揽工程"), ("反映内容", "有人威胁周边施工队"),
        ("涉及人员", "砂石场老板刘某"), ("举报人姓名", "举报人丙"),
    ):  # fmt: skip
        qian.get_by_label(label, exact=False).first.fill(value)
    qian.get_by_label("区划").select_option("990101002000")  # picked by name (青石镇)
    qian.locator("#create-lead").click()
    qian.wait_for_url("**/leads/XS*")
    code = qian.url.rsplit("/", 1)[1]
    assert _state(qian) == "已接收" and "举报人丙" not in qian.content()
    qian.locator("#action-assign summary").click()
    qian.locator(f"#assign-unit-{JUSTICE}").check()
    qian.locator("#submit-assign").click()
    qian.wait_for_url(f"**/leads/{code}")
    assert _state(qian) == "已分办"
    qian.locator("#lead-informant-heading ~ details summary").click()
    qian.locator("#reveal-reason").fill("需要向举报人反馈")
    qian.locator("#reveal-button").click()
    qian.locator("#informant-revealed").wait_for()
    assert "举报人丙" in qian.locator("#informant-revealed").inner_text()

    _press(sun, code, "start")
    assert "砂石场老板刘某" in sun.locator("#lead-persons").inner_text()
    _press(sun, code, "note", note="已走访砂石场")
    _press(sun, code, "verify", actions_taken="责令停止强揽行为")
    assert _state(sun) == "已核查"
    _press(qian, code, "reply", reply="经核查部分属实，已整改")
    _press(qian, code, "return", reason="整改情况不具体")
    assert _state(qian) == "核查中"
    _press(sun, code, "verify", actions_taken="已签订整改承诺书并复查")
    _press(qian, code, "reply", reply="经核查属实，已整改到位")
    _press(qian, code, "close")
    assert _state(qian) == "已结案"
    assert "已走访砂石场" in qian.locator("#lead-timeline").inner_text()


def test_split_a_lead_between_two_units(open_as: Any) -> None:
    zhao = open_as("zhao")
    code = received_lead(zhao)
    zhao.goto(f"/leads/{code}")
    zhao.locator("#action-split summary").click()
    zhao.locator(f"#split-unit-{JUSTICE}").check()
    zhao.locator(f"#split-unit-{POLICE}").check()
    zhao.locator("#submit-split").click()
    zhao.wait_for_url(f"**/leads/{code}")
    assert zhao.locator(f'a[href="/leads/{code}-2"]').count() == 1
    zhao.goto("/leads")
    assert code in zhao.locator("#lead-rows").inner_text()
