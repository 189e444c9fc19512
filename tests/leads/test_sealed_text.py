"""What a lead reports, the actions taken and every timeline note are sealed at rest (key
usage "lead"), and read only by the lead's verifiers and coordinators; a token without
lead.register reads that the lead exists, not what it says."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from grassroots.leads.models import Lead, LeadEvent
from tests.leads.conftest import JUSTICE, LEADS, handed_down, run

CONTENT = "群众反映青石镇某砂石场以威胁手段强揽周边工程。"
NOTE = "走访砂石场周边三户住户"
ACTIONS = "责令砂石场停止强揽并报告主管部门"


def _raw_rows(session: Session, code: str) -> list[object]:
    """Every stored value of the lead and of its timeline, as the database holds them."""
    lead = session.execute(text("SELECT * FROM lead WHERE code = :c"), {"c": code}).one()
    events = session.execute(
        text("SELECT * FROM lead_event WHERE lead_id = :i"), {"i": lead.id}
    ).all()
    return [*lead, *(v for e in events for v in e)]


def _holds(values: list[object], clear: str) -> bool:
    for value in values:
        if isinstance(value, bytes | memoryview) and clear.encode() in bytes(value):
            return True
        if isinstance(value, str) and clear in value:
            return True
    return False


def test_texts_are_sealed_at_rest(client_as, session: Session):
    qian, sun = client_as("qian"), client_as("sun")
    code = qian.post(LEADS, json=handed_down(content=CONTENT)).json()["code"]
    run(qian, code, ("assign", {"unit_code": JUSTICE, "note": "请司法所核查砂石场"}))
    run(sun, code, ("start", {}), ("note", {"note": NOTE}),
        ("verify", {"finding": "partly", "actions_taken": ACTIONS}))  # fmt: skip
    stored = _raw_rows(session, code)
    for clear in (CONTENT, NOTE, ACTIONS, "请司法所核查砂石场", "刘某某", "13911112222"):
        assert not _holds(stored, clear), clear
    lead = session.scalars(select(Lead).where(Lead.code == code)).one()
    assert lead.content_enc is not None and lead.actions_taken_enc is not None
    sealed = session.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead.id)).all()
    assert sum(e.note_enc is not None for e in sealed) == 2  # the two notes; others had none


def test_verifiers_and_coordinators_read_the_texts_a_narrow_token_does_not(client_as, client):
    qian, sun = client_as("qian"), client_as("sun")
    code = qian.post(LEADS, json=handed_down(content=CONTENT)).json()["code"]
    run(qian, code, ("assign", {"unit_code": JUSTICE}))
    run(sun, code, ("start", {}), ("note", {"note": NOTE}),
        ("verify", {"finding": "partly", "actions_taken": ACTIONS}))  # fmt: skip
    for reader in (qian, sun):
        lead = reader.get(f"{LEADS}/{code}").json()
        assert (lead["content"], lead["actions_taken"]) == (CONTENT, ACTIONS)
        assert NOTE in [e["note"] for e in lead["events"]]
    token = qian.post("/api/v1/auth/tokens", json={"name": "只读", "scopes": ["lead.read"]})
    assert token.status_code == 201, token.json()
    bearer = {"Authorization": f"Bearer {token.json()['token']}"}
    narrow = client.get(f"{LEADS}/{code}", headers=bearer)
    assert narrow.status_code == 200
    body = narrow.json()
    assert body["content"] is None and body["actions_taken"] is None
    assert CONTENT not in narrow.text and NOTE not in narrow.text and ACTIONS not in narrow.text
    assert "（仅核查及协调人员可见）" in [e["note"] for e in body["events"]]
    page = sun.get(f"/leads/{code}", headers={"Accept": "text/html"})
    assert CONTENT in page.text and NOTE in page.text
