"""Grid posts through the real app: the JSON routes, the grid page with its forms, the
vacancies page, and who may do what."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today
from grassroots.geo.posts.api import router
from tests.cases.conftest import grid_in

HTML = {"accept": "text/html"}


def test_appoint_hand_over_and_read_back_over_the_api(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    admin = client_as("admin")
    body = {"username": "wang", "kind": "worker", "start_on": "2026-01-01"}
    r = admin.post(f"/api/v1/grids/{grid}/posts", json=body)
    assert r.status_code == 201, r.text
    post_id = r.json()["id"]
    r = admin.post(f"/api/v1/grid-posts/{post_id}/change",
                   json={"username": "li", "on": "2026-06-16"})  # fmt: skip
    assert r.status_code == 201 and r.json()["username"] == "li"
    zhao = client_as("zhao")
    on_15th = zhao.get(f"/api/v1/grids/{grid}/posts", params={"on": "2026-06-15"}).json()
    assert [p["username"] for p in on_15th["serving"]] == ["wang"]
    assert [(p["username"], p["end_on"]) for p in on_15th["history"]] == [
        ("li", None), ("wang", "2026-06-15")]  # fmt: skip
    r = admin.post(f"/api/v1/grid-posts/{post_id}/end", json={"end_on": "2026-07-01"})
    assert r.status_code == 409 and r.json()["code"] == "post_ended"


def test_staff_may_read_but_not_change_and_outsiders_see_nothing(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    body = {"username": "wang", "kind": "worker", "start_on": "2026-01-01"}
    r = client_as("zhao").post(f"/api/v1/grids/{grid}/posts", json=body)
    assert r.status_code == 403
    assert client_as("zhou").get(f"/api/v1/grids/{grid}/posts").status_code == 404
    assert client_as("wang").get(f"/api/v1/grids/{grid}/posts").status_code == 200


def test_vacancies_of_the_township(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    township = users["zhao"].jurisdiction
    assert township is not None
    zhao = client_as("zhao")
    before = zhao.get("/api/v1/grid-vacancies").json()
    assert grid in {v["grid_code"] for v in before}
    admin = client_as("admin")
    today = china_today().isoformat()
    for who, kind in [("li", "leader"), ("wang", "worker")]:
        r = admin.post(f"/api/v1/grids/{grid}/posts",
                       json={"username": who, "kind": kind, "start_on": today})  # fmt: skip
        assert r.status_code == 201
    after = zhao.get("/api/v1/grid-vacancies", params={"under": township.code}).json()
    assert grid not in {v["grid_code"] for v in after} and len(after) == len(before) - 1
    assert zhao.get("/api/v1/grid-vacancies", params={"under": "990101003000"}).status_code == 404
    page = zhao.get("/grid-vacancies", headers=HTML)
    assert page.status_code == 200 and f"/grids/{grid}" not in page.text


def test_the_grid_page_shows_who_serves_and_takes_the_forms(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    admin = client_as("admin")
    vacant = admin.get(f"/grids/{grid}", headers=HTML)
    assert vacant.status_code == 200 and "今天没有人负责这个网格" in vacant.text
    form = {"username": "wang", "kind": "worker", "start_on": "2026-01-01"}
    r = admin.post(f"/grids/{grid}/posts", data=form, headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    page = client_as("zhao").get(f"/grids/{grid}", headers=HTML).text
    assert "王芳" in page and "网格员" in page and "任命" not in page  # no forms for zhao
    again = admin.post(f"/grids/{grid}/posts", data=form, headers=HTML)
    assert again.status_code == 409 and "此人已在该网格任网格员" in again.text
    bad = admin.post(f"/grids/{grid}/posts", data=form | {"start_on": "x"}, headers=HTML)
    assert bad.status_code == 422
    assert client_as("zhou").get(f"/grids/{grid}", headers=HTML).status_code == 404


def test_every_route_declares_exactly_one_permission() -> None:
    expected = {
        ("GET", "/grids/{code}/posts"): "geo.read",
        ("GET", "/grid-vacancies"): "geo.read",
        ("POST", "/grids/{code}/posts"): "geo.write",
        ("POST", "/grid-posts/{post_id}/end"): "geo.write",
        ("POST", "/grid-posts/{post_id}/change"): "geo.write",
    }
    found = {}
    for route in router.routes:
        assert isinstance(route, APIRoute)
        calls = [d.call for d in route.dependant.dependencies]
        perms = [c.permission for c in calls if hasattr(c, "permission")]
        assert len(perms) == 1, route.path
        for method in route.methods:
            found[(method, route.path)] = perms[0]
    assert found == expected
