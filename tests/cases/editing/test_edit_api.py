"""POST /api/v1/cases/{code}/edit: each field, its audit and timeline entry, its consequences
(statistics, deadlines, routing), the version check, the refusals — over real HTTP."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.calendar.today import china_today
from grassroots.cases.models import Case, Party
from grassroots.cases.workflow.transitions import replay
from grassroots.crypto import keyring
from grassroots.geo.models import Jurisdiction
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.stats.conftest import COUNTY, QINGSHI, assert_agree


def edit(client: Any, code: str, version: int, **body: Any) -> Any:
    return client.post(f"/api/v1/cases/{code}/edit", json={"expected_version": version, **body})


def other_village_grid(session: Session, village_code: str, township_code: str) -> str:
    """A current grid of another village of the same township."""
    return session.scalars(
        select(Jurisdiction.code)
        .where(
            Jurisdiction.level == "grid",
            Jurisdiction.valid_to.is_(None),
            Jurisdiction.code.startswith(township_code[:9]),
            Jurisdiction.code.not_like(f"{village_code}%"),
        )
        .order_by(Jurisdiction.code)
    ).first()  # type: ignore[return-value]


def audit_rows(session: Session, code: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "case.edit", AuditEntry.object_id == code)
            .order_by(AuditEntry.id)
        )
    )


SCOPES = (
    Scope("county", COUNTY),
    Scope("township", QINGSHI),
    Scope("county", COUNTY, "neighbour"),
    Scope("county", COUNTY, "housing_land"),
)


def agree(session: Session) -> None:
    year = china_today().year
    for period in (f"{year}", f"{year - 1}-01..{year + 1}-12"):
        for scope in SCOPES:
            assert_agree(session, scope, parse_period(period), china_today())


def test_category_kind_and_village_move_the_counts(session, client_as, new_case_body):
    wang, zhao = client_as("wang"), client_as("zhao")
    created = wang.post("/api/v1/cases", json=new_case_body).json()
    code, village = created["code"], created["village_code"]
    agree(session)
    grid = other_village_grid(session, village, created["township_code"])
    r = edit(zhao, code, created["version"], reason="登记时类别和位置选错",
             category_code="housing_land", kind="request", grid_code=grid)  # fmt: skip
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["category_code"], out["kind"], out["grid_code"]) == (
        "housing_land",
        "request",
        grid,
    )
    assert out["village_code"] == grid[:12] != village
    assert out["version"] == created["version"] + 1
    session.expire_all()
    agree(session)  # the maintained aggregates still equal the independent recount
    timeline = zhao.get(f"/api/v1/cases/{code}/timeline").json()
    last = timeline[-1]
    assert last["action"] == "edit" and last["note"] == "登记时类别和位置选错"
    assert last["from_state"] == last["to_state"] == "registered"
    fields = {c["field"]: (c["old"], c["new"]) for c in last["details"]["changes"]}
    assert fields["category_code"] == ("neighbour", "housing_land")
    assert fields["kind"] == ("dispute", "request")
    assert fields["village_code"] == (village, grid[:12])
    assert "holder" in fields  # a village case follows its grid to the other village
    assert out["holder_code"] == grid[:12]
    case = session.scalar(select(Case).where(Case.code == code))
    assert case is not None and case.holder.code == grid[:12]
    assert replay(case.events).steps == case.version  # the edit is a version step
    [row] = audit_rows(session, code)
    assert row.details["changes"] == last["details"]["changes"]
    assert row.details["reason"] == "登记时类别和位置选错"


def test_statistics_agree_after_edits_at_every_stage(session, client_as, case_in):
    """Resolved and closed cases edited by the leader move their counts too."""
    chen = client_as("chen")
    for state, change in (("in_progress", {"category_code": "contract"}),
                          ("resolved", {"kind": "request", "violence_risk": True}),
                          ("closed", {"category_code": "housing_land"})):  # fmt: skip
        code, version = case_in(state)
        r = edit(chen, code, version, reason="纠正", **change)
        assert r.status_code == 200, r.text
    session.expire_all()
    agree(session)


def test_deadline_follows_the_policy_when_the_violence_flag_changes(session, client_as, case_in):
    zhao = client_as("zhao")
    code, version = case_in("in_progress")
    before = zhao.get(f"/api/v1/cases/{code}").json()
    r = edit(zhao, code, version, reason="发现有民转刑风险", violence_risk=True, risk_level="high")
    assert r.status_code == 200, r.text
    after = r.json()
    old, new = date.fromisoformat(before["resolve_due"]), date.fromisoformat(after["resolve_due"])
    assert new < old  # village: 20 working days → 5 with the risk flag
    assert after["due_on"] == after["resolve_due"]  # the running clock moved with it
    last = zhao.get(f"/api/v1/cases/{code}/timeline").json()[-1]
    assert last["details"]["deadline_change"] == {
        "deadline": "resolve_due", "old": old.isoformat(), "new": new.isoformat()}  # fmt: skip
    back = edit(zhao, code, after["version"], reason="风险已排除", violence_risk=False)
    assert back.json()["resolve_due"] == before["resolve_due"]  # the same working days again
    session.expire_all()
    agree(session)


def test_parties_added_and_corrected_encrypted_and_masked(session, client_as, new_case_body):
    wang = client_as("wang")
    created = wang.post("/api/v1/cases", json=new_case_body).json()
    code = created["code"]
    parties = wang.get("/api/v1/parties", params={"case": code}).json()
    first = next(p for p in parties if p["role"] == "applicant")
    r = edit(wang, code, created["version"], reason="电话记错，补充第三人",
             party_changes=[{"id": first["id"], "name": "张三丰", "phone": "13912345678"}],
             add_parties=[{"role": "third_party", "name": "王五",
                           "id_number": "99010119900101002X"}])  # fmt: skip
    assert r.status_code == 200, r.text
    stored = session.scalars(
        select(Party).join(Case).where(Case.code == code).order_by(Party.id)
    ).all()
    assert len(stored) == 3
    ring = keyring()
    assert ring.decrypt("phone", stored[0].phone_enc) == "13912345678"
    assert stored[0].phone_bidx == ring.blind_index("phone", "13912345678")
    assert ring.decrypt("id_number", stored[2].id_number_enc) == "99010119900101002X"
    [row] = audit_rows(session, code)
    text = str(row.details) + str(wang.get(f"/api/v1/cases/{code}/timeline").json()[-1])
    for clear in ("13912345678", "13800138000", "张三丰", "王五", "99010119900101002X"):
        assert clear not in text
    changes = {c["field"]: (c["old"], c["new"]) for c in row.details["changes"]}
    assert changes["party.phone"] == ("138****8000", "139****5678")
    assert changes["party.name"] == ("张*", "张**")
    assert changes["party"] == (None, "third_party 王*")


def test_stale_version_is_a_conflict_and_changes_nothing(session, client_as, new_case_body):
    wang, zhao = client_as("wang"), client_as("zhao")
    created = wang.post("/api/v1/cases", json=new_case_body).json()
    code, version = created["code"], created["version"]
    assert (
        edit(zhao, code, version, reason="改类别", category_code="housing_land").status_code == 200
    )
    r = edit(wang, code, version, reason="改地址", address="新地址")
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    now = zhao.get(f"/api/v1/cases/{code}").json()
    assert now["address"] == "" and now["version"] == version + 1


def test_bad_input_is_a_clear_error_and_changes_nothing(session, client_as, new_case_body):
    wang = client_as("wang")
    created = wang.post("/api/v1/cases", json=new_case_body).json()
    code, version = created["code"], created["version"]
    cases = [
        ({"category_code": "housing_land"}, 422, "reason"),  # no reason
        ({"reason": "改", "category_code": "no-such"}, 422, "category_code"),
        ({"reason": "改", "category_code": "neighbour"}, 422, None),  # no change
        ({"reason": "改", "lat": 30.1}, 422, None),  # lat without lng
        ({"reason": "改", "party_changes": [{"id": 2**31 - 1, "name": "某"}]}, 422, None),
        ({"reason": "改", "risk_level": "extreme"}, 422, "risk_level"),
        ({"reason": "改", "grid_code": "999999999999999"}, 422, "grid_code"),
    ]
    for body, status, field in cases:
        r = edit(wang, code, version, **body)
        assert r.status_code == status, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        if field is not None:
            assert field in {e["field"].split(".")[-1] for e in r.json().get("errors", [])}, (
                r.json()
            )
    assert wang.get(f"/api/v1/cases/{code}").json()["version"] == version
    assert audit_rows(session, code) == []


def test_who_may_edit(session, client_as, case_in, new_case_body, users: dict[str, User]):
    wang, zhao, zhou, sun, chen = (client_as(n) for n in ("wang", "zhao", "zhou", "sun", "chen"))
    created = wang.post("/api/v1/cases", json=new_case_body).json()
    code, version = created["code"], created["version"]
    assert edit(zhou, code, version, reason="改", address="x").status_code == 404  # other township
    r = edit(sun, code, version, reason="改", address="x")  # a unit the case is not routed to
    assert r.status_code in (403, 404)
    grid = other_village_grid(session, created["village_code"], created["township_code"])
    r = edit(wang, code, version, reason="改", grid_code=grid)  # the registrar, outside her village
    assert r.status_code == 403 and r.json()["code"] == "outside_jurisdiction"
    assert edit(wang, code, version, reason="补地址", address="东头").status_code == 200
    closed, v = case_in("closed")
    r = edit(zhao, closed, v, reason="改", address="x")
    assert r.status_code == 403 and r.json()["code"] == "case_closed"
    assert edit(chen, closed, v, reason="结案后更正地址", address="西头").status_code == 200
