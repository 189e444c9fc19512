"""Server-side page behaviour through the real HTTP app, on SQLite and PostgreSQL."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from grassroots.calendar.today import china_today

HTML = {"accept": "text/html"}


def test_dashboard_shows_the_six_cards(client_as):
    r = client_as("zhao").get("/", headers=HTML)
    assert r.status_code == 200
    for label in ("已登记", "已化解", "化解率", "就地化解率", "超期", "待回访"):
        assert label in r.text
    month = china_today()
    assert f"{month.year}年{month.month}月的数据" in r.text  # this month unless ?period= says
    assert 'aria-current="page" class="has-text-weight-bold">本月</a>' in r.text


def test_case_list_renders_filters_with_labels(client_as):
    r = client_as("zhao").get("/cases?state=registered&light=red", headers=HTML)
    assert r.status_code == 200
    assert 'for="state"' in r.text and 'id="state"' in r.text
    assert "没有符合条件的事件" in r.text


def test_bad_filter_is_an_html_error_page(client_as):
    r = client_as("zhao").get("/cases?date_from=not-a-date", headers=HTML)
    assert r.status_code == 422
    assert "输入有误" in r.text and "<html" in r.text


def test_export_excel_has_the_header_row(client_as):
    r = client_as("zhao").get("/cases/export.xlsx?state=registered")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in sheet[1]][:2] == ["事件编号", "事件类型"]


def test_export_csv_opens_in_excel(client_as):
    r = client_as("zhao").get("/cases/export.csv")
    assert r.content.startswith("\ufeff事件编号".encode())


def test_admin_cannot_open_case_pages(client_as):
    r = client_as("admin").get("/cases", headers=HTML)
    assert r.status_code == 403
    assert "无权访问" in r.text


def test_api_errors_stay_problem_json(client_as):
    r = client_as("admin").get("/api/v1/stats/definitions")
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")
