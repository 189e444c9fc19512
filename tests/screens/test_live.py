"""The screen's event stream: the whole picture first, the counters, the new case where it
lies and its alert; the change stamp; and no personal data anywhere on the screen."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from grassroots.calendar.today import china_today
from grassroots.cases.models import Case
from grassroots.screens.actions import do_issue_code
from grassroots.screens.authn import SCREEN_COOKIE
from grassroots.screens.figures import snapshot, stamp
from grassroots.screens.queries import screen_named
from tests.support.places import grid_of, point_inside

NAME, PHONE, ID_NUMBER = "欧阳测试", "13912345678", "99010119800101002X"
TITLE, DESCRIPTION, ADDRESS = "欧阳家宅基地纠纷", "两户因宅基地边界争执动手", "幸福路八十八号"


def _register(client_as, session, users) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    lat, lng = point_inside(session, grid_of(session, users["wang"]))
    body = {
        "category_code": "neighbour", "source_code": "grid_patrol", "title": TITLE,
        "description": DESCRIPTION, "address": ADDRESS, "lat": lat, "lng": lng,
        "violence_risk": True, "risk_level": "high",
        "parties": [{"role": "applicant", "name": NAME, "phone": PHONE, "id_number": ID_NUMBER}],
    }  # fmt: skip
    r = client_as("qian").post("/api/v1/cases", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _events(text: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            out.append((fields["event"], json.loads(fields["data"])))
    return out


def test_the_stream_shows_the_new_case_and_no_personal_data(app, session, users, client_as, paired):
    raw = paired("hall")
    case = _register(client_as, session, users)
    screen = TestClient(app, cookies={SCREEN_COOKIE: raw})
    r = screen.get("/screen/events")  # the test app's streams end after a second
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    assert r.text.startswith("retry: ")
    kind, data = _events(r.text)[0]
    assert kind == "snapshot"
    counters = data["counters"]
    assert counters["registered_today"] >= 1 and counters["risk_open"] >= 1
    assert set(counters) == {"registered_today", "open", "overdue", "risk_open", "leads_open"}
    new = [c for c in data["cases"] if c["lat"] is not None]
    assert new and set(new[0]) == {"id", "lat", "lng", "category", "at"}
    assert round(new[0]["lat"], 3) == new[0]["lat"]  # about 100 m: the place, not the house
    assert any(a["code"] == case["code"] and a["risk"] for a in data["alerts"])
    page = screen.get("/screen").text
    for text in (r.text, page):
        for secret in (NAME, PHONE, ID_NUMBER, TITLE, DESCRIPTION, ADDRESS, "欧阳"):
            assert secret not in text


def test_the_stamp_moves_with_a_case_and_with_the_preset(app, session, users, client_as, paired):
    paired("hall")
    screen = screen_named(session, "hall")
    assert screen is not None
    before = stamp(session, screen.id)
    _register(client_as, session, users)
    after = stamp(session, screen.id)
    assert after.events[0] > before.events[0] and after.session_hash == before.session_hash
    screen.preset = "map"
    session.commit()
    assert stamp(session, screen.id).preset == "map"


def test_a_screen_sees_only_its_jurisdiction(app, session, users, client_as, paired):
    raw = paired("liuhe", "990101003000")  # 柳河镇; the case lies in 青石镇
    _register(client_as, session, users)
    data = _events(TestClient(app, cookies={SCREEN_COOKIE: raw}).get("/screen/events").text)
    counters = data[0][1]["counters"]
    assert counters["registered_today"] == 0 and data[0][1]["cases"] == []


def test_an_overdue_case_is_counted_and_alerted_with_its_days(session, users, client_as):
    code = _register(client_as, session, users)["code"]
    case = session.scalars(select(Case).where(Case.code == code)).one()
    case.violence_risk, case.clock_due_on = False, china_today() - timedelta(days=3)
    session.commit()
    screen, _ = do_issue_code(session, "hall", "990101002000", "standard", 10)  # 青石镇
    data = snapshot(session, screen, 6, "zh_CN")
    assert data["counters"]["overdue"] >= 1
    alert = next(a for a in data["alerts"] if a["code"] == code)
    assert alert == {"code": code, "category": "邻里", "risk": False, "days_over": 3,
                     "place": alert["place"]} and alert["place"]  # fmt: skip
