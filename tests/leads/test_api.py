"""A lead's life through the real API: received, assigned, verified, replied, sent back,
replied again, closed; split among units; a case created by the verification; who sees what."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.cases.models import Case
from tests.cases.conftest import grid_in
from tests.leads.conftest import JUSTICE, LEADS, MEDIATION, POLICE, act, handed_down, run


def test_full_life_with_a_return(client_as, session: Session):
    qian, sun, chen, zhou = (
        client_as("qian"),
        client_as("sun"),
        client_as("chen"),
        client_as("zhou"),
    )
    r = qian.post(LEADS, json=handed_down())
    assert r.status_code == 201, r.json()
    lead = r.json()
    code = lead["code"]
    assert lead["state"] == "received" and lead["due_on"] == "2026-12-31"
    assert lead["due_basis"] == "issuer" and lead["informant_recorded"] is True
    assert lead["persons"] is None and lead["persons_hidden"] is True  # qian does not verify
    run(qian, code, ("assign", {"unit_code": JUSTICE, "note": "请司法所核查"}))
    seen = sun.get(f"{LEADS}/{code}").json()
    assert seen["persons"] == "砂石场负责人刘某某" and seen["allowed_actions"] == ["start"]
    run(sun, code, ("start", {}), ("note", {"note": "已走访砂石场", "interim": True}),
        ("verify", {"finding": "partly", "actions_taken": "责令整改，移交公安"}))  # fmt: skip
    assert chen.get(f"{LEADS}/{code}").json()["persons"] is None
    run(qian, code, ("reply", {"reply": "经核查部分属实"}))
    # the city sends the reply back: the finding is void and verification starts again
    out = run(qian, code, ("return", {"reason": "未写明整改结果，退回重查"}))
    assert out["state"] == "verifying"
    detail = qian.get(f"{LEADS}/{code}").json()
    assert detail["finding"] is None and detail["returns"] == 1
    run(sun, code, ("verify", {"finding": "substantiated", "actions_taken": "已整改并移交"}))
    out = run(qian, code, ("reply", {"reply": "经核查属实"}), ("close", {}))
    assert out["state"] == "closed"
    actions = [e["action"] for e in qian.get(f"{LEADS}/{code}").json()["events"]]
    assert actions == ["create", "assign", "start", "note", "verify", "reply", "return",
                       "verify", "reply", "close"]  # fmt: skip
    audited = session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == code))
    assert sorted(set(audited)) == sorted({f"lead.{a}" for a in actions})
    assert zhou.get(f"{LEADS}/{code}").status_code == 404  # another township


def test_who_may_do_what(client_as):
    qian, sun, li, wang = client_as("qian"), client_as("sun"), client_as("li"), client_as("wang")
    code = qian.post(LEADS, json=handed_down()).json()["code"]
    assert sun.get(f"{LEADS}/{code}").status_code == 404  # not yet assigned to the 司法所
    assert wang.post(LEADS, json=handed_down()).status_code == 403  # no lead.register
    assert act(sun, code, "assign", 1, unit_code=JUSTICE).status_code == 404
    run(qian, code, ("assign", {"unit_code": JUSTICE}))
    v = sun.get(f"{LEADS}/{code}").json()["version"]
    r = act(li, code, "start", v)
    assert r.status_code == 404  # li is of the 调委会, not assigned: the lead is not his
    r = act(qian, code, "start", v)
    assert r.status_code == 403 and r.json()["code"] == "not_your_lead"
    r = act(sun, code, "verify", v, finding="partly", actions_taken="x")
    assert r.status_code == 409 and r.json()["code"] == "not_allowed_now"  # start first
    assert act(sun, code, "start", v - 1).json()["code"] == "stale_version"
    assert act(sun, code, "fly", v).status_code == 404
    assert act(sun, code, "note", v, note="").status_code == 422


def test_bad_input_changes_nothing(client_as):
    qian = client_as("qian")
    before = qian.get(LEADS).json()["items"]
    for body in (
        handed_down(category_code="no_such"),
        handed_down(issuing_body=""),
        handed_down(jurisdiction_code="990101999000"),
        handed_down(anonymous=True),
        handed_down(due_on="2026-01-01", received_on="2026-02-01"),
        handed_down(subject_unit_code="no-such-unit"),
    ):
        r = qian.post(LEADS, json=body)
        assert r.status_code == 422, r.json()
        assert r.headers["content-type"].startswith("application/problem+json")
    assert (
        client_as("zhao")
        .post(LEADS, json=handed_down(jurisdiction_code="990101003000"))
        .status_code
        == 403
    )
    assert qian.get(LEADS).json()["items"] == before


def test_policy_deadline_in_working_days(client_as):
    # received on 2026-09-25 (中秋, off to 09-27); 15 working days over 国庆 (10-01..07 off,
    # Saturday 10-10 worked): 09-28..30, 10-08..10, 10-12..16, 10-19..22 → 2026-10-22
    body = handed_down(source="report", issuing_body="", received_on="2026-09-25")
    body.pop("due_on")
    lead = client_as("zhao").post(LEADS, json=body).json()
    assert lead["due_basis"] == "policy" and lead["due_on"] == "2026-10-22"


def test_split_among_units(client_as):
    qian, sun = client_as("qian"), client_as("sun")
    code = qian.post(LEADS, json=handed_down()).json()["code"]
    run(qian, code, ("split", {"parts": [{"unit_code": JUSTICE}, {"unit_code": POLICE}]}))
    parent = qian.get(f"{LEADS}/{code}").json()
    assert [c["code"] for c in parent["children"]] == [f"{code}-1", f"{code}-2"]
    assert parent["allowed_actions"] == ["verify"]  # once the sub-leads are verified
    run(
        sun, f"{code}-1", ("start", {}), ("verify", {"finding": "unfounded", "actions_taken": "无"})
    )
    assert sun.get(f"{LEADS}/{code}-2").status_code == 404  # the police station's part
    sub = sun.get(f"{LEADS}/{code}-1").json()
    assert sub["informant_recorded"] is False and sub["parent_code"] == code
    r = act(qian, code, "verify", parent["version"], finding="partly", actions_taken="汇总")
    assert r.status_code == 409 and r.json()["code"] == "children_open"
    child2 = qian.get(f"{LEADS}/{code}-2").json()
    assert child2["allowed_actions"] == ["assign"]  # qian may re-route; the police verify
    listed = qian.get(LEADS, params={"top_level": "true", "batch": "2026-第3批"}).json()["items"]
    assert [x["code"] for x in listed] == [code]


def test_verification_creates_a_linked_case(client_as, session: Session, users):
    qian, li = client_as("qian"), client_as("li")
    code = qian.post(LEADS, json=handed_down(category_code="dispute_risk")).json()["code"]
    run(qian, code, ("assign", {"unit_code": MEDIATION, "assignee": "li"}))
    grid = grid_in(session, users["li"])
    out = run(li, code, ("start", {}), ("verify", {
        "finding": "substantiated", "actions_taken": "纠纷转入调解",
        "create_case": {"category_code": "neighbour", "grid_code": grid},
    }))  # fmt: skip
    case_code = out["case_code"]
    assert case_code and out["state"] == "verified"
    case = session.scalars(select(Case).where(Case.code == case_code)).one()
    assert code in case.description and case.source_code == "superior_assigned"
    assert "砂石场以威胁手段" not in case.description  # the lead's sealed text stays sealed
    back = li.get(f"/api/v1/cases/{case_code}/leads").json()
    assert [x["code"] for x in back] == [code]


def test_a_failed_case_creation_leaves_the_lead_unverified(client_as, session, users):
    qian, sun = client_as("qian"), client_as("sun")
    code = qian.post(LEADS, json=handed_down()).json()["code"]
    run(qian, code, ("assign", {"unit_code": JUSTICE}))
    run(sun, code, ("start", {}))
    grid = grid_in(session, users["sun"])
    version = sun.get(f"{LEADS}/{code}").json()["version"]
    r = act(sun, code, "verify", version, finding="substantiated", actions_taken="x",
            create_case={"category_code": "neighbour", "grid_code": grid})  # fmt: skip
    assert r.status_code == 403  # a unit handler may not register cases
    detail = sun.get(f"{LEADS}/{code}").json()
    assert detail["state"] == "verifying" and detail["case_code"] is None


def test_list_filters_and_cursor(client_as):
    qian = client_as("qian")
    codes = [qian.post(LEADS, json=handed_down(batch="B-7")).json()["code"] for _ in range(5)]
    seen, cursor = [], None
    while True:
        params = {"batch": "B-7", "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = qian.get(LEADS, params=params).json()
        seen += [x["code"] for x in page["items"]]
        assert all("informant" not in str(x) and "刘某某" not in str(x) for x in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == codes[::-1]
    assert qian.get(LEADS, params={"cursor": "!!"}).status_code == 422
    assert qian.get(LEADS, params={"state": "nonsense"}).status_code == 422
    assert qian.get(LEADS, params={"batch": "B-7", "overdue": "true"}).json()["items"] == []
