"""Names, not codes (issue 16 item 6): where a person reads, places and units are named;
a jurisdiction is picked from a list of names; error pages keep the menu and show only the
message. Pages are parsed (the visible text), exports read back with openpyxl."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from grassroots.geo.queries import children, current_geometry

HTML = {"accept": "text/html"}
TWELVE_DIGITS = re.compile(r"\b\d{12,15}\b")


class Page(HTMLParser):
    """The visible text of a page, the text of each element with an id, and the options of
    each <select> (value, text), read with the standard library's parser."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.by_id: dict[str, list[str]] = {}
        self.options: dict[str, list[tuple[str, str]]] = {}
        self.open_ids: list[tuple[str, str]] = []  # (tag, id) of the open elements with an id
        self.select = ""
        self.option: list[str] | None = None
        self.hidden = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "style", "title"):
            self.hidden += 1
        if a.get("id") and tag not in ("input", "br", "img"):
            self.open_ids.append((tag, a["id"] or ""))
        if tag == "select":
            self.select = a.get("id") or a.get("name") or ""
            self.options[self.select] = []
        if tag == "option":
            self.option = [a.get("value") or ""]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self.hidden -= 1
        if self.open_ids and self.open_ids[-1][0] == tag:
            self.open_ids.pop()
        if tag == "option" and self.option is not None:
            value, *text = self.option
            self.options[self.select].append((value, "".join(text).strip()))
            self.option = None

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.text.append(data)
        for _, element in self.open_ids:
            self.by_id.setdefault(element, []).append(data)
        if self.option is not None:
            self.option.append(data)

    def of(self, element: str) -> str:
        return " ".join("".join(self.by_id.get(element, [])).split())

    def visible(self) -> str:
        return " ".join("".join(self.text).split())


@pytest.fixture
def placed(client_as, session, users):
    """wang registers a case inside one of his village's grids; its names, top first."""
    village = users["wang"].jurisdiction
    grid = children(session, village)[0]
    point = current_geometry(session, grid.id).representative_point()
    body = {
        "category_code": "neighbour", "source_code": "grid_patrol", "title": "排水沟纠纷",
        "description": "排水沟", "lat": point.y, "lng": point.x,
        "parties": [{"role": "applicant", "name": "张三"}],
    }  # fmt: skip
    r = client_as("wang").post("/api/v1/cases", json=body)
    assert r.status_code == 201, r.text
    assert village.parent is not None
    return r.json()["code"], (village.parent, village, grid)


def test_case_page_and_list_name_the_place(client_as, placed):
    code, (township, village, grid) = placed
    zhao = client_as("zhao")
    where = f"{township.name} / {village.name} / {grid.name}"
    detail = Page(zhao.get(f"/cases/{code}", headers=HTML).text)
    assert detail.of("case-place") == where
    assert not TWELVE_DIGITS.search(detail.visible())
    listing = Page(zhao.get("/cases?state=registered", headers=HTML).text)
    assert where in listing.of("case-rows")
    assert not TWELVE_DIGITS.search(listing.visible())
    fragment = Page(zhao.get(f"/cases/grid/{grid.code}", headers={**HTML, "HX-Request": "1"}).text)
    assert grid.name in fragment.visible() and grid.code not in fragment.visible()


def test_excel_and_csv_exports_name_the_place_with_the_code_beside(client_as, placed):
    code, (township, village, grid) = placed
    zhao = client_as("zhao")
    book = load_workbook(io.BytesIO(zhao.get("/cases/export.xlsx?state=registered").content))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    sheet = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    mine = next(r for r in sheet if r["事件编号"] == code)
    assert (mine["乡镇"], mine["村（社区）"], mine["网格名称"]) == (
        township.name, village.name, grid.name,
    )  # fmt: skip
    assert (mine["村代码"], mine["网格代码"]) == (village.code, grid.code)
    text = zhao.get("/cases/export.csv?state=registered").content.decode("utf-8-sig")
    found = next(r for r in csv.DictReader(io.StringIO(text)) if r["事件编号"] == code)
    assert (found["村（社区）"], found["网格名称"], found["网格代码"]) == (
        village.name, grid.name, grid.code,
    )  # fmt: skip


def test_the_case_filter_picks_a_jurisdiction_by_name(client_as, placed, session, users):
    code, (township, village, _) = placed
    zhao = client_as("zhao")
    page = Page(zhao.get("/cases", headers=HTML).text)
    options = dict(page.options["jurisdiction"])
    expected = {township.code} | {v.code for v in children(session, township)}
    assert set(options) - {""} == expected  # zhao's subtree, grids aside, nothing else
    assert options[township.code] == township.name
    assert options[village.code] == village.name
    assert users["zhou"].jurisdiction.code not in options
    other = next(v for v in children(session, township) if v.id != village.id)
    shown = Page(zhao.get(f"/cases?jurisdiction={village.code}", headers=HTML).text)
    assert code in shown.of("case-rows")
    assert code not in Page(zhao.get(f"/cases?jurisdiction={other.code}", headers=HTML).text).of(
        "case-rows"
    )


def test_the_share_form_offers_centres_and_units_by_name(client_as, placed, session):
    code, (township, _, _) = placed
    zhao = client_as("zhao")
    zhao.post(f"/api/v1/cases/{code}/accept", json={})
    page = Page(zhao.get(f"/cases/{code}", headers=HTML).text)
    places = dict(page.options["share-jurisdiction_code"])
    assert places[township.code] == township.name
    units = dict(page.options["share-unit_code"])
    assert units and all(not TWELVE_DIGITS.fullmatch(name) for name in units.values())


@pytest.mark.parametrize(
    ("user", "address", "status", "message", "hidden"),
    [
        ("zhao", "/cases/990199-2026-999999", 404, "不存在", "not_found"),
        ("zhao", "/no-such-page", 404, "页面或资源不存在", "not_found"),
        ("zhao", "/cases?date_from=not-a-date", 422, "输入有误", "validation_failed"),
        ("admin", "/cases", 403, "无权执行此操作", "forbidden"),
    ],
)
def test_error_pages_keep_the_menu_and_hide_the_codes(
    client_as, user, address, status, message, hidden
):
    r = client_as(user).get(address, headers=HTML)
    assert r.status_code == status
    page = Page(r.text)
    text = page.visible()
    assert message in page.of("error-message") and hidden not in text
    assert f"HTTP {status}" not in text and "/" not in page.of("error-message")
    assert "退出登录" in text  # the signed-in menu, on a known route or not


def test_the_reports_list_names_the_jurisdiction(client_as, users):
    chen = client_as("chen")
    county = users["chen"].jurisdiction
    data = {"jurisdiction": county.code, "period": "2026-03", "formats": ["xlsx"]}
    assert chen.post("/reports/generate", data=data, follow_redirects=False).status_code == 303
    page = Page(chen.get("/reports", headers=HTML).text)
    rows = page.visible().split("已生成的报告", 1)[1]
    assert county.name in rows and county.code not in rows


def test_the_audit_page_names_the_kind_of_object_and_the_unit(client_as, users):
    body = {"code": "990101-names-test", "name": "名称测试调解室", "kind": "mediation_committee",
            "jurisdiction_code": users["chen"].jurisdiction.code}  # fmt: skip
    assert client_as("admin").post("/api/v1/units", json=body).status_code == 201
    page = Page(client_as("audit").get("/audit?action=unit.create", headers=HTML).text)
    row = page.visible().split("unit.create", 1)[1]
    assert "单位 名称测试调解室 990101-names-test" in row
