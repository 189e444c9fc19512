"""The residents' journey in a real browser on a phone-sized screen (390 × 844), with no
login: report (my location, name and phone with consent, the proof of work solved by the
page's script), the receipt code, the progress, 不满意 that reopens the case, and a second
rating after it is resolved again; a code typed on the lookup page; zhao marks a report as
spam on the case page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from shapely import from_wkb
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import schemas as s
from grassroots.cases.actions import run_action
from grassroots.cases.models import Case
from grassroots.geo.models import Boundary, Jurisdiction
from tests.cases.attachments.samples import exif_of, photo_with_gps
from tests.web.browser_support import assert_fits_width
from tests.web.conftest import PHONE, Guard, _guard_context, watch_console, watch_csp

pytestmark = pytest.mark.browser
GRID = "990101002201001"  # a grid of 清山村, inside zhao's township (青石镇)


def _inside(live_server: Any) -> dict[str, float]:
    with Session(live_server.engine) as session:
        grid = session.scalars(select(Jurisdiction).where(
            Jurisdiction.code == GRID, Jurisdiction.valid_to.is_(None))).one()  # fmt: skip
        wkb = session.scalars(select(Boundary.wkb).where(
            Boundary.jurisdiction_id == grid.id, Boundary.valid_to.is_(None))).one()  # fmt: skip
    point = from_wkb(wkb).representative_point()
    return {"latitude": point.y, "longitude": point.x}


@pytest.fixture
def resident(browser: Any, live_server: Any) -> Any:
    """A phone with no login, located inside the grid, under the same guards as open_as."""
    guard = Guard()
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, locale="zh-CN",
        geolocation=_inside(live_server), permissions=["geolocation"],
    )  # fmt: skip
    _guard_context(context, guard)
    watch_csp(context, guard)
    page = context.new_page()
    page.on("pageerror", lambda exc: guard.errors.append(str(exc)))
    watch_console(page, guard)
    yield page
    context.close()
    guard.check()


def _staff(live_server: Any, code: str, *steps: tuple[str, s.ActionInput]) -> None:
    with Session(live_server.engine) as session:
        zhao = session.scalars(select(User).where(User.username == "zhao")).one()
        for action, params in steps:
            run_action(session, code, action, params, actor=zhao)


def _report(page: Any, description: str) -> str:
    page.goto("/public/report")
    assert_fits_width(page, page.viewport_size["width"], "the report form")
    page.get_by_label("发生了什么？").fill(description)
    page.locator("#use-my-location").click()
    page.wait_for_function("document.getElementById('pr-lat').value !== ''")
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("我已阅读并同意上述告知").check()
    page.locator("#submit-report").click()
    page.wait_for_selector("#receipt-code", timeout=60_000)
    return str(page.locator("#receipt-code").inner_text()).strip()


def _latest_code(live_server: Any) -> str:
    with Session(live_server.engine) as session:
        case = session.scalars(select(Case).where(Case.source_code == "resident_report")
                               .order_by(Case.id.desc())).first()  # fmt: skip
        assert case is not None and case.grid_code == GRID
        return case.code


def test_report_receipt_progress_rate_reopen_on_a_phone(resident: Any, live_server: Any) -> None:
    page = resident
    receipt = _report(page, "邻居装修把我家院墙震裂了，协商多次没有结果。")
    assert len(receipt.replace("-", "")) == 24
    assert_fits_width(page, PHONE["width"], "the receipt")
    code = _latest_code(live_server)
    page.locator("#check-progress-now").click()
    page.wait_for_selector("#progress-state")
    assert page.locator("#progress-state").inner_text() == "已收到，等待受理"
    assert_fits_width(page, PHONE["width"], "the progress")
    assert "#" not in page.url and receipt not in page.url  # the code stays out of URLs
    village = "990101002201"
    _staff(live_server, code, ("accept", s.Accept()),
           ("assign", s.Assign(unit_code=f"{village}-mediation")),
           ("resolve", s.Resolve(outcome_note="内部记录：赔偿两千元")))  # fmt: skip
    page.locator("#refresh-progress").click()
    page.wait_for_selector("#rating-form")
    assert page.locator("#progress-state").inner_text() == "已化解"
    assert "赔偿两千元" not in page.content() and "赵" not in page.content()
    assert_fits_width(page, PHONE["width"], "the progress with the rating form")
    page.locator("#rating-unsatisfied").check()
    page.get_by_label("意见建议（选填）").fill("墙还是裂的")
    assert page.locator("#rating-reopen").is_checked()
    page.locator("#submit-rating").click()
    page.wait_for_selector("#rated-notice")
    assert page.locator("#progress-state").inner_text() == "办理中"
    _staff(live_server, code, ("resolve", s.Resolve(outcome_note="重新修补院墙")))
    page.locator("#refresh-progress").click()
    page.wait_for_selector("#rating-form")
    page.locator("#rating-satisfied").check()
    page.locator("#submit-rating").click()
    page.wait_for_selector("#progress-rating")
    assert "满意" in page.locator("#progress-rating").inner_text()
    assert page.locator("#rating-form").count() == 0  # once per resolution


def test_a_typed_code_and_a_report_marked_as_spam(resident: Any, live_server: Any,
                                                  open_as: Any) -> None:  # fmt: skip
    page = resident
    receipt = _report(page, "广告：专业疏通下水道，电话 13912345678")
    code = _latest_code(live_server)
    page.goto("/public/progress")
    page.get_by_label("查询码").fill(receipt.lower().replace("-", ""))
    page.locator("#lookup-submit").click()
    page.wait_for_selector("#progress-state")
    zhao = open_as("zhao")
    zhao.goto(f"/cases/{code}")
    box = zhao.locator("details.action-box", has=zhao.locator("summary", has_text="标记无效信息"))
    box.locator("summary").click()
    box.get_by_label("理由").fill("广告信息，不是纠纷")
    box.get_by_role("button", name="提交: 标记无效信息").click()
    zhao.wait_for_selector(".flash.is-success")
    page.goto("/public/progress")
    page.get_by_label("查询码").fill(receipt)
    page.locator("#lookup-submit").click()
    page.wait_for_selector("#progress-state")
    assert page.locator("#progress-state").inner_text() == "经核实为无效信息"


NARROW = {"width": 320, "height": 640}  # the narrowest phones still in use


def test_every_public_page_fits_a_narrow_phone(resident: Any, live_server: Any) -> None:
    """At 320 px: the report form with the map, the receipt (24 characters of code), the
    progress, the lookup page with a long unbroken code typed — none scrolls sideways."""
    page = resident
    page.set_viewport_size(NARROW)
    receipt = _report(page, "院墙裂缝" + "很长的一段没有标点的文字" * 20 + "x" * 120)
    assert_fits_width(page, NARROW["width"], "the receipt")
    page.locator("#check-progress-now").click()
    page.wait_for_selector("#progress-state")
    assert_fits_width(page, NARROW["width"], "the progress")
    page.goto("/public/progress")
    page.locator(".receipt-input").fill(receipt.replace("-", "") * 2)
    assert_fits_width(page, NARROW["width"], "the lookup form")
    for path in ("/public/report?lang=en", "/public/progress?lang=en"):  # longer labels
        page.goto(path)
        assert_fits_width(page, NARROW["width"], path)


def test_the_width_check_names_what_is_too_wide(browser: Any) -> None:
    """The check itself: a page with a 500 px element fails it, naming that element."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content('<p>fits</p><div class="too-wide" id="w" style="width:500px">宽</div>')
    with pytest.raises(AssertionError) as failed:
        assert_fits_width(page, PHONE["width"], "a test page")
    message = str(failed.value)
    assert "a test page: the page is 5" in message and "on a 390 px screen" in message
    assert "<div id='w' class='too-wide'> width 500 px" in message
    assert "<p " not in message  # what fits is not listed
    page.set_content("<p>fits</p>")
    assert_fits_width(page, PHONE["width"])  # passes
    context.close()


def test_a_residents_photo_is_made_smaller_on_the_phone(resident: Any, live_server: Any,
                                                        open_as: Any) -> None:  # fmt: skip
    """The report page redraws a large photo at most 1600 px on its longer side before it is
    sent (photos.js, as on the staff field form): the request is smaller than the photo, and
    what is kept has no EXIF place or time."""
    page = resident
    big = photo_with_gps(size=(3000, 2000))
    sent: list[int] = []
    page.on("request", lambda r: sent.append(len(r.post_data_buffer or b""))
            if r.method == "POST" and r.url.endswith("/public/report") else None)  # fmt: skip
    page.goto("/public/report")
    page.get_by_label("发生了什么？").fill("村口路灯坏了一个月，晚上很黑，老人走路容易摔倒。")
    page.locator("#use-my-location").click()
    page.wait_for_function("document.getElementById('pr-lat').value !== ''")
    page.locator("#pr-photos").set_input_files(
        [{"name": "road.jpg", "mimeType": "image/jpeg", "buffer": big}]
    )
    page.locator("#submit-report").click()
    page.wait_for_selector("#receipt-code", timeout=60_000)
    assert sent and 0 < sent[0] < len(big)
    code = _latest_code(live_server)
    zhao = open_as("zhao", viewport=PHONE)
    (row,) = zhao.request.get(f"/api/v1/cases/{code}/attachments").json()
    kept = zhao.request.get(row["url"]).body()
    assert max(Image.open(io.BytesIO(kept)).size) == 1600
    assert exif_of(kept)[1] == {}
