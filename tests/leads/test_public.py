"""The public path: an anonymous report gets a receipt code (≥ 80 bits, stored hashed) with
which the informant sees progress and the finding, never the verification details, and adds
information; every call is rate-limited in the database, so two app processes share it."""

from __future__ import annotations

import base64

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.leads.models import Lead, LeadEvent
from tests.leads.conftest import JUSTICE, LEADS, TOWNSHIP, run
from tests.support.apps import app_on

PUBLIC = "/api/v1/public/leads"
REPORT = {
    "category_code": "safety_hazard",
    "title": "河堤有塌方隐患",
    "content": "东山村河堤一段出现裂缝，雨季可能塌方。",
    "jurisdiction_code": TOWNSHIP,
    "persons": "看护员老周",
}


def test_receipt_code_progress_finding_and_addition(client, client_as, session: Session):
    r = client.post(PUBLIC, json=REPORT)
    assert r.status_code == 201, r.json()
    receipt = r.json()["receipt_code"]
    assert r.json()["anonymous"] is True
    raw = base64.b32decode(receipt.replace("-", ""))
    assert len(raw) * 8 >= 80
    lead = session.scalars(select(Lead).order_by(Lead.id.desc())).first()
    assert lead is not None and lead.created_by_id is None and lead.source == "report"
    stored = " ".join(str(v) for v in vars(lead).values())
    assert receipt not in stored and receipt.replace("-", "") not in stored
    looked = client.post(f"{PUBLIC}/lookup", json={"receipt_code": receipt.lower()}).json()
    assert looked["state"] == "received" and looked["finding"] is None

    qian, sun = client_as("qian"), client_as("sun")
    assert (
        client.post(
            f"{PUBLIC}/supplement", json={"receipt_code": receipt, "text": "裂缝又变宽了"}
        ).status_code
        == 200
    )
    run(qian, lead.code, ("assign", {"unit_code": JUSTICE}))
    run(sun, lead.code, ("start", {}), ("note", {"note": "内部核查记录：已请水利站勘查"}),
        ("verify", {"finding": "substantiated", "actions_taken": "设置警示并加固"}))  # fmt: skip
    out = client.post(f"{PUBLIC}/lookup", json={"receipt_code": receipt})
    body = out.json()
    assert body["state"] == "verified" and body["finding"] == "substantiated"
    assert [s["state"] for s in body["steps"]] == ["received", "assigned", "verifying", "verified"]
    assert body["additions"] == 1
    for secret in ("内部核查记录", "设置警示", "看护员老周", JUSTICE, "sun"):
        assert secret not in out.text
    notes = [e["note"] for e in sun.get(f"{LEADS}/{lead.code}").json()["events"]]
    assert "裂缝又变宽了" in notes  # the verifier reads the addition
    notes = [e["note"] for e in qian.get(f"{LEADS}/{lead.code}").json()["events"]]
    assert "裂缝又变宽了" not in notes and "（仅核查人可见）" in notes
    sealed = session.scalars(select(LeadEvent).where(LeadEvent.action == "supplement")).one()
    assert sealed.note_enc is not None and "裂缝".encode() not in sealed.note_enc


def test_bad_codes_and_bad_reports(client):
    assert client.post(f"{PUBLIC}/lookup", json={"receipt_code": "A" * 24}).status_code == 404
    assert client.post(f"{PUBLIC}/lookup", json={"receipt_code": "not a code!"}).status_code == 422
    assert client.post(PUBLIC, json=REPORT | {"category_code": "nope"}).status_code == 422
    assert client.post(PUBLIC, json=REPORT | {"title": " "}).status_code == 422


def test_receipt_codes_differ(client):
    codes = {client.post(PUBLIC, json=REPORT).json()["receipt_code"] for _ in range(5)}
    assert len(codes) == 5


def test_rate_limit_is_shared_by_two_processes(engine, session_factory, tmp_path):
    """Two apps (as two processes would be) on one database: 3 calls per address in all."""
    apps = [app_on(engine, session_factory, tmp_path, leads_public_rate_limit="3/600")
            for _ in range(2)]  # fmt: skip
    with TestClient(apps[0]) as one, TestClient(apps[1]) as two:
        lookup = {"receipt_code": "B" * 24}
        assert [one.post(f"{PUBLIC}/lookup", json=lookup).status_code for _ in range(2)] == [
            404
        ] * 2
        assert two.post(f"{PUBLIC}/lookup", json=lookup).status_code == 404
        refused = two.post(f"{PUBLIC}/lookup", json=lookup)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert one.post(PUBLIC, json=REPORT).status_code == 429
