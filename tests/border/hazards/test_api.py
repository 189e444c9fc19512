"""边界隐患 over the API: a place (point or polygon) checked like the boundary import, owners
on both sides, links, the status table with its timeline, sealed and audited; scope."""

from __future__ import annotations

from sqlalchemy import func, select

from grassroots.audit.models import AuditEntry
from grassroots.border.hazards.models import BorderHazard, HazardEvent
from grassroots.privacy.sealed_columns import sealed_columns
from tests.border.hazards.conftest import PASTURE, hazard_body
from tests.border.meetings.conftest import LIUHE, QINGSHI


def _audits(session, action: str) -> list[AuditEntry]:
    session.expire_all()
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_hazard_is_registered_as_a_place_sealed_and_audited(
    client_as, session, joint_case, new_meeting, new_hazard
):
    code, meeting = joint_case(), new_meeting()
    h = new_hazard(case_codes=[code], meeting_ids=[meeting["id"]])
    assert h["status"] == "screening" and h["geometry"] == PASTURE
    assert [j["code"] for j in h["jurisdictions"]] == [QINGSHI, LIUHE]
    assert h["outside"] == [{"name": "邻县石门乡", "code": "990201003000"}]
    assert h["cases"][0]["code"] == code and h["meetings"][0]["id"] == meeting["id"]
    assert [(e["from_status"], e["to_status"]) for e in h["events"]] == [(None, "screening")]
    assert h["next_statuses"] == ["preventing"]
    session.expire_all()
    row = session.scalars(select(BorderHazard)).one()
    assert "张三".encode() not in row.description_enc and "放牧线".encode() not in row.measures_enc
    audit = _audits(session, "border.hazard_register")
    assert len(audit) == 1 and "张三" not in str(audit[0].details)
    names = {c.name for c in sealed_columns()}
    assert {
        "border_hazard.description_enc",
        "border_hazard.measures_enc",
        "border_hazard_event.note_enc",
    } <= names


def test_a_point_is_a_place_too_and_bad_places_are_refused(client_as, session, new_hazard):
    h = new_hazard(geometry={"type": "Point", "coordinates": [112.41, 30.61]})
    assert h["geometry"] == {"type": "Point", "coordinates": [112.41, 30.61]}
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    open_ring = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}
    bad = [
        {"type": "Point", "coordinates": [200, 30]},
        {"type": "Point", "coordinates": [1]},
        {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
        bow_tie,
        open_ring,
        {"type": "Point", "coordinates": [True, 30]},
    ]
    zhao = client_as("zhao")
    for geometry in bad:
        r = zhao.post("/api/v1/border/hazards", json=hazard_body(geometry=geometry))
        assert r.status_code == 422, geometry
    for over in (
        {"risk": "extreme"},
        {"kind": "people"},
        {"jurisdiction_codes": []},
        {"description": " "},
    ):
        assert zhao.post("/api/v1/border/hazards", json=hazard_body(**over)).status_code == 422
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(BorderHazard)) == 1


def test_the_status_follows_the_table_each_move_on_the_timeline(client_as, session, new_hazard):
    h = new_hazard()
    zhou = client_as("zhou")
    path = f"/api/v1/border/hazards/{h['id']}/status"
    assert zhou.post(path, json={"to": "resolved"}).status_code == 409  # 排查 → 化解: no
    r = zhou.post(path, json={"to": "preventing", "note": "两镇联合勘界"})
    assert r.status_code == 200 and r.json()["next_statuses"] == ["controlled", "resolved"]
    r = zhou.post(path, json={"to": "controlled", "note": "季节性放牧，长期管控"})
    assert r.json()["next_statuses"] == ["preventing", "resolved"]
    r = zhou.post(path, json={"to": "resolved"})
    assert r.json()["status"] == "resolved" and r.json()["next_statuses"] == []
    assert zhou.post(path, json={"to": "preventing"}).status_code == 409  # 化解 is final
    moves = [(e["from_status"], e["to_status"], e["note"]) for e in r.json()["events"]]
    assert moves == [
        (None, "screening", ""),
        ("screening", "preventing", "两镇联合勘界"),
        ("preventing", "controlled", "季节性放牧，长期管控"),
        ("controlled", "resolved", ""),
    ]
    assert len(_audits(session, "border.hazard_status")) == 3
    assert session.scalar(select(func.count()).select_from(HazardEvent)) == 4


def test_owners_subtrees_see_it_others_get_not_found(client_as, session, new_hazard):
    h = new_hazard(jurisdiction_codes=[QINGSHI])
    for name in ("zhao", "qian", "chen"):
        assert client_as(name).get(f"/api/v1/border/hazards/{h['id']}").status_code == 200
    zhou = client_as("zhou")
    for method, path, body in (
        ("get", f"/api/v1/border/hazards/{h['id']}", None),
        ("put", f"/api/v1/border/hazards/{h['id']}", hazard_body(jurisdiction_codes=[LIUHE])),
        ("post", f"/api/v1/border/hazards/{h['id']}/status", {"to": "preventing"}),
    ):
        assert getattr(zhou, method)(path, **({"json": body} if body else {})).status_code == 404
    assert zhou.get("/api/v1/border/hazards").json() == []
    assert zhou.get("/api/v1/border/hazards.geojson").json()["features"] == []
    assert len(_audits(session, "border.hazard_read")) == 3
    r = zhou.post("/api/v1/border/hazards", json=hazard_body(jurisdiction_codes=[QINGSHI]))
    assert r.status_code == 422  # one owner must be the registrant's own


def test_the_map_layer_has_the_place_and_no_description(client_as, new_hazard):
    h = new_hazard()
    layer = client_as("zhao").get("/api/v1/border/hazards.geojson").json()
    assert layer["type"] == "FeatureCollection"
    (feature,) = layer["features"]
    assert feature["geometry"] == PASTURE
    assert feature["properties"] == {
        "id": h["id"],
        "name": "青石镇与柳河镇交界草场",
        "kind": "pasture",
        "risk": "high",
        "status": "screening",
    }
    assert "张三" not in str(layer)


def test_an_edit_changes_the_place_and_links_but_not_the_status(client_as, new_hazard, new_meeting):
    h = new_hazard()
    other = new_meeting(name="zhou", jurisdiction_codes=[LIUHE])
    point = {"type": "Point", "coordinates": [112.5, 30.7]}
    r = client_as("zhou").put(
        f"/api/v1/border/hazards/{h['id']}",
        json=hazard_body(geometry=point, risk="low", meeting_ids=[other["id"]]),
    )
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["geometry"] == point and got["risk"] == "low" and got["status"] == "screening"
    assert [m["id"] for m in got["meetings"]] == [other["id"]]
    r = client_as("zhao").put(
        f"/api/v1/border/hazards/{h['id']}", json=hazard_body(meeting_ids=[other["id"]])
    )
    assert r.status_code == 422  # zhao (青石镇) does not see 柳河镇's own meeting
