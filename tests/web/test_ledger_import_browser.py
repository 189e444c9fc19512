"""The ledger import page in a real browser (issue 21): zhao uploads a ledger with errors —
every error is listed with its row, column, value and why, the annotated copy is offered,
and the database is unchanged —, saves the mapping, previews again, then uploads a good
ledger, reads its first rows and imports it: the counts are shown."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.cases.models import Case
from tests.ledgers.ledger_files import good_rows, villages, workbook
from tests.web.browser_support import assert_accessible
from tests.web.conftest import origin_of
from tests.web.stalls import stall_report

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_CSV = (
    "受理日期,当事人,村（社区）,纠纷类型,纠纷简要情况\n2025-3-5,张三,无此村,邻里纠纷,院墙渗水\n"
)


def uploaded_ledger(page: Any, data: bytes | None = None, name: str = "台账.csv") -> str:
    """Upload a ledger on the page (default: a CSV with one error); the upload's id."""
    page.goto("/ledgers/import")
    content = data if data is not None else BAD_CSV.encode()
    mime = XLSX if name.endswith(".xlsx") else "text/csv"
    page.set_input_files("#ledger-file", {"name": name, "mimeType": mime, "buffer": content})
    page.get_by_role("button", name="上传并预览").click()
    try:
        page.wait_for_url(re.compile(r"/ledgers/import/\d+$"))
    except PlaywrightTimeout:  # say where the browser is and what it shows (CI failed once here)
        shown = page.locator("body").inner_text(timeout=5000)[:600]
        where = f"no preview after the upload: at {page.url}, showing {shown!r}\n"
        where += stall_report(origin_of(page.url))
        raise AssertionError(where) from None
    return str(page.url.rsplit("/", 1)[1])


def _cases(engine: Any) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Case)) or 0


def test_a_bad_ledger_shows_its_errors_and_a_good_one_imports(open_as: Any, live_server: Any):
    zhao = open_as("zhao")
    before = _cases(live_server.engine)
    uploaded_ledger(zhao)
    errors = zhao.locator("#ledger-errors tbody tr")
    assert errors.count() == 1
    assert "无此村" in errors.first.inner_text() and "未知的村" in errors.first.inner_text()
    assert zhao.locator("#ledger-annotated").is_visible()
    assert zhao.locator("#ledger-run").count() == 0  # nothing to import
    assert_accessible(zhao)
    zhao.fill("#ledger-mapping-name", "本所台账")
    zhao.get_by_role("button", name="保存映射").click()
    zhao.wait_for_selector("#ledger-saved")
    zhao.get_by_role("button", name="重新预览").click()
    zhao.wait_for_selector("#ledger-errors")
    assert _cases(live_server.engine) == before
    village, other = villages(live_server.engine)[:2]
    uploaded_ledger(zhao, workbook(good_rows(village, other)), "台账.xlsx")
    assert zhao.locator("#ledger-rows tbody tr").count() == 5
    assert "张*、李*" in zhao.locator("#ledger-rows").inner_text()
    zhao.get_by_role("button", name="导入").click()
    zhao.wait_for_selector("#ledger-result")
    assert zhao.locator("#ledger-imported").inner_text() == "5"
    assert _cases(live_server.engine) == before + 5
