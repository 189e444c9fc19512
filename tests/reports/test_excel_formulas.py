"""Formula injection in the Excel report (issue 12, item 5): a category name typed as a
formula is a text cell of the 统计表 workbook; the figures next to it stay numbers."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from grassroots.calendar.today import china_today
from tests.cases.conftest import grid_in

HTML = {"accept": "text/html"}
QINGSHI = "990101002000"
HOSTILE = '=HYPERLINK("http://evil.example","点此")'


def test_a_category_named_as_a_formula_is_text_in_the_excel_report(client_as, session, users):
    admin = client_as("admin")
    form = {"name": HOSTILE, "sort_order": "1", "active": "1"}
    r = admin.post("/admin/categories/neighbour", data=form, headers=HTML, follow_redirects=False)
    assert r.status_code == 303, r.text
    grid = grid_in(session, users["wang"])
    body = {"category_code": "neighbour", "source_code": "grid_patrol", "title": "排水纠纷",
            "description": "院墙排水沟堵塞", "grid_code": grid}  # fmt: skip
    assert client_as("wang").post("/api/v1/cases", json=body).status_code == 201
    zhao = client_as("zhao")
    period = china_today().strftime("%Y-%m")
    made = zhao.post("/api/v1/reports", json={"jurisdiction": QINGSHI, "period": period,
                                               "formats": ["xlsx"]})  # fmt: skip
    assert made.status_code == 201, made.text
    book = load_workbook(io.BytesIO(zhao.get(made.json()[0]["download_url"]).content))
    row = next(r for r in book["类别×层级"].iter_rows(min_row=3) if "HYPERLINK" in str(r[0].value))
    assert (row[0].data_type, row[0].value) == ("s", "'" + HOSTILE)
    assert row[1].data_type == "n" and row[1].value == 1  # 排查数: the one case, a number
    cells = [c for ws in book for line in ws.iter_rows() for c in line]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
