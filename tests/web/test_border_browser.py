"""边界联席会议 in a real browser: zhao (青石镇) records a meeting with 柳河镇 and the
neighbouring county's centre, one decision; zhou (柳河镇) opens it, marks the decision done
in the edit form and downloads the minutes. Every button of the meeting pages is pressed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.browser_support import assert_accessible
from tests.web.test_agreement_browser import _api

pytestmark = pytest.mark.browser
CO = "990101003000"  # 柳河镇


def recorded_meeting(page: Any) -> int:
    """A meeting of the user's township and 柳河镇 (over the API), its id."""
    page.goto("/border/meetings")
    me = page.request.get("/api/v1/auth/me").json()
    body = {"held_on": "2026-03-12", "place": "交界处", "topics": "草场边界",
            "jurisdiction_codes": sorted({me["jurisdiction_code"], CO}),
            "decisions": [{"text": "现场勘界", "owner": "柳河镇"}]}  # fmt: skip
    return int(_api(page, "/api/v1/border/meetings", body)["id"])


def test_a_meeting_is_recorded_edited_and_its_minutes_downloaded(open_as: Any) -> None:
    zhao = open_as("zhao")
    zhao.goto("/border/meetings")
    zhao.get_by_role("link", name="记录会议").click()
    zhao.wait_for_url("**/border/meetings/new")
    zhao.get_by_label("地点").fill("青石镇综治中心")
    zhao.locator(f"#f-j-{CO}").check()
    zhao.get_by_label("本部署以外的参会单位", exact=False).fill("邻县综治中心 990201000000")
    zhao.get_by_label("会议议题").fill("两镇交界草场放牧边界")
    zhao.locator("#f-d0-text").fill("联合现场勘界")
    zhao.locator("#f-d0-owner").fill("青石镇司法所")
    zhao.get_by_role("button", name="保存会议").click()
    zhao.wait_for_url(re.compile(r"/border/meetings/\d+$"))  # not the form's /new
    assert "邻县综治中心" in zhao.locator("#participants").inner_text()
    assert_accessible(zhao)

    zhou = open_as("zhou")
    meeting = "/" + zhao.url.split("/", 3)[3]  # /border/meetings/<id>
    zhou.goto("/border/meetings")
    zhou.locator(f'#meetings a[href="{meeting}"]').click()
    zhou.wait_for_url(f"**{meeting}")
    zhou.get_by_role("link", name="编辑").click()
    zhou.locator("#f-d0-done").check()
    zhou.get_by_role("button", name="保存会议").click()
    zhou.wait_for_selector("#decisions")
    assert "是" in zhou.locator("#decisions tbody").inner_text()
    with zhou.expect_download() as download:
        zhou.get_by_role("link", name="会议纪要（Word）").click()
    assert download.value.suggested_filename.endswith(".docx")
    assert_accessible(zhou)


def registered_hazard(page: Any) -> int:
    """A hazard (a polygon) of the user's township and 柳河镇 (over the API), its id."""
    page.goto("/border/hazards")
    me = page.request.get("/api/v1/auth/me").json()
    ring = [[112.40, 30.60], [112.42, 30.60], [112.42, 30.62], [112.40, 30.60]]
    body = {"name": "交界草场", "kind": "pasture", "risk": "high", "description": "放牧范围争议",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "jurisdiction_codes": sorted({me["jurisdiction_code"], CO})}  # fmt: skip
    return int(_api(page, "/api/v1/border/hazards", body)["id"])


def test_a_hazard_is_registered_drawn_moved_and_edited(open_as: Any) -> None:
    zhao = open_as("zhao")
    registered_hazard(zhao)  # a polygon already on the map
    zhao.goto("/border/hazards")
    zhao.wait_for_selector("#hazard-map path.leaflet-interactive")
    zhao.get_by_role("link", name="登记边界隐患").click()
    zhao.wait_for_url("**/border/hazards/new")
    zhao.get_by_label("地点").fill("<img src=x>交界林地")
    zhao.locator("#f-kind").select_option("forest")
    zhao.get_by_label("纬度", exact=False).fill("30.61")
    zhao.get_by_label("经度", exact=False).fill("112.41")
    zhao.get_by_label("隐患情况").fill("林地界桩缺失")
    zhao.get_by_role("button", name="保存边界隐患").click()
    # the new hazard's own page ("**/border/hazards/*" also matched the form's /new at once,
    # so the map of the form could be clicked: CI failed there once)
    zhao.wait_for_url(re.compile(r"/border/hazards/\d+$"))
    zhao.wait_for_selector("#hazard-map path.leaflet-interactive")
    zhao.locator("#hazard-map path.leaflet-interactive").last.click(force=True)
    popup = zhao.locator(".leaflet-popup-content")
    assert "<img src=x>交界林地" in popup.inner_text()  # the name as text, not markup
    assert popup.locator("img").count() == 0
    zhao.locator("#status-note").fill("补设界桩")
    zhao.get_by_role("button", name="变更状态").click()
    zhao.wait_for_url("**#timeline")
    assert zhao.locator("#hazard-status").inner_text() == "防范化解"
    assert_accessible(zhao)
    zhao.get_by_role("link", name="编辑").click()
    zhao.locator("#f-risk").select_option("low")
    zhao.get_by_role("button", name="保存边界隐患").click()
    zhao.wait_for_selector("#timeline")
    assert "低风险" in zhao.locator("h1 + p").inner_text()
