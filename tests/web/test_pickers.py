"""Names, not codes (issue 16 item 6): the pages of leads, rounds and grid figures offer
places, grids and categories by name in a picker, never a box to type a 12-15 digit code
into, and what is picked works (through the real HTTP app, SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from tests.leads.conftest import JUSTICE, handed_down
from tests.leads.test_pages import _post

HTML = {"accept": "text/html"}
CODE_BOX = re.compile(r'<input[^>]+name="(jurisdiction|jurisdiction_code|grid|case_grid_code|'
                      r'case_category_code)"')  # fmt: skip


def _select(page: str, name: str) -> str:
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert found, f"no picker for {name}"
    return found.group(1)


def test_receiving_a_lead_picks_the_place_by_name(client_as):
    zhao = client_as("zhao")
    page = zhao.get("/leads/new", headers=HTML).text
    assert not CODE_BOX.search(page)
    places = _select(page, "jurisdiction_code")
    assert "青石镇" in places and "selected" in places  # the post, chosen by default
    villages = re.findall(r'<option value="(\d{9}[1-9]\d\d)">([^<]+村)</option>', places)
    assert villages, places  # the villages below it, by name
    form = handed_down() | {"jurisdiction_code": villages[0][0]}
    r = zhao.post("/leads/new", data=form, headers=HTML, follow_redirects=False)
    assert r.status_code == 303, r.text
    code = r.headers["location"].rsplit("/", 1)[1]
    assert _post(zhao, code, "assign", unit_code=JUSTICE).status_code == 303
    sun = client_as("sun")
    assert _post(sun, code, "start", note="").status_code == 303
    detail = sun.get(f"/leads/{code}", headers=HTML).text
    verify = detail[detail.index('id="action-verify"') :]
    assert not CODE_BOX.search(verify)
    assert "邻里" in _select(verify, "case_category_code")
    assert "网格" in _select(verify, "case_grid_code")


def test_rounds_and_grid_figures_pick_grids_and_places_by_name(client_as):
    zhao = client_as("zhao")
    rounds = zhao.get("/rounds", headers=HTML).text
    assert not CODE_BOX.search(rounds)
    grids = re.findall(r'<option value="(\d{15})"[^>]*>([^<]+)</option>', _select(rounds, "grid"))
    assert grids and all("/" in name for _, name in grids)  # 杨柳村 / 第一网格
    picked = zhao.get("/rounds", params={"grid": grids[0][0]}, headers=HTML).text
    assert f'value="{grids[0][0]}" selected' in picked
    figures = zhao.get("/stats/grids", headers=HTML).text
    assert not CODE_BOX.search(figures)
    places = _select(figures, "jurisdiction")
    assert "青石镇" in places
    code = re.findall(r'<option value="(\d{12})"', places)[-1]
    chosen = zhao.get("/stats/grids", params={"jurisdiction": code}, headers=HTML).text
    assert f'value="{code}" selected' in chosen and 'id="grid-figures"' in chosen
