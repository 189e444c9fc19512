"""The receiving endpoint (POST /federation/v1/documents): a partner's signed documents are
stored and applied to this side's copy of the case; a tampered, replayed, stale, unknown or
out-of-order one is refused and changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.db import utcnow
from grassroots.federation.models import FederationEntry, FederationLink, FederationReceived
from grassroots.federation.queries import link_title, timeline
from grassroots.federation.signing import sign
from tests.federation.conftest import PATH, FakePartner, shared_body

CASE = "990102-2026-000001"


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(m)) or 0
        for m in (FederationLink, FederationEntry, FederationReceived)
    )


def post(client: Any, partner: FakePartner, document: dict[str, Any], **kw: Any) -> Any:
    raw, headers = partner.request(document, **kw)
    return client.post(PATH, content=raw, headers=headers)


def test_a_shared_case_then_a_message_are_applied(
    client: Any, session: Session, partner: FakePartner
):
    r = post(client, partner, partner.document("joint_case.shared", CASE, 1, shared_body()))
    assert r.status_code == 202, r.text
    assert r.json() == {"status": "accepted", "case": CASE}
    msg = partner.document("message", CASE, 2, {"from": "白石乡", "text": "请周五到场勘界"})
    assert post(client, partner, msg).status_code == 202
    link = session.scalar(select(FederationLink).where(FederationLink.case_code == CASE))
    assert link is not None and link.case_id is None and link.in_seq == 2
    assert link_title(link) == "两县交界草场边界纠纷" and link.jurisdiction is not None
    assert link.jurisdiction.code == "990101002000"  # the township asked to handle it
    kinds = [(e.direction, e.kind) for e in timeline(session, link)]
    assert kinds == [("in", "joint_case.shared"), ("in", "message")]
    assert timeline(session, link)[1].body["text"] == "请周五到场勘界"
    audited = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "federation.received")
    )
    assert audited == 2


def test_replayed_tampered_stale_and_unknown_are_refused(
    client: Any, session: Session, partner: FakePartner
):
    document = partner.document("joint_case.shared", CASE, 1, shared_body())
    raw, headers = partner.request(document)
    assert client.post(PATH, content=raw, headers=headers).status_code == 202
    before = _counts(session)
    replayed = client.post(PATH, content=raw, headers=headers)
    assert replayed.status_code == 409 and replayed.json()["code"] == "already_received"
    tampered = raw.replace("草场".encode(), "林地".encode())
    r = client.post(PATH, content=tampered, headers=headers)  # the request signature fails
    assert r.status_code == 401 and r.json()["code"] == "bad_signature"
    msg = partner.document("message", CASE, 2, {"from": "白石乡", "text": "原文"})
    forged = msg | {"body": {"from": "白石乡", "text": "改过的"}}
    envelope_raw, _ = partner.request(msg)
    doc_tampered = envelope_raw.replace("原文".encode(), "改过".encode())
    _, good_headers = partner.request(forged, body_of=doc_tampered)  # request signed, doc not
    r = client.post(PATH, content=doc_tampered, headers=good_headers)
    assert r.status_code == 401 and r.json()["code"] == "bad_signature"
    stale = post(client, partner, msg, when=utcnow() - timedelta(hours=1))
    assert stale.status_code == 401 and stale.json()["code"] == "stale"
    stranger = FakePartner("990199", partner.key, partner.recipient)
    assert (
        post(client, stranger, stranger.document("message", CASE, 2, {"text": "x"})).status_code
        == 401
    )
    no_headers = client.post(PATH, content=raw)
    assert no_headers.status_code == 400 and no_headers.json()["code"] == "missing_signature"
    assert _counts(session) == before  # nothing changed
    refused = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "federation.refused")
    )
    assert refused == 6


def test_sequence_gaps_unknown_cases_and_wrong_recipients(client: Any, partner: FakePartner):
    assert (
        post(
            client, partner, partner.document("joint_case.shared", CASE, 1, shared_body())
        ).status_code
        == 202
    )
    gap = post(client, partner, partner.document("message", CASE, 3, {"text": "第三条"}))
    assert gap.status_code == 409 and gap.json()["code"] == "out_of_order"
    assert (
        post(client, partner, partner.document("message", CASE, 2, {"text": "第二条"})).status_code
        == 202
    )
    assert (
        post(client, partner, partner.document("message", CASE, 3, {"text": "第三条"})).status_code
        == 202
    )
    unknown = post(
        client, partner, partner.document("message", "990102-2026-000099", 1, {"text": "x"})
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_case"
    other = partner.document("message", CASE, 4, {"text": "x"}) | {"recipient": "123456"}
    assert post(client, partner, other).json()["code"] == "malformed"
    bad_body = partner.document("message", CASE, 4, {"text": ""})
    assert post(client, partner, bad_body).json()["code"] == "malformed"
    floats = partner.document("message", CASE, 4, {"text": "x", "n": 1.5})
    text = json.dumps(floats, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    raw = json.dumps({"document": floats, "signature": sign(partner.key, text.encode())}).encode()
    _, headers = partner.request(floats | {"body": {}}, body_of=raw)
    assert client.post(PATH, content=raw, headers=headers).json()["code"] == "malformed"


def test_a_disabled_partner_is_refused(client_as: Any, client: Any, partner: FakePartner):
    client_as("admin").post(f"/admin/partners/{partner.code}/toggle")
    r = post(client, partner, partner.document("joint_case.shared", CASE, 1, shared_body()))
    assert r.status_code == 401 and r.json()["code"] == "unknown_partner"


def test_personal_data_is_masked_unless_our_policy_allows_clear(
    client: Any, session: Session, partner: FakePartner
):
    parties = [{"role": "applicant", "name": "张三丰", "phone": "13812345678"}]
    body = shared_body(parties=parties, note="联系人电话13812345678")
    assert (
        post(client, partner, partner.document("joint_case.shared", CASE, 1, body)).status_code
        == 202
    )
    link = session.scalar(select(FederationLink).where(FederationLink.case_code == CASE))
    assert link is not None
    stored = timeline(session, link)[0].body
    assert stored["parties"] == [{"role": "applicant", "name": "张**", "phone": "138****5678"}]
    assert "13812345678" not in stored["note"]


def test_documents_over_the_address_limit_are_refused_before_anything_is_read(
    app: Any, client: Any, session: Session, partner: FakePartner
):
    app.state.settings = app.state.settings.model_copy(update={"federation_rate_limit": "2/60"})
    first = partner.document("joint_case.shared", CASE, 1, shared_body())
    assert post(client, partner, first).status_code == 202
    assert (
        post(client, partner, partner.document("message", CASE, 2, {"text": "一"})).status_code
        == 202
    )
    before, audited = _counts(session), session.scalar(select(func.count()).select_from(AuditEntry))
    third = post(client, partner, partner.document("message", CASE, 3, {"text": "二"}))
    assert third.status_code == 429 and int(third.headers["Retry-After"]) >= 1
    session.expire_all()
    assert _counts(session) == before
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audited
