"""附件 in a real browser on a phone: a photo chosen on the registration form, a document
and a refused file on the case page; the thumbnail loads (as visible as the case)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.cases.attachments.samples import PDF, photo_with_gps
from tests.web.browser_support import assert_accessible, open_register_map, screenshot
from tests.web.conftest import PHONE

pytestmark = pytest.mark.browser


def choose(page, files: list[tuple[str, str, bytes]]) -> None:  # type: ignore[no-untyped-def]
    page.locator("#f-attachments").set_input_files(
        [{"name": n, "mimeType": t, "buffer": b} for n, t, b in files]
    )


def register_with_photo(page) -> str:  # type: ignore[no-untyped-def]
    photo = [("scene.jpg", "image/jpeg", photo_with_gps())]
    open_register_map(page)
    page.get_by_label("类别").select_option("neighbour")
    page.get_by_label("标题").fill("村道占用纠纷（附现场照片）")
    page.get_by_label("事件描述").fill("两户因村道堆放杂物发生争执。")
    page.locator("#register-map").scroll_into_view_if_needed()
    box = page.locator("#register-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#located strong")
    choose(page, photo)
    page.get_by_role("button", name="事件登记", exact=True).click()
    page.wait_for_selector(".flash, #duplicates")
    if page.locator("#duplicates").count():  # an earlier test's case nearby: choose again
        choose(page, photo)
        page.get_by_role("button", name="仍然登记", exact=True).click()
        page.wait_for_selector(".flash")
    return page.url.split("#")[0].rsplit("/", 1)[-1]


def test_photos_and_documents_on_a_phone(open_as):
    wang = open_as("wang", viewport=PHONE)
    code = register_with_photo(wang)
    thumb = wang.locator("#attachments img.attachment-thumb")
    thumb.wait_for()
    expect(thumb).to_have_js_property("complete", True)
    assert wang.evaluate("document.querySelector('img.attachment-thumb').naturalWidth") > 0
    choose(wang, [("notes.txt", "text/plain", b"plain text is refused")])
    wang.get_by_role("button", name="上传", exact=True).click()
    wang.wait_for_selector("#attachments-error")
    assert "不支持的文件类型" in wang.locator("#attachments-error").inner_text()
    assert_accessible(wang)
    choose(wang, [("agreement.pdf", "application/pdf", PDF)])
    wang.get_by_role("button", name="上传", exact=True).click()
    wang.wait_for_selector(".flash")
    assert wang.locator("#attachments li.attachment").count() == 2
    assert wang.locator("#attachments li[data-kind=pdf] a").count() == 1
    screenshot(wang, "case-attachments")
    zhou = open_as("zhou")  # another township: the case and its files are not there
    url = wang.locator("#attachments img.attachment-thumb").get_attribute("src")
    assert zhou.request.get(url).status == 404
    assert zhou.request.get(f"/api/v1/cases/{code}/attachments").status == 404
