"""排查 rounds through the real app: the JSON routes, the round figures, the pages (form,
round, lists per grid and per worker) and who may do what."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today
from tests.cases.conftest import grid_in
from tests.rounds.test_rounds import post

HTML = {"accept": "text/html"}


def body(grid: str, **extra: Any) -> dict[str, Any]:
    matter = {"summary": "两户因宅基地界址争执", "category_code": "housing_land", "to_case": True}
    return {"grid_code": grid, "held_on": china_today().isoformat(),
            "checks": ["boundary_hazard"], "matters": [matter]} | extra  # fmt: skip


def test_record_list_and_read_a_round_over_the_api(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    post(session, users, grid, start=china_today())
    wang = client_as("wang")
    r = wang.post("/api/v1/rounds", json=body(grid))
    assert r.status_code == 201, r.text
    made = r.json()
    case_code = made["matters"][0]["case_code"]
    assert made["matters"][0]["outcome"] == "case" and case_code
    case = wang.get(f"/api/v1/cases/{case_code}").json()
    assert case["source_code"] == "round_found" and case["grid_code"] == grid
    zhao = client_as("zhao")
    by_grid = zhao.get("/api/v1/rounds", params={"grid": grid}).json()
    by_worker = zhao.get("/api/v1/rounds", params={"worker": "wang"}).json()
    assert [x["id"] for x in by_grid] == [made["id"]] == [x["id"] for x in by_worker]
    assert zhao.get(f"/api/v1/rounds/{made['id']}").json()["recorded_by"] == "wang"
    zhou = client_as("zhou")  # another township
    assert zhou.get(f"/api/v1/rounds/{made['id']}").status_code == 404
    assert zhou.get("/api/v1/rounds", params={"grid": grid}).json() == []
    month = china_today().strftime("%Y-%m")
    township = users["zhao"].jurisdiction
    assert township is not None
    figures = zhao.get("/api/v1/stats/rounds",
                       params={"jurisdiction": township.code, "period": month}).json()  # fmt: skip
    assert (figures["rounds"], figures["matters"], figures["matters_cased"]) == (1, 1, 1)
    assert figures["children"][grid[:12]]["rounds"] == 1


def test_api_refusals_are_problems_and_change_nothing(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    wang = client_as("wang")
    r = wang.post("/api/v1/rounds", json=body(grid))
    assert r.status_code == 403 and r.json()["code"] == "not_posted"
    post(session, users, grid, start=china_today())
    r = wang.post("/api/v1/rounds", json=body(grid, checks=[]))
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem")
    r = wang.post("/api/v1/rounds", json=body(grid, checks=["other"]))  # other needs a note
    assert r.status_code == 422
    r = wang.post("/api/v1/rounds", json=body(grid, household="x"))  # nothing about people
    assert r.status_code == 422
    assert wang.get("/api/v1/rounds").json() == []
    assert client_as("sun").post("/api/v1/rounds", json=body(grid)).status_code == 403


def test_the_form_records_a_round_and_the_lists_show_it(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    post(session, users, grid, start=china_today())
    wang = client_as("wang")
    page = wang.get("/rounds/new", headers=HTML)
    assert page.status_code == 200 and grid in page.text
    form = {"grid_code": grid, "held_on": china_today().isoformat(), "checks": "dispute_hotspot",
            "m1-summary": "<b>渠道</b>放水纠纷", "m1-category_code": "neighbour", "m1-to_case": "1",
            "m2-summary": "路灯损坏", "m2-category_code": "other"}  # fmt: skip
    r = wang.post("/rounds/new", data=form, headers=HTML, follow_redirects=False)
    assert r.status_code == 303, r.text
    shown = wang.get(r.headers["location"], headers=HTML)
    assert "&lt;b&gt;渠道&lt;/b&gt;放水纠纷" in shown.text and "路灯损坏" in shown.text
    assert "/cases/" in shown.text
    mine = wang.get("/rounds", headers=HTML)
    assert r.headers["location"] in mine.text
    per_grid = client_as("zhao").get("/rounds", params={"grid": grid}, headers=HTML)
    assert r.headers["location"] in per_grid.text
    bad = dict(form, **{"m1-lat": "1"})  # latitude without longitude
    again = wang.post("/rounds/new", data=bad, headers=HTML)
    assert again.status_code == 422 and "m1-lat-error" in again.text
    assert 'value="路灯损坏"' in again.text


def test_the_round_source_is_not_for_registering_by_hand(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    case = {"category_code": "neighbour", "source_code": "round_found", "title": "手工登记",
            "description": "冒用主动排查发现来源", "grid_code": grid}  # fmt: skip
    zhao = client_as("zhao")
    for headers in ({}, {"Idempotency-Key": "round-source-by-hand-1"}):
        r = zhao.post("/api/v1/cases", json=case, headers=headers)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "source_code"
    form = zhao.get("/cases/new", headers=HTML)
    assert 'value="round_found"' not in form.text and 'value="grid_patrol"' in form.text
