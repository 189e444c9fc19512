"""事件列表 → 导出 in a real browser: the buttons download the current filter, nothing more."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.geo.models import Jurisdiction
from tests.web.conftest import LiveServer

pytestmark = pytest.mark.browser


def register(page, grid: str, title: str) -> str:  # type: ignore[no-untyped-def]
    """Through the API with the browser's own session (cookie + CSRF header)."""
    csrf = page.request.get("/api/v1/auth/me").json()["csrf_token"]
    body = {
        "category_code": "neighbour", "source_code": "grid_patrol", "title": title,
        "description": "院墙排水沟堵塞", "grid_code": grid,
        "parties": [{"role": "applicant", "name": "张三", "phone": "13800138000"}],
    }  # fmt: skip
    r = page.request.post("/api/v1/cases", data=body, headers={"X-CSRF-Token": csrf})
    assert r.status == 201, r.text()
    return str(r.json()["code"])


def download(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    return Path(info.value.path())


def test_export_buttons_download_the_filtered_cases(open_as, live_server: LiveServer):
    wang = open_as("wang")
    wang.goto("/cases")
    with Session(live_server.engine) as s:
        village = s.scalars(select(User).where(User.username == "wang")).one().jurisdiction
        grid = s.scalars(
            select(Jurisdiction.code)
            .where(Jurisdiction.level == "grid", Jurisdiction.code.startswith(village.prefix))
            .order_by(Jurisdiction.code)
        ).first()
    assert grid is not None
    codes = {register(wang, grid, "导出测试纠纷") for _ in range(3)}
    zhao = open_as("zhao")
    zhao.goto("/cases")
    zhao.get_by_label("搜索（标题、描述）或输入完整事件编号").fill("导出测试")
    zhao.get_by_role("button", name="筛选", exact=True).click()
    zhao.wait_for_url("**/cases?q=*")
    listed = set(zhao.locator("#case-rows a[href^='/cases/']").all_inner_texts())
    assert listed == codes
    text = download(zhao, "导出 CSV").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert {r[0] for r in rows[1:]} == listed
    assert "张三" not in text and "13800138000" not in text
    book = io.BytesIO(download(zhao, "导出 Excel").read_bytes())
    sheet = load_workbook(book, read_only=True).worksheets[0]
    assert {r[0] for r in list(sheet.iter_rows(values_only=True))[1:]} == listed
