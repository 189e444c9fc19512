"""Who sees which case: jurisdiction subtree, unit, shares; out of scope looks like missing."""

from __future__ import annotations

from sqlalchemy import select

from grassroots.audit.models import AuditEntry
from tests.cases.conftest import act


def codes(client, **params) -> set[str]:
    r = client.get("/api/v1/cases", params={"limit": 200, **params})
    assert r.status_code == 200, r.text
    return {c["code"] for c in r.json()["items"]}


def test_zhou_cannot_see_a_qingshi_case_exactly_like_a_missing_one(
    client_as, new_case_body, session
):
    code = client_as("wang").post("/api/v1/cases", json=new_case_body).json()["code"]
    zhou = client_as("zhou")  # 受理员 of 柳河镇
    hidden = zhou.get(f"/api/v1/cases/{code}")
    missing = zhou.get("/api/v1/cases/990101-2026-999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.headers["content-type"] == missing.headers["content-type"]
    strip = lambda r, c: {k: str(v).replace(c, "X") for k, v in r.json().items()}  # noqa: E731
    assert strip(hidden, code) == strip(missing, "990101-2026-999999")
    for path in ("timeline", "actions"):
        assert zhou.get(f"/api/v1/cases/{code}/{path}").status_code == 404
    assert code not in codes(zhou)
    denied = session.scalars(
        select(AuditEntry).where(AuditEntry.object_id == code, AuditEntry.result == "denied")
    ).all()
    assert [d.actor_name for d in denied] == ["zhou", "zhou", "zhou"]


def test_jurisdiction_subtree(client_as, new_case_body):
    code = client_as("wang").post("/api/v1/cases", json=new_case_body).json()["code"]
    for user in ("wang", "li", "zhao", "qian", "chen"):
        assert code in codes(client_as(user)), user
    for user in ("zhou", "wu", "sun"):
        assert code not in codes(client_as(user)), user


def test_unit_handler_sees_what_is_routed_to_his_unit(client_as, new_case_body):
    zhao, sun = client_as("zhao"), client_as("sun")
    case = zhao.post("/api/v1/cases", json=new_case_body).json()
    code = case["code"]
    act(zhao, code, "accept", 1)
    assert sun.get(f"/api/v1/cases/{code}").status_code == 404
    r = act(zhao, code, "assign", 2, unit_code=f"{case['township_code'][:9]}-justice")
    assert r.status_code == 200, r.text
    assert sun.get(f"/api/v1/cases/{code}").status_code == 200
    assert code in codes(sun)
    assert "resolve" in [a["action"] for a in sun.get(f"/api/v1/cases/{code}/actions").json()]


def test_a_joint_case_is_shared_with_the_other_township(client_as, new_case_body):
    zhao, zhou = client_as("zhao"), client_as("zhou")
    code = client_as("wang").post("/api/v1/cases", json=new_case_body).json()["code"]
    r = act(zhao, code, "share", 1, jurisdiction_code="990101003000", role="co")
    assert r.status_code == 200, r.text
    assert zhou.get(f"/api/v1/cases/{code}").status_code == 200
    assert code in codes(zhou)
    # Shared with the township: its centre sees it, not every village grid worker in it.
    assert code not in codes(client_as("wu"))
    # A co-handler records sessions but does not accept (the holder's centre does).
    assert [a["action"] for a in zhou.get(f"/api/v1/cases/{code}/actions").json()] == []


def test_administrators_hold_no_case_read(client_as):
    r = client_as("admin").get("/api/v1/cases")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
