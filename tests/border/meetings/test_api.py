"""边界联席会议 over the API: recorded with its participants, cases and decisions, sealed
text, audited; seen by the participants' subtrees only; edits replace decisions; refusals
change nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from grassroots.audit.models import AuditEntry
from grassroots.border.meetings.models import BorderDecision, BorderMeeting
from grassroots.privacy.sealed_columns import sealed_columns
from tests.border.meetings.conftest import LIUHE, OUTSIDE, QINGSHI, meeting_body


def _audits(session, action: str) -> list[AuditEntry]:
    session.expire_all()
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_meeting_is_recorded_sealed_and_audited(client_as, session, joint_case, new_meeting):
    code = joint_case()
    m = new_meeting(case_codes=[code])
    assert [j["code"] for j in m["jurisdictions"]] == [QINGSHI, LIUHE]
    assert m["outside"] == [OUTSIDE] and m["cases"][0]["code"] == code
    assert [(d["owner"], d["due_on"], d["done"]) for d in m["decisions"]] == [
        ("青石镇司法所", "2026-03-31", False)
    ]
    session.expire_all()
    row = session.scalars(select(BorderMeeting)).one()
    assert "张三".encode() not in row.notes_enc and "草场".encode() not in row.topics_enc
    audit = _audits(session, "border.meeting_create")
    assert len(audit) == 1 and audit[0].details["jurisdictions"] == [QINGSHI, LIUHE]
    assert "张三" not in str(audit[0].details)
    names = {c.name for c in sealed_columns()}
    assert {
        "border_meeting.topics_enc",
        "border_meeting.notes_enc",
        "border_decision.text_enc",
    } <= names


def test_the_participants_subtrees_see_it_others_get_not_found(client_as, session, new_meeting):
    m = new_meeting(jurisdiction_codes=[QINGSHI])
    for name in ("zhao", "qian", "chen"):  # 青石镇 and the county above it
        assert client_as(name).get(f"/api/v1/border/meetings/{m['id']}").status_code == 200
        assert m["id"] in [r["id"] for r in client_as(name).get("/api/v1/border/meetings").json()]
    zhou = client_as("zhou")  # 柳河镇 did not take part
    assert zhou.get(f"/api/v1/border/meetings/{m['id']}").status_code == 404
    assert zhou.get("/api/v1/border/meetings/999999").status_code == 404
    assert zhou.get("/api/v1/border/meetings").json() == []
    assert len(_audits(session, "border.meeting_read")) == 1  # the existing one, refused
    assert client_as("admin").get("/api/v1/border/meetings").status_code == 403


def test_one_of_the_jurisdictions_must_be_the_actors_own(client_as, session):
    zhou = client_as("zhou")
    r = zhou.post("/api/v1/border/meetings", json=meeting_body(jurisdiction_codes=[QINGSHI]))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "jurisdiction_codes"
    r = zhou.post("/api/v1/border/meetings", json=meeting_body(jurisdiction_codes=["990101999000"]))
    assert r.status_code == 422
    for bad in (
        {"jurisdiction_codes": []},
        {"topics": "  "},
        {"held_on": "2026-02-30"},
        {"outside": [{"name": "邻县", "code": "12ab"}]},
    ):
        assert zhou.post("/api/v1/border/meetings", json=meeting_body(**bad)).status_code == 422
    assert session.scalar(select(func.count()).select_from(BorderMeeting)) == 0


def test_a_case_the_actor_cannot_see_is_refused(client_as, session, joint_case):
    code = joint_case()  # 青石镇's case, shared with 柳河镇 (so zhou sees it); one code absent
    r = client_as("zhou").post(
        "/api/v1/border/meetings", json=meeting_body(case_codes=[code, "990101-2099-999999"])
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "case_codes"
    assert (
        client_as("zhou")
        .post("/api/v1/border/meetings", json=meeting_body(case_codes=[code]))
        .status_code
        == 201
    )


def test_an_edit_replaces_the_decisions_and_marks_one_done(client_as, session, new_meeting):
    m = new_meeting()
    decisions = [
        {"text": "联合现场勘界", "owner": "青石镇司法所", "done": True},
        {"text": "签订放牧协议", "owner": "邻县综治中心", "due_on": "2026-05-01"},
    ]
    r = client_as("zhou").put(
        f"/api/v1/border/meetings/{m['id']}", json=meeting_body(decisions=decisions, place="柳河镇")
    )
    assert r.status_code == 200, r.text
    assert r.json()["place"] == "柳河镇"
    assert [(d["text"], d["done"]) for d in r.json()["decisions"]] == [
        ("联合现场勘界", True),
        ("签订放牧协议", False),
    ]
    assert session.scalar(select(func.count()).select_from(BorderDecision)) == 2
    assert len(_audits(session, "border.meeting_update")) == 1
    r = client_as("wu").put(f"/api/v1/border/meetings/{m['id']}", json=meeting_body())
    assert r.status_code == 404  # a village of 柳河镇 is below no participant


def test_the_minutes_are_a_word_document_with_the_meeting(client_as, new_meeting):
    import io

    from docx import Document

    m = new_meeting()
    r = client_as("zhou").get(f"/api/v1/border/meetings/{m['id']}/minutes.docx")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert text.startswith("边界联席会议纪要") and "2026年3月12日" in text
    assert "青石镇" in text and "柳河镇" in text and "邻县综治中心（990201000000）" in text
    assert (
        "一、会议议题" in text
        and "联合现场勘界（责任单位：青石镇司法所，2026年3月31日前完成；未完成）" in text
    )
    assert client_as("wu").get(f"/api/v1/border/meetings/{m['id']}/minutes.docx").status_code == 404
