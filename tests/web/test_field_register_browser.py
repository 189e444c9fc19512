"""The grid worker's phone journey (issue 20): the big 登记事件 button on the home page, the
form in the order a dispute is told, 定位到我的位置 with its accuracy and the place resolved
at once, the searchable category picker, and a large photo made smaller on the phone before
it is sent (its EXIF place gone)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.intake.actions import do_register
from grassroots.cases.schemas import NewCase
from grassroots.geo.queries import children, current_geometry
from tests.cases.attachments.samples import exif_of, photo_with_gps
from tests.web.browser_support import assert_accessible, screenshot
from tests.web.conftest import PHONE

pytestmark = pytest.mark.browser


def in_wangs_grid(live_server: Any) -> dict[str, float]:
    with Session(live_server.engine) as s:
        wang = s.scalars(select(User).where(User.username == "wang")).one()
        grid = children(s, wang.jurisdiction)[0]
        point = current_geometry(s, grid.id).representative_point()
    return {"latitude": point.y, "longitude": point.x, "accuracy": 12}


def test_register_from_a_phone_with_my_location_and_a_photo(open_as, live_server):
    wang = open_as("wang", viewport=PHONE)
    wang.context.grant_permissions(["geolocation"])
    wang.context.set_geolocation(in_wangs_grid(live_server))
    wang.goto("/")
    wang.get_by_role("link", name="登记事件").click()
    wang.wait_for_url("**/cases/new")
    headings = wang.locator("#register-form h2").all_inner_texts()
    assert headings[:4] == ["当事人", "事件情况", "事发地点", "严重程度"]
    assert not wang.locator("#register-map").is_visible()  # under 手动定位, collapsed
    wang.locator("#f-party-0-name").fill("张三")
    wang.get_by_label("按关键词查找").fill("宅基地")
    assert wang.locator("#f-category_code").input_value() == "housing_land"
    wang.get_by_label("标题").fill("宅基地边界纠纷")
    wang.get_by_label("事件描述").fill("两户对宅基地边界有争议。")
    wang.get_by_role("button", name="定位到我的位置").click()
    wang.wait_for_selector("#located strong")
    assert "精度约 12 米" in wang.locator("#locate-status").inner_text()
    assert wang.locator("#located strong").inner_text().count("/") == 2  # 镇 / 村 / 网格
    big = photo_with_gps(size=(3000, 2000))
    wang.locator("#f-attachments").set_input_files(
        [{"name": "scene.jpg", "mimeType": "image/jpeg", "buffer": big}]
    )
    assert_accessible(wang)
    screenshot(wang, "phone-register")
    wang.get_by_role("button", name="事件登记", exact=True).click()
    wang.wait_for_selector(".flash, #duplicates")
    if wang.locator("#duplicates").count():  # an earlier test's case nearby: the photo stays
        assert wang.locator("#f-attachments").evaluate("i => i.files.length") == 1
        wang.get_by_role("button", name="仍然登记", exact=True).click()
        wang.wait_for_selector(".flash")
    code = wang.url.split("#")[0].rsplit("/", 1)[-1]
    (row,) = wang.request.get(f"/api/v1/cases/{code}/attachments").json()
    sent = wang.request.get(row["url"]).body()
    assert max(Image.open(io.BytesIO(sent)).size) == 1600  # made smaller on the phone
    assert len(sent) < len(big) and exif_of(sent)[1] == {}
    screenshot(wang, "phone-case-with-photo")


def test_manual_place_is_the_fallback_when_location_is_refused(open_as):
    wang = open_as("wang", viewport=PHONE)  # no geolocation permission granted
    wang.goto("/cases/new")
    wang.get_by_role("button", name="定位到我的位置").click()
    expect(wang.locator("#register-map")).to_be_visible()  # 手动定位 opened
    assert "无法获取" in wang.locator("#locate-status").inner_text()
    wang.wait_for_selector("#register-map path.leaflet-interactive")
    wang.locator("#register-map").scroll_into_view_if_needed()
    box = wang.locator("#register-map").bounding_box()
    wang.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wang.wait_for_selector("#located strong")
    assert wang.locator("#f-lat").input_value() != ""


def test_the_photos_stay_chosen_after_the_duplicates_warning(open_as, live_server):
    """With photos chosen, 查重 asks first without them: the warning appears on the same
    page, the photo is still in the input, and 仍然登记 sends it (no second pick)."""
    point = in_wangs_grid(live_server)
    title = f"鱼塘承包纠纷 {point['latitude']:.5f}"
    with Session(live_server.engine) as s:
        wang_user = s.scalars(select(User).where(User.username == "wang")).one()
        first = NewCase(kind="dispute", category_code="neighbour", source_code="grid_patrol",
                        title=title, description="两户为鱼塘承包边界争吵，已多次调解。",
                        lat=point["latitude"], lng=point["longitude"], parties=[])  # fmt: skip
        do_register(s, first, actor=wang_user)
    wang = open_as("wang", viewport=PHONE)
    wang.goto("/cases/new")
    wang.get_by_label("类别").select_option("neighbour")
    wang.get_by_label("标题").fill(title)
    wang.get_by_label("事件描述").fill("两户为鱼塘承包边界争吵，已多次调解。")
    wang.locator("#manual-place summary").click()
    wang.locator("#f-lat").fill(f"{point['latitude']:.6f}")
    wang.locator("#f-lng").fill(f"{point['longitude']:.6f}")
    big = photo_with_gps(size=(2400, 1800))
    wang.locator("#f-attachments").set_input_files(
        [{"name": "pond.jpg", "mimeType": "image/jpeg", "buffer": big}]
    )
    wang.get_by_role("button", name="事件登记", exact=True).click()
    expect(wang.locator("#duplicates")).to_be_visible()
    assert wang.url.endswith("/cases/new")  # the same page: nothing was sent but the fields
    assert title in wang.locator("#duplicates").inner_text()
    assert wang.locator("#f-attachments").evaluate("i => i.files.length") == 1
    assert_accessible(wang)
    wang.get_by_role("button", name="仍然登记", exact=True).click()
    wang.wait_for_selector(".flash")
    code = wang.url.split("#")[0].rsplit("/", 1)[-1]
    (row,) = wang.request.get(f"/api/v1/cases/{code}/attachments").json()
    sent = wang.request.get(row["url"]).body()
    assert max(Image.open(io.BytesIO(sent)).size) == 1600 and exif_of(sent)[1] == {}
