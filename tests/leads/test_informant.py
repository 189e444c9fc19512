"""举报人保护: the informant's identity and contact appear in no response, audit row or log
line for any role, except through the audited reveal of the roles that may; never to anyone
of the unit a lead is about."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from tests.leads.conftest import JUSTICE, LEADS, handed_down, run

NAME, CONTACT = "举报人孔乙己", "13911112222"
CENTRE = "990101002-centre"  # zhao's own unit
EVERYONE = ("wang", "li", "zhao", "sun", "qian", "chen", "zhou", "wu", "admin", "security", "audit")


def _lead(client, **changes) -> str:
    body = handed_down(informant_name=NAME, informant_contact=CONTACT, **changes)
    r = client.post(LEADS, json=body)
    assert r.status_code == 201, r.json()
    return r.json()["code"]


def _reads(client, code: str) -> list[str]:
    paths = [LEADS, f"{LEADS}/{code}", f"{LEADS}?state=verifying", "/api/v1/lead-categories"]
    return [client.get(p).text for p in paths]


def test_identity_absent_from_every_response_and_audit_row(client_as, session: Session, caplog):
    caplog.set_level(logging.DEBUG)
    qian, sun = client_as("qian"), client_as("sun")
    code = _lead(qian)
    texts = [qian.post(LEADS, json=handed_down()).text]
    run(qian, code, ("assign", {"unit_code": JUSTICE}))
    run(sun, code, ("start", {}), ("note", {"note": "走访"}))
    for name in EVERYONE:
        texts += _reads(client_as(name), code)
    assert texts and all(
        NAME not in t and CONTACT not in t and "13911112222" not in t for t in texts
    )
    assert sun.get(f"{LEADS}/{code}").json()["informant_recorded"] is True
    details = [str(d) for d in session.scalars(select(AuditEntry.details))]
    assert not any(NAME in d or CONTACT in d for d in details)
    assert NAME not in caplog.text and CONTACT not in caplog.text


def test_reveal_with_a_reason_audited(client_as, session: Session):
    zhao, sun, li = client_as("zhao"), client_as("sun"), client_as("li")
    code = _lead(client_as("qian"))
    reveal = f"{LEADS}/{code}/informant/reveal"
    assert sun.post(reveal, json={"reason": "需要联系举报人"}).status_code == 403  # no lead.reveal
    assert li.post(reveal, json={"reason": "需要联系举报人"}).status_code == 403
    assert zhao.post(reveal, json={"reason": ""}).status_code == 422
    r = zhao.post(reveal, json={"reason": "核实细节 13800138000"})
    assert r.status_code == 200 and r.json() == {"name": NAME, "contact": CONTACT}
    row = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "lead.informant_reveal")
    ).one()
    assert row.actor_name == "zhao" and row.object_id == code and row.result == "ok"
    assert "13800138000" not in str(row.details) and NAME not in str(row.details)
    events = [e["action"] for e in zhao.get(f"{LEADS}/{code}").json()["events"]]
    assert events[-1] == "reveal"


@pytest.mark.parametrize("who", ["zhao"])
def test_never_to_the_unit_the_lead_is_about(client_as, session: Session, who: str):
    """A report about zhao's own centre: zhao coordinates the township, yet may not see who
    reported it; the county leader may."""
    code = _lead(client_as("qian"), subject_unit_code=CENTRE)
    reveal = f"{LEADS}/{code}/informant/reveal"
    r = client_as(who).post(reveal, json={"reason": "核实举报内容"})
    assert r.status_code == 403
    denied = session.scalars(select(AuditEntry).where(
        AuditEntry.action == "lead.informant_reveal", AuditEntry.result == "denied"
    )).all()  # fmt: skip
    assert [d.actor_name for d in denied] == [who]
    assert client_as("chen").post(reveal, json={"reason": "核实举报内容"}).json()["name"] == NAME


def test_anonymous_lead_has_nothing_to_reveal(client_as):
    qian = client_as("qian")
    r = qian.post(LEADS, json=handed_down(anonymous=True, informant_name="", informant_contact=""))
    code = r.json()["code"]
    assert r.json()["anonymous"] is True and r.json()["informant_recorded"] is False
    reveal = qian.post(f"{LEADS}/{code}/informant/reveal", json={"reason": "核实举报内容"})
    assert reveal.status_code == 404
