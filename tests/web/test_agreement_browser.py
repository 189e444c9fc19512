"""The 人民调解协议书 and the English UI in a real browser: a mediator downloads the Word
file from the case page (reason given, names in full); the case and its printable agreement
are accessible in English, with the legal document itself left in Chinese."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from docx import Document

from tests.web.browser_support import assert_accessible, screenshot

pytestmark = pytest.mark.browser

GRID = "990101002201001"  # a grid of wang's village (清山村), inside zhao's township


def _api(page: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """A JSON write with the page's login session and its CSRF token."""
    token = page.locator('input[name="csrf_token"]').first.input_value()
    r = page.request.post(path, data=body, headers={"X-CSRF-Token": token})
    assert r.ok, r.text()
    return dict(r.json())


def agreed_case(page: Any) -> str:
    """zhao registers a case (held at his township), accepts it, sends it to the township
    committee, records the
    agreement (through the API: the browser story test covers those forms)."""
    page.goto("/cases/new")
    case = _api(page, "/api/v1/cases", {
        "category_code": "neighbour", "source_code": "visit", "title": "院墙滴水纠纷",
        "description": "两户因院墙滴水发生争执", "grid_code": GRID,
        "parties": [{"role": "applicant", "name": "张三", "id_number": "99010119800101001X"},
                    {"role": "respondent", "name": "李四"}],
    })  # fmt: skip
    code, version = case["code"], case["version"]
    deadline = (date.today() + timedelta(days=10)).isoformat()
    for action, body in (
        ("accept", {}),
        ("assign", {"unit_code": f"{case['township_code'][:9]}-mediation"}),  # held there
        ("record_agreement", {"terms": "李四加装落水管", "performance_manner": "自行施工",
                              "responsibilities": "李四加装，张三配合",
                              "performance_place": "李四家",
                              "performance_deadline": deadline}),
    ):  # fmt: skip
        version = _api(page, f"/api/v1/cases/{code}/actions/{action}",
                       {"expected_version": version, **body})["version"]  # fmt: skip
    return str(code)


def test_download_the_agreement_as_word(open_as: Any) -> None:
    zhao = open_as("zhao")
    code = agreed_case(zhao)
    zhao.goto(f"/cases/{code}")
    zhao.get_by_label("下载理由", exact=False).fill("当事人申请领取协议书")
    with zhao.expect_download() as info:
        zhao.get_by_role("button", name="下载调解协议书（Word）").click()
    download = info.value
    assert download.suggested_filename == f"人民调解协议书-{code}.docx"
    with open(download.path(), "rb") as f:
        text = "\n".join(p.text for p in Document(io.BytesIO(f.read())).paragraphs)
    assert "申请人：张三" in text and "李四加装落水管" in text and code in text
    assert_accessible(zhao)


def test_case_and_agreement_in_english(open_as: Any) -> None:
    zhao = open_as("zhao")
    code = agreed_case(zhao)
    zhao.goto(f"/cases/{code}?lang=en")
    assert zhao.locator("html").get_attribute("lang") == "en"
    assert "Neighbours" in zhao.content()
    assert zhao.get_by_role("button", name="Download the agreement (Word)").is_visible()
    assert_accessible(zhao)
    screenshot(zhao, "case-detail-en")
    zhao.get_by_role("link", name="Print the mediation agreement").click()
    assert zhao.locator("h1").inner_text().startswith("People's mediation agreement")
    assert zhao.locator("article[lang='zh-CN']").inner_text().count("人民调解协议书") == 1
    assert_accessible(zhao)
    screenshot(zhao, "agreement-en")
