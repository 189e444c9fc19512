"""/stats/board: the filters in the URL, a city's per-county rows and the drill-down, bad
values as a 400 page (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from tests.stats.board.conftest import CITY, COUNTY, COUNTY2, PROVINCE, TOWNSHIP2

Q1 = {"period": "2026-Q1"}


def _rows(html: str) -> dict[str, str]:
    """code → the row's HTML, from the ranking table."""
    return dict(re.findall(r'<tr data-row="(\d+)">(.*?)</tr>', html, re.S))


def _registered(row: str) -> int:
    cells = re.findall(r"<td>(\d+)</td>", row)
    return int(cells[-2])


def test_a_city_leader_sees_a_row_per_county_and_drills_into_each(client_as, two_counties):
    shi = client_as("shi")
    page = shi.get("/stats/board", params={**Q1, "rate": "resolution_rate"})
    assert page.status_code == 200, page.text
    rows = _rows(page.text)
    assert set(rows) == {COUNTY, COUNTY2}
    assert _registered(rows[COUNTY2]) == 2
    assert _registered(rows[COUNTY]) >= 3
    drill = re.search(rf'href="([^"]+)" data-drill="{COUNTY2}"', rows[COUNTY2])
    assert drill is not None
    down = shi.get(drill.group(1).replace("&amp;", "&"))
    assert down.status_code == 200
    assert set(_rows(down.text)) == {TOWNSHIP2}
    assert f'data-crumb="{CITY}"' in down.text and f'data-crumb="{COUNTY2}"' in down.text
    assert "period=2026-Q1" in drill.group(1)  # the drill keeps the view's filters


def test_a_province_leader_sees_the_city_summing_both_counties(client_as, two_counties):
    page = client_as("sheng").get("/stats/board", params=Q1)
    rows = _rows(page.text)
    assert set(rows) == {CITY}
    county = _rows(client_as("shi").get("/stats/board", params=Q1).text)
    assert _registered(rows[CITY]) == sum(_registered(r) for r in county.values())


def test_the_view_is_in_the_url_and_a_county_leader_cannot_see_the_other_county(
    client_as, two_counties
):
    chen = client_as("chen")
    page = chen.get("/stats/board", params={**Q1, "kind": "dispute", "months": "24"})
    assert page.status_code == 200
    assert 'value="dispute" selected' in page.text and 'value="24" selected' in page.text
    assert chen.get("/stats/board", params={"jurisdiction": COUNTY2}).status_code == 404
    assert chen.get("/stats/board", params={"jurisdiction": CITY}).status_code == 404


def test_a_custom_range_goes_to_its_canonical_url(client_as):
    r = client_as("chen").get(
        "/stats/board", params={"month_from": "2026-01", "month_to": "2026-05"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    assert "period=2026-01..2026-05" in r.headers["location"].replace("%2E", ".")


def test_bad_values_are_a_400_page_never_a_500(client_as):
    chen = client_as("chen")
    html = {"Accept": "text/html"}
    for params in (
        {"period": "2026-Q5"}, {"period": "1800"}, {"kind": "crime"}, {"rate": "x"},
        {"months": "7"}, {"category": "nope"}, {"jurisdiction": "99"},
        {"month_from": "2026-05", "month_to": "2026-01"},
    ):  # fmt: skip
        r = chen.get("/stats/board", params=params, headers=html)
        assert r.status_code == 400, (params, r.status_code)
        assert "text/html" in r.headers["content-type"]
    assert chen.get("/stats/board.xlsx", params={"period": "x"}).status_code == 400


def test_the_table_exports_as_excel(client_as, two_counties):
    from io import BytesIO

    from openpyxl import load_workbook

    r = client_as("shi").get("/stats/board.xlsx", params=Q1)
    assert r.status_code == 200
    sheet = load_workbook(BytesIO(r.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert codes == [COUNTY, COUNTY2, CITY]
    header = [c.value for c in sheet[2]]
    last = [c.value for c in sheet[5]]
    assert last[header.index("排查数")] >= 5
    assert PROVINCE not in codes


def test_a_village_board_links_its_grid_figures_and_a_county_colours_its_map(client_as):
    zhao = client_as("zhao")
    township = zhao.get("/stats/board").text
    village = re.search(r'data-drill="(\d+)"', township)
    assert village is not None and 'id="board-map"' in township
    assert "level=village&amp;under=" in township
    page = zhao.get("/stats/board", params={"jurisdiction": village.group(1)}).text
    assert f"/stats/grids?jurisdiction={village.group(1)}" in page
    assert 'id="board-map"' not in page and "<tr data-row" not in page


def test_a_grid_post_sees_its_village_and_no_other(client_as, session, users):
    from grassroots.accounts.models import Role
    from grassroots.accounts.users.actions import do_create_user
    from tests.cases.conftest import grid_in

    grid = grid_in(session, users["wang"])
    do_create_user(
        session, username="gridpost", display_name="网格岗", role=Role.grid_worker,
        jurisdiction_code=grid, password="Tongji-Kanban-07",
    )  # fmt: skip
    client = client_as("gridpost")
    page = client.get("/stats/board")
    assert page.status_code == 200
    crumb = re.findall(r'data-crumb="(\d+)"', page.text)
    assert crumb == [grid[:12]]  # its village, the top of its breadcrumb
    assert client.get("/stats/board", params={"jurisdiction": grid[:12]}).status_code == 200
    other = client_as("zhou").get("/stats/board").text
    elsewhere = re.search(r'data-drill="(\d+)"', other)
    assert elsewhere is not None
    refused = client.get("/stats/board", params={"jurisdiction": elsewhere.group(1)})
    assert refused.status_code == 404


def _picker(html: str) -> list[str]:
    found = re.search(r'<select id="board-jurisdiction"[^>]*>(.*?)</select>', html, re.S)
    assert found is not None
    return re.findall(r'<option value="(\d+)"', found.group(1))


def test_the_place_picker_lists_the_way_down_and_the_next_level_only(client_as, two_counties):
    """A city of thousands of villages: the picker holds the post, the way down to the
    jurisdiction shown and its children — not the whole subtree."""
    shi = client_as("shi")
    at_city = _picker(shi.get("/stats/board", params=Q1).text)
    assert at_city[0] == CITY and set(at_city[1:]) == {COUNTY, COUNTY2}
    at_township = _picker(shi.get("/stats/board", params={**Q1, "jurisdiction": TOWNSHIP2}).text)
    assert at_township == [CITY, COUNTY2, TOWNSHIP2, "990102001001"]  # its village, no grid
    demo = _picker(shi.get("/stats/board", params={**Q1, "jurisdiction": COUNTY}).text)
    assert demo[:2] == [CITY, COUNTY] and len(demo) > 2
    assert COUNTY2 in demo  # its sibling, to move sideways
    assert all(code.startswith("990101") for code in demo[1:] if code != COUNTY2)
    assert all(code.endswith("000") for code in demo)  # townships, no village
    sheng = _picker(client_as("sheng").get("/stats/board", params=Q1).text)
    assert sheng == [PROVINCE, CITY]
