"""The geo HTTP API under /api/v1, as the seed users see it."""

from __future__ import annotations

from sqlalchemy import func, select

from grassroots.geo.locate import locate_point
from grassroots.geo.models import Jurisdiction
from grassroots.scope import current_jurisdiction
from tests.geo import shapes
from tests.geo.shapes import box, edited, small_county

COUNTY = "990101000000"


def test_list_filters_and_pages(client_as):
    zhao = client_as("zhao")
    townships = zhao.get("/api/v1/jurisdictions", params={"level": "township"}).json()
    assert townships["total"] == 8 and len(townships["items"]) == 8
    assert all(t["parent_code"] == COUNTY for t in townships["items"])
    same = zhao.get("/api/v1/jurisdictions", params={"parent": COUNTY}).json()
    assert [t["code"] for t in same["items"]] == [t["code"] for t in townships["items"]]
    page = zhao.get("/api/v1/jurisdictions", params={"level": "village", "limit": 5, "offset": 5})
    body = page.json()
    assert page.status_code == 200 and len(body["items"]) == 5 and body["total"] > 60
    name = townships["items"][0]["name"]
    found = zhao.get("/api/v1/jurisdictions", params={"q": name}).json()
    assert townships["items"][0]["code"] in [j["code"] for j in found["items"]]


def test_unknown_parent_is_404_problem(client_as):
    r = client_as("zhao").get("/api/v1/jurisdictions", params={"parent": "990199000000"})
    assert r.status_code == 404 and r.json()["code"] == "jurisdiction_not_found"
    assert r.headers["content-type"].startswith("application/problem+json")


def test_one_and_children(client_as, session):
    zhao = client_as("zhao")
    county = zhao.get(f"/api/v1/jurisdictions/{COUNTY}").json()
    assert county["name"] == "示范县" and county["level"] == "county"
    kids = zhao.get(f"/api/v1/jurisdictions/{COUNTY}/children").json()
    assert len(kids) == 8 and {k["level"] for k in kids} == {"township"}
    assert zhao.get("/api/v1/jurisdictions/123").status_code == 404


def test_grids_geojson_for_a_township(client_as, session):
    township = "990101002000"
    r = client_as("zhao").get("/api/v1/grids.geojson", params={"parent": township})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    features = r.json()["features"]
    expected = session.scalar(
        select(func.count())
        .select_from(Jurisdiction)
        .where(Jurisdiction.level == "grid", Jurisdiction.code.startswith(township[:9]))
    )
    assert len(features) == expected > 0
    assert all(f["properties"]["code"].startswith(township[:9]) for f in features)


def test_locate_inside_outside_and_bad_input(client_as, session):
    zhao = client_as("zhao")
    inside = zhao.get("/api/v1/locate", params={"lat": 30.6, "lng": 112.4}).json()
    expected = locate_point(session, 30.6, 112.4)
    assert expected is not None and inside["inside"] is True
    assert inside["grid_code"] == expected.grid_code and inside["names"] == expected.names
    outside = zhao.get("/api/v1/locate", params={"lat": 10.0, "lng": 10.0})
    assert outside.status_code == 200 and outside.json()["inside"] is False
    assert outside.json()["grid_code"] is None
    bad = zhao.get("/api/v1/locate", params={"lat": 100, "lng": 112.4})
    assert bad.status_code == 422 and bad.json()["code"] == "validation_failed"


def test_units_by_jurisdiction_and_kind(client_as):
    zhao = client_as("zhao")
    township = "990101001000"
    units = zhao.get("/api/v1/units", params={"jurisdiction": township}).json()
    assert {u["kind"] for u in units} >= {"centre", "judicial_office", "police_station"}
    offices = zhao.get("/api/v1/units", params={"kind": "judicial_office"}).json()
    assert len(offices) == 8 and all(u["name"].endswith("司法所") for u in offices)


def test_import_by_admin_then_locate(client_as, session):
    admin = client_as("admin")
    r = admin.post("/api/v1/geo/import", json=small_county())
    assert r.status_code == 200 and r.json()["created"] == 5
    found = client_as("zhao").get("/api/v1/locate", params={"lat": 30.25, "lng": 120.1}).json()
    assert found["grid_code"] == shapes.GRID_A


def test_import_refused_lists_errors_and_writes_nothing(client_as, session):
    bad = edited(small_county(), 4, geometry=box(120.25, 30.4, 120.5, 30.9))
    bad = edited(bad, 0, name="")
    r = client_as("admin").post("/api/v1/geo/import", json=bad)
    assert r.status_code == 422 and r.json()["code"] == "geojson_invalid"
    assert [(e["index"], e["error"]) for e in r.json()["errors"]] == [
        (0, "missing_name"),
        (4, "outside_parent"),
    ]
    assert current_jurisdiction(session, shapes.COUNTY) is None


def test_import_needs_geo_write(client_as, session):
    r = client_as("zhao").post("/api/v1/geo/import", json=small_county())
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert current_jurisdiction(session, shapes.COUNTY) is None


def test_reading_needs_a_user(client):
    r = client.get("/api/v1/jurisdictions")
    assert r.status_code == 401


def test_every_geo_route_declares_exactly_one_permission():
    from fastapi.routing import APIRoute

    from grassroots.geo.api import router

    expected = {
        ("GET", "/jurisdictions"): "geo.read",
        ("GET", "/jurisdictions/{code}"): "geo.read",
        ("GET", "/jurisdictions/{code}/children"): "geo.read",
        ("GET", "/grids.geojson"): "geo.read",
        ("GET", "/locate"): "geo.read",
        ("GET", "/units"): "geo.read",
        ("POST", "/units"): "config.write",
        ("PATCH", "/units/{unit_code}"): "config.write",
        ("POST", "/units/{unit_code}/deactivate"): "config.write",
        ("POST", "/units/{unit_code}/reactivate"): "config.write",
        ("POST", "/geo/import"): "geo.write",
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
