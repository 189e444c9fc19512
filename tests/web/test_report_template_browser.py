"""报告 → 上传 Word 模板 in a real browser: the form refuses an unsafe template beside the file
field and keeps nothing; a good template is uploaded and offered in the generate form."""

from __future__ import annotations

import pytest

from tests.reports.docx_build import docx_with

pytestmark = pytest.mark.browser

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def upload(page, name: str, content: bytes) -> None:  # type: ignore[no-untyped-def]
    page.goto("/reports")
    page.locator(".template-form #f-name").fill(name)
    page.locator("#f-file").set_input_files(
        {"name": f"{name}.docx", "mimeType": DOCX, "buffer": content}
    )
    page.locator(".template-form button[type=submit]").click()
    page.wait_for_load_state()


def test_the_upload_form_refuses_an_unsafe_template_and_keeps_a_good_one(open_as):
    zhao = open_as("zhao")
    upload(zhao, "恶意模板", docx_with("{{ ''.__class__.__mro__ }}"))
    assert "__class__" in zhao.locator(".template-form").inner_text()
    assert zhao.locator("#f-file.is-danger").count() == 1
    assert "恶意模板" not in zhao.locator("select[name=template_id]").inner_text()

    default = zhao.request.get("/api/v1/reports/default-template").body()
    upload(zhao, "本县模板", default)
    assert zhao.url.endswith("/reports")
    assert "本县模板" in zhao.locator("select[name=template_id]").inner_text()
