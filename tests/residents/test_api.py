"""A resident reports without an account: the case lands in the grid's village with the grid
worker as assignee (his queue), a receipt code of ≥ 80 bits is shown once and kept only as a
keyed hash, the name and phone are encrypted like any party's, and the progress shows no
staff name, other party or internal note."""

from __future__ import annotations

import base64

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.cases.models import Case, Party
from grassroots.residents.consent import CONSENT_VERSION
from grassroots.residents.models import PublicReport
from tests.residents.conftest import PUBLIC, proof


def _latest(session: Session) -> Case:
    session.expire_all()
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case is not None
    return case


def test_report_reaches_the_grid_worker_with_a_receipt_code(
    client, client_as, session, report_body
):
    r = client.post(f"{PUBLIC}/reports", json=report_body(proof=proof(client)))
    assert r.status_code == 201, r.text
    receipt = r.json()["receipt_code"]
    assert r.json()["anonymous"] is True
    assert len(base64.b32decode(receipt.replace("-", ""))) * 8 >= 80
    case = _latest(session)
    assert case.source_code == "resident_report" and case.level == "village"
    assert case.assignee is not None and case.assignee.username == "wang"
    assert case.parties == []
    stored = " ".join(str(v) for v in vars(session.scalars(select(PublicReport)).one()).values())
    assert receipt not in stored and receipt.replace("-", "") not in stored
    queue = client_as("wang").get("/api/v1/cases?queue=assigned")
    assert queue.status_code == 200 and case.code in queue.text
    looked = client.post(f"{PUBLIC}/reports/lookup", json={"receipt_code": receipt.lower()})
    assert looked.status_code == 200, looked.text
    body = looked.json()
    assert body["state"] == "registered" and body["level"] == "village"
    assert body["accept_due"] is not None and body["may_rate"] is False


def test_name_and_phone_need_consent_and_are_encrypted(client, session, report_body):
    named = report_body(name="张三", phone="13800138000")
    refused = client.post(f"{PUBLIC}/reports", json=named | {"proof": proof(client)})
    assert refused.status_code == 422
    before = session.scalar(select(Case.id).order_by(Case.id.desc()))
    r = client.post(f"{PUBLIC}/reports", json=named | {"consent": True, "proof": proof(client)})
    assert r.status_code == 201, r.text
    case = _latest(session)
    assert case.id != before
    party = session.scalars(select(Party).where(Party.case_id == case.id)).one()
    assert party.name == "张三" and party.phone_enc is not None
    assert b"13800138000" not in party.phone_enc
    report = session.scalars(select(PublicReport).where(PublicReport.case_id == case.id)).one()
    assert report.anonymous is False and report.consent_version == CONSENT_VERSION


def test_a_place_name_is_placed_in_its_grid_or_refused(client, session, report_body):
    unplaced = report_body(lat=None, lng=None, place="火星基地", proof=proof(client))
    r = client.post(f"{PUBLIC}/reports", json=unplaced)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "place"
    nowhere = report_body(lat=None, lng=None, place="", proof=proof(client))
    assert client.post(f"{PUBLIC}/reports", json=nowhere).status_code == 422


def test_a_proof_of_work_is_needed_once(client, session, report_body):
    assert client.post(f"{PUBLIC}/reports", json=report_body()).status_code == 422
    forged = "1999999999." + "0" * 32 + ":8:" + "0" * 64 + ":1"
    assert client.post(f"{PUBLIC}/reports", json=report_body(proof=forged)).status_code == 422
    good = proof(client)
    assert client.post(f"{PUBLIC}/reports", json=report_body(proof=good)).status_code == 201
    again = client.post(f"{PUBLIC}/reports", json=report_body(proof=good))
    assert again.status_code == 422 and "used" in again.text
    count = session.scalars(select(Case).where(Case.source_code == "resident_report")).all()
    assert len(count) == 1


def test_unknown_receipt_is_a_404_and_audit_has_no_code(client, session):
    r = client.post(f"{PUBLIC}/reports/lookup", json={"receipt_code": "AAAA-" * 5 + "AAAA"})
    assert r.status_code == 404
    bad = client.post(f"{PUBLIC}/reports/lookup", json={"receipt_code": "<script>"})
    assert bad.status_code == 422
    assert (
        session.scalars(select(AuditEntry).where(AuditEntry.action == "public.lookup")).all() == []
    )
