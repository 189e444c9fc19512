"""Joint cases over the API: who handles them, the sealed thread, tasks of each side, the
audit, and refusals that change nothing."""

from __future__ import annotations

from sqlalchemy import select

from grassroots.audit.models import AuditEntry
from grassroots.cases.models import Case
from grassroots.joint.models import JointMessage, JointTask
from grassroots.privacy.sealed_columns import sealed_columns
from tests.cases.conftest import act
from tests.joint.conftest import CO_TOWNSHIP

NOTE = "已联系张三，约定周五在两镇交界处现场查看"


def _audits(session, code: str, action: str) -> list[AuditEntry]:
    session.expire_all()
    return list(session.scalars(select(AuditEntry).where(
        AuditEntry.object_id == code, AuditEntry.action == action)))  # fmt: skip


def _holder(session, code: str) -> str:
    return f"j:{session.scalar(select(Case).where(Case.code == code)).holder.code}"


def test_both_sides_list_and_read_the_joint_case_others_are_refused(client_as, session, joint_case):
    code = joint_case()
    zhao, zhou = client_as("zhao"), client_as("zhou")
    assert {r["code"]: r["my_side"] for r in zhao.get("/api/v1/joint").json()}[code] == "holder"
    assert {r["code"]: r["my_side"] for r in zhou.get("/api/v1/joint").json()}[code] == "co"
    got = zhou.get(f"/api/v1/joint/{code}").json()
    holder = _holder(session, code)
    assert holder.startswith("j:990101002")  # the village of wang's grid, in 青石镇
    sides = [(s["key"], s["role"]) for s in got["sides"]]
    assert sides == [(holder, "holder"), (f"j:{CO_TOWNSHIP}", "co")]
    # wang registered it (and sees the case) but does not handle it; wu is beyond both.
    assert client_as("wang").get(f"/api/v1/case/{code}").status_code == 404  # no such route
    assert client_as("wang").get(f"/api/v1/cases/{code}").status_code == 200
    for name in ("wang", "wu"):
        r = client_as(name).get(f"/api/v1/joint/{code}")
        assert r.status_code == 404, name
        assert code not in [row["code"] for row in client_as(name).get("/api/v1/joint").json()]
    assert len(_audits(session, code, "joint.read")) == 1  # wang's refusal (wu: case.read)


def test_the_thread_is_sealed_shared_and_audited(client_as, session, joint_case):
    code = joint_case()
    zhao, zhou = client_as("zhao"), client_as("zhou")
    r = zhou.post(f"/api/v1/joint/{code}/messages", json={"text": NOTE})
    assert r.status_code == 201, r.text
    assert r.json()["side"] == "co"
    r = zhao.post(f"/api/v1/joint/{code}/messages", json={"text": "收到，青石镇派调解员同去"})
    assert r.status_code == 201
    thread = zhao.get(f"/api/v1/joint/{code}").json()["messages"]
    assert [(m["text"], m["side"]) for m in thread] == [
        (NOTE, "co"), ("收到，青石镇派调解员同去", "holder")]  # fmt: skip
    session.expire_all()
    stored = session.scalars(select(JointMessage.body_enc)).all()
    assert stored and all("张三".encode() not in blob and NOTE.encode() not in blob
                          for blob in stored)  # fmt: skip
    audits = _audits(session, code, "joint.message")
    assert len(audits) == 2 and all(NOTE not in str(a.details) for a in audits)
    names = {c.name for c in sealed_columns()}
    assert {"joint_message.body_enc", "joint_task.text_enc"} <= names


def test_blank_or_long_messages_are_refused_and_nothing_is_stored(client_as, session, joint_case):
    code = joint_case()
    zhou = client_as("zhou")
    for text in ("", "   ", "字" * 2001):
        assert zhou.post(f"/api/v1/joint/{code}/messages", json={"text": text}).status_code == 422
    session.expire_all()
    assert session.scalars(select(JointMessage)).all() == []


def test_the_holder_gives_tasks_the_side_marks_them_done(client_as, session, joint_case):
    code = joint_case()
    zhao, zhou = client_as("zhao"), client_as("zhou")
    side = f"j:{CO_TOWNSHIP}"
    body = {"side": side, "text": "通知柳河镇一方当事人到场", "due_on": "2026-12-20"}
    # the co-handler does not assign; a side that is not the case's is a bad form
    r = zhou.post(f"/api/v1/joint/{code}/tasks", json=body)
    assert r.status_code == 403 and r.json()["code"] == "not_joint_lead"
    r = zhao.post(f"/api/v1/joint/{code}/tasks", json=body | {"side": "j:990101004000"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "side"
    r = zhao.post(f"/api/v1/joint/{code}/tasks", json=body)
    assert r.status_code == 201, r.text
    task = r.json()["tasks"][0]
    assert (task["side"], task["text"], task["done_at"]) == (side, body["text"], None)
    r = zhou.post(f"/api/v1/joint/{code}/tasks/{task['id']}/done")
    assert r.status_code == 200 and r.json()["tasks"][0]["done_at"] is not None
    assert zhou.post(f"/api/v1/joint/{code}/tasks/{task['id']}/done").status_code == 409
    assert zhou.post(f"/api/v1/joint/{code}/tasks/999999/done").status_code == 404
    session.expire_all()
    assert all(
        b"\xe9\x80\x9a\xe7\x9f\xa5" not in t for t in session.scalars(select(JointTask.text_enc))
    )
    assert len(_audits(session, code, "joint.task")) == 1
    assert len(_audits(session, code, "joint.task_done")) == 1


def test_a_holder_task_is_not_the_co_sides_to_finish(client_as, session, joint_case):
    code = joint_case()
    zhao, zhou = client_as("zhao"), client_as("zhou")
    r = zhao.post(
        f"/api/v1/joint/{code}/tasks",
        json={"side": _holder(session, code), "text": "调取村委会台账"},
    )
    task_id = r.json()["tasks"][0]["id"]
    r = zhou.post(f"/api/v1/joint/{code}/tasks/{task_id}/done")
    assert r.status_code == 403 and r.json()["code"] == "not_task_side"
    assert zhao.post(f"/api/v1/joint/{code}/tasks/{task_id}/done").status_code == 200


def test_ending_the_share_ends_the_co_sides_access(client_as, session, joint_case):
    code = joint_case()
    zhao, zhou = client_as("zhao"), client_as("zhou")
    assert zhou.post(f"/api/v1/joint/{code}/messages", json={"text": "协办意见"}).status_code == 201
    version = session.scalar(select(Case.version).where(Case.code == code))
    assert act(zhao, code, "unshare", version, jurisdiction_code=CO_TOWNSHIP).status_code == 200
    assert zhou.get(f"/api/v1/joint/{code}").status_code == 404
    assert zhou.post(f"/api/v1/joint/{code}/messages", json={"text": "再留言"}).status_code == 404
    # no share left: not a joint case any more, for the holder too
    assert zhao.get(f"/api/v1/joint/{code}").status_code == 404


def test_a_lead_share_may_assign_tasks(client_as, session, joint_case):
    code = joint_case(role="lead")
    zhou = client_as("zhou")
    assert zhou.get(f"/api/v1/joint/{code}").json()["my_side"] == "lead"
    r = zhou.post(
        f"/api/v1/joint/{code}/tasks",
        json={"side": _holder(session, code), "text": "青石镇核实界址"},
    )
    assert r.status_code == 201
