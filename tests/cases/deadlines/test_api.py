"""The calendar and policy routes over real HTTP: zhao reads, admin edits, others refused."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.calendar.workdays import load_calendar
from grassroots.cases.deadlines.policies import policy_for

SCHEDULE_2027 = {
    "notice": "国办发明电〔2026〕99号（测试）",
    "days": [
        {"day": "2027-01-01", "is_working": False, "name": "元旦"},
        {"day": "2027-02-06", "is_working": True, "name": "春节调休上班"},  # a Saturday
        {"day": "2027-02-08", "is_working": False, "name": "春节"},
    ],
}


def _days(body: dict) -> dict[str, dict]:
    return {d["day"]: d for d in body["days"]}


def test_zhao_reads_2026_with_its_holidays_and_make_up_days(client_as):
    r = client_as("zhao").get("/api/v1/calendar", params={"year": 2026})
    assert r.status_code == 200
    body = r.json()
    days = _days(body)
    assert len(days) == 365 and body["warnings"] == []
    assert days["2026-02-14"] == {
        "day": "2026-02-14",
        "kind": "makeup",
        "working": True,
        "name": "春节调休上班",
        "source": "package",
    }
    assert days["2026-10-01"]["kind"] == "holiday" and not days["2026-10-01"]["working"]
    assert body["working_days"] == sum(d["working"] for d in body["days"])


def test_a_provisional_year_answers_with_a_warning(client_as):
    r = client_as("zhao").get(
        "/api/v1/calendar", params={"first": "2026-12-28", "last": "2027-01-08"}
    )
    assert r.status_code == 200
    [warning] = r.json()["warnings"]
    assert "2027" in warning and "暂定" in warning
    new_year = _days(r.json())["2027-01-01"]
    assert new_year["source"] == "provisional" and new_year["kind"] == "holiday"
    assert _days(r.json())["2027-01-04"]["source"] == "provisional"
    status = client_as("zhao").get("/api/v1/calendar/status").json()
    assert 2026 in status["package_years"] and 2027 not in status["package_years"]
    assert 2027 in status["provisional_years"]
    year = client_as("zhao").get("/api/v1/calendar/years/2027").json()
    assert year["provisional"] and year["days"] == []


def test_bad_ranges_are_refused(client_as):
    zhao = client_as("zhao")
    r = zhao.get("/api/v1/calendar", params={"first": "2026-05-01", "last": "2026-04-01"})
    assert r.status_code == 422 and r.json()["code"] == "bad_range"
    assert r.headers["content-type"] == "application/problem+json"
    r = zhao.get("/api/v1/calendar", params={"first": "2020-01-01", "last": "2026-01-01"})
    assert r.json()["code"] == "range_too_long"
    assert zhao.get("/api/v1/calendar").json()["code"] == "bad_range"


def test_admin_enters_the_2027_schedule(client_as, session: Session):
    admin = client_as("admin")
    r = admin.put("/api/v1/calendar/years/2027", json=SCHEDULE_2027)
    assert r.status_code == 200, r.text
    assert r.json()["warnings"] == [] and len(r.json()["days"]) == 3
    body = client_as("zhao").get("/api/v1/calendar", params={"year": 2027}).json()
    assert body["warnings"] == []
    days = _days(body)
    assert days["2027-01-01"]["kind"] == "holiday" and days["2027-01-01"]["source"] == "admin"
    assert days["2027-02-06"]["kind"] == "makeup" and days["2027-02-06"]["working"]
    cal = load_calendar(session)
    assert not cal.is_working_day(date(2027, 2, 8))
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "calendar.year.set"))
    assert [a.object_id for a in audit] == ["2027"]


def test_a_schedule_with_a_day_of_another_year_changes_nothing(client_as):
    bad = {
        **SCHEDULE_2027,
        "days": [*SCHEDULE_2027["days"], {"day": "2028-01-01", "is_working": False}],
    }
    r = client_as("admin").put("/api/v1/calendar/years/2027", json=bad)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "days.3.day"
    body = client_as("zhao").get("/api/v1/calendar", params={"year": 2027}).json()
    assert len(body["warnings"]) == 1  # still unknown


def test_admin_overrides_one_day_and_takes_it_back(client_as):
    admin, zhao = client_as("admin"), client_as("zhao")
    day = {"day": "2026-03-02", "is_working": False, "name": "临时调整"}
    assert admin.put("/api/v1/calendar/days/2026-03-02", json=day).status_code == 200
    params = {"first": "2026-03-02", "last": "2026-03-02"}
    assert zhao.get("/api/v1/calendar", params=params).json()["days"][0]["working"] is False
    assert admin.delete("/api/v1/calendar/days/2026-03-02").status_code == 204
    assert zhao.get("/api/v1/calendar", params=params).json()["days"][0]["working"] is True
    assert admin.delete("/api/v1/calendar/days/2026-03-02").status_code == 404
    mismatch = admin.put("/api/v1/calendar/days/2026-03-03", json=day)
    assert mismatch.status_code == 422


def test_staff_cannot_edit_the_calendar_or_policies(client_as):
    zhao = client_as("zhao")
    assert zhao.put("/api/v1/calendar/years/2027", json=SCHEDULE_2027).status_code == 403
    policy = {"level": "village", "accept_days": 1, "resolve_days": 2, "follow_up_days": 3}
    assert zhao.put("/api/v1/deadline-policies", json=policy).status_code == 403
    day = {"day": "2026-03-02", "is_working": False}
    assert client_as("wang").put("/api/v1/calendar/days/2026-03-02", json=day).status_code == 403


def test_policies_are_listed_and_edited(client_as, session: Session):
    rows = client_as("zhao").get("/api/v1/deadline-policies").json()
    assert len([r for r in rows if r["category_code"] == r["source_code"] == ""]) == 8
    change = {
        "level": "township",
        "violence_risk": False,
        "accept_days": 2,
        "resolve_days": 15,
        "follow_up_days": 7,
        "auto_escalate": False,
        "basis": "本县规定（测试）",
    }
    r = client_as("admin").put("/api/v1/deadline-policies", json=change)
    assert r.status_code == 200, r.text
    assert r.json()["resolve_days"] == 15
    policy = policy_for(session, "neighbour", "township", False)
    assert (policy.accept_days, policy.resolve_days, policy.auto_escalate) == (2, 15, False)
    rows_after = client_as("zhao").get("/api/v1/deadline-policies").json()
    assert len(rows_after) == len(rows)  # replaced, not added


def test_bad_policies_name_their_fields(client_as):
    admin = client_as("admin")
    r = admin.put(
        "/api/v1/deadline-policies",
        json={
            "level": "grid",
            "category_code": "no-such",
            "accept_days": 1,
            "resolve_days": 1,
            "follow_up_days": 1,
        },
    )
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"level", "category_code"}
    r = admin.put(
        "/api/v1/deadline-policies",
        json={"level": "village", "accept_days": -1, "resolve_days": 0, "follow_up_days": 1},
    )
    assert {e["field"] for e in r.json()["errors"]} == {"accept_days", "resolve_days"}


def test_a_level_default_cannot_be_deleted(client_as):
    rows = client_as("zhao").get("/api/v1/deadline-policies").json()
    default = next(r for r in rows if r["category_code"] == r["source_code"] == "")
    r = client_as("admin").delete(f"/api/v1/deadline-policies/{default['id']}")
    assert r.status_code == 409 and r.json()["code"] == "default_policy"
