"""The township roster (队伍建设): township and county staff only; grids served today, the
work phone encrypted and masked (revealed for a reason, audited), training entries, and the
workload (open cases assigned, rounds this month) counted from rows; listed by grid."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.calendar.today import china_today
from grassroots.cases.intake.actions import do_register
from grassroots.cases.schemas import NewCase
from grassroots.rounds.actions import do_record_round
from grassroots.rounds.schemas import RoundIn
from tests.cases.conftest import grid_in
from tests.rounds.test_rounds import post

HTML = {"accept": "text/html"}
QINGSHI = "990101002000"  # zhao's township, wang's village is in it


def _work(session: Session, users: dict[str, User], grid: str) -> None:
    """wang serves the grid; two cases there go to him; he records one round today."""
    post(session, users, grid, start=china_today())
    for title in ("邻里纠纷一", "邻里纠纷二"):
        body = NewCase(category_code="neighbour", source_code="visit", title=title,
                       description="名册样本", grid_code=grid)  # fmt: skip
        do_register(session, body, actor=users["zhao"])
    found = RoundIn(grid_code=grid, held_on=china_today(), checks=["dispute_hotspot"])
    do_record_round(session, found, actor=users["wang"], now=datetime.now(UTC))


def test_staff_see_the_roster_with_grids_workload_phone_and_trainings(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    _work(session, users, grid)
    zhao = client_as("zhao")
    assert zhao.put("/api/v1/roster/wang/phone", json={"phone": "13912345678"}).status_code == 204
    r = zhao.post("/api/v1/roster/wang/trainings",
                  json={"held_on": "2026-03-02", "title": "人民调解业务培训"})  # fmt: skip
    assert r.status_code == 201
    roster = zhao.get(f"/api/v1/townships/{QINGSHI}/roster").json()
    wang = next(w for w in roster["workers"] if w["username"] == "wang")
    assert [g["code"] for g in wang["grids"]] == [grid]
    assert (wang["open_cases"], wang["rounds_this_month"]) == (2, 1)
    assert wang["phone_masked"] == "139****5678"
    assert wang["trainings"] == [{"held_on": "2026-03-02", "title": "人民调解业务培训"}]
    stored = session.execute(text("SELECT phone_enc FROM worker_contact")).scalars().all()
    assert stored and all(b"13912345678" not in bytes(b) for b in stored)  # encrypted
    assert client_as("qian").get(f"/api/v1/townships/{QINGSHI}/roster").status_code == 200


def test_the_phone_is_revealed_for_a_reason_and_the_audit_keeps_no_number(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    zhao = client_as("zhao")
    zhao.put("/api/v1/roster/wang/phone", json={"phone": "13912345678"})
    short = zhao.post("/api/v1/roster/wang/phone/reveal", json={"reason": "看"})
    assert short.status_code == 422
    r = zhao.post("/api/v1/roster/wang/phone/reveal", json={"reason": "联系核实排查情况"})
    assert r.json() == {"username": "wang", "phone": "13912345678"}
    rows = session.scalars(select(AuditEntry).where(AuditEntry.action.like("roster.%"))).all()
    assert [a.action for a in rows] == ["roster.phone", "roster.reveal"]
    assert all("13912345678" not in str(a.details) for a in rows)


def test_only_township_and_county_staff_reach_the_roster(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    for name in ("wang", "li", "sun"):  # no roster.manage: grid worker, mediator, unit
        assert client_as(name).get(f"/api/v1/townships/{QINGSHI}/roster").status_code == 403
    zhou = client_as("zhou")  # another township's centre
    assert zhou.get(f"/api/v1/townships/{QINGSHI}/roster").status_code == 404
    assert zhou.put("/api/v1/roster/wang/phone", json={"phone": "13912345678"}).status_code == 404
    bad = client_as("zhao").put("/api/v1/roster/wang/phone", json={"phone": "call me"})
    assert bad.status_code == 422
    assert session.execute(text("SELECT count(*) FROM worker_contact")).scalar() == 0
    assert client_as("wang").get("/roster", headers=HTML).status_code == 403


def test_the_page_forms_save_a_phone_a_training_and_reveal(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    _work(session, users, grid)
    zhao = client_as("zhao")
    page = zhao.get("/roster", params={"township": QINGSHI}, headers=HTML)
    assert page.status_code == 200 and 'id="worker-wang"' in page.text
    form = {"township": QINGSHI, "phone": "13912345678"}
    r = zhao.post("/roster/wang/phone", data=form, headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    form = {"township": QINGSHI, "held_on": "2026-04-01", "title": "<i>网格员</i>培训"}
    assert zhao.post("/roster/wang/trainings", data=form, headers=HTML,
                     follow_redirects=False).status_code == 303  # fmt: skip
    shown = zhao.get("/roster", params={"township": QINGSHI}, headers=HTML).text
    assert "139****5678" in shown and "13912345678" not in shown
    assert "&lt;i&gt;网格员&lt;/i&gt;培训" in shown
    revealed = zhao.post("/roster/wang/reveal", data={"township": QINGSHI, "reason": "联系核实"},
                         headers=HTML)  # fmt: skip
    assert revealed.status_code == 200 and "13912345678" in revealed.text
