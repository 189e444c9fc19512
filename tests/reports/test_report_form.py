"""工作报告 → 生成并保存 as a browser sends it: the form's own fields, no X-CSRF-Token header
(issue 16: chen got 403 csrf_failed because the form carried no csrf_token)."""

from __future__ import annotations

import re

COUNTY = "990101000000"


def _report_form(html: str) -> str:
    return html.split('class="report-form"', 1)[1].split("</form>", 1)[0]


def test_chen_generates_a_report_with_the_forms_own_token(client_as) -> None:
    chen = client_as("chen")
    del chen.headers["X-CSRF-Token"]  # what a browser's plain form submit does not send
    form = _report_form(chen.get("/reports").text)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None, "the report form carries no csrf_token"
    data = {"csrf_token": token.group(1), "jurisdiction": COUNTY, "period": "2026-03",
            "formats": ["xlsx"]}  # fmt: skip
    made = chen.post("/reports/generate", data=data, follow_redirects=False)
    assert made.status_code == 303, made.text
    refused = chen.post("/reports/generate", data={**data, "csrf_token": ""})
    assert refused.status_code == 403
