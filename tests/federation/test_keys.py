"""Key rotation (信息联通): our new key pair signs at once, documents not yet delivered are
signed again, the retired key is still tried for the grace period; a partner's new key is
registered with its previous key accepted until the grace period ends. CLI and admin page."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.cases.models import Case
from grassroots.db import utcnow
from grassroots.errors import Problem
from grassroots.federation.actions import (
    do_ensure_key,
    do_rotate_key,
    do_set_partner_key,
    do_share_with_partner,
)
from grassroots.federation.models import FederationOutgoing, Partner
from grassroots.federation.queries import fallback_key, partner_by_code
from grassroots.federation.receiving import Refused, receive
from grassroots.federation.schemas import PartnerKeyIn, ShareIn
from grassroots.federation.signing import canonical, new_private_key, public_of, unseal, verify
from tests.federation.conftest import PATH, FakePartner, shared_body
from tests.federation.test_pages import _our_case
from tests.federation.test_partners import county, run  # noqa: F401 (a fixture)


def _audits(session: Session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_rotation_signs_the_outbox_again_and_keeps_the_old_key_for_the_grace_period(
    client_as: Any, session: Session, users: Any, partner: FakePartner
) -> None:
    with pytest.raises(Problem):  # nothing to rotate yet
        do_rotate_key(session, actor=None)
    case = session.scalar(select(Case).where(Case.code == _our_case(client_as, session, users)))
    assert case is not None
    do_share_with_partner(session, case, ShareIn(partner_code=partner.code), actor=users["zhao"])
    old, now = do_ensure_key(session), utcnow()
    new = do_rotate_key(session, actor=users["admin"], now=now)
    assert new.id != old.id and old.retired_at == now and new.public_key != old.public_key
    row = session.scalar(select(FederationOutgoing))
    assert row is not None and row.state == "pending"
    envelope = json.loads(unseal("envelope", row.envelope_enc))
    signed = canonical(envelope["document"])
    assert verify(new.public_key, signed, envelope["signature"])  # signed again, same document
    assert not verify(old.public_key, signed, envelope["signature"])
    grace = timedelta(days=7)
    assert fallback_key(session, now + grace - timedelta(seconds=1)) == old
    assert fallback_key(session, now + grace) is None  # after the grace: the new key only
    (audit,) = _audits(session, "federation.key_rotated")
    assert audit.details["resigned"] == 1 and audit.actor_id == users["admin"].id


def _post(client: Any, partner: FakePartner, seq: int, key: bytes) -> int:
    signer = FakePartner(partner.code, key, partner.recipient)
    body = shared_body() if seq == 1 else {"from": "白石乡", "text": f"第{seq}份"}
    kind = "joint_case.shared" if seq == 1 else "message"
    raw, headers = signer.request(signer.document(kind, "990102-2026-000001", seq, body))
    return int(client.post(PATH, content=raw, headers=headers).status_code)


def test_a_partners_new_key_is_accepted_with_the_old_one_for_the_grace_period(
    client: Any, session: Session, partner: FakePartner
) -> None:
    old, new = partner.key, new_private_key()
    assert _post(client, partner, 1, old) == 202
    assert _post(client, partner, 2, new) == 401  # not registered yet: refused (and retried)
    known = partner_by_code(session, partner.code)
    assert known is not None
    with pytest.raises(Problem):  # the same key again
        do_set_partner_key(session, known, PartnerKeyIn(public_key=public_of(old)), actor=None)
    now = utcnow()
    do_set_partner_key(session, known, PartnerKeyIn(public_key=public_of(new), grace_days=2),
                       actor=None, now=now)  # fmt: skip
    assert known.previous_key == public_of(old) and known.previous_key_until == now + timedelta(2)
    assert _post(client, partner, 2, new) == 202
    assert _post(client, partner, 3, old) == 202  # still accepted in the grace period
    later = now + timedelta(days=2, seconds=1)
    signer = FakePartner(partner.code, old, partner.recipient)
    doc = signer.document("message", "990102-2026-000001", 4, {"from": "乡", "text": "迟到"})
    raw, headers = signer.request(doc, when=later)
    lowered = {k.lower(): v for k, v in headers.items()}
    with pytest.raises(Refused) as refused:
        receive(session, lowered, raw, later)
    assert refused.value.code == "bad_signature"
    (audit,) = _audits(session, "federation.partner_key_changed")
    assert audit.object_id == partner.code and "previous_until" in audit.details


def test_cli_rotate_key_and_set_key(county: Any) -> None:  # noqa: F811
    assert run("partners", "rotate-key").exit_code == 1  # no key yet
    first = run("partners", "key").output
    rotated = run("partners", "rotate-key")
    assert rotated.exit_code == 0 and "new public key" in rotated.output
    assert run("partners", "key").output != first  # the new key is the one given out
    key = public_of(new_private_key())
    added = run("partners", "add", "邻县", "--code", "990102", "--url", "https://b.example.cn",
                "--public-key", key)  # fmt: skip
    assert added.exit_code == 0
    new = public_of(new_private_key())
    changed = run("partners", "set-key", "990102", "--public-key", new, "--grace-days", "3")
    assert changed.exit_code == 0 and "accepted until" in changed.output, changed.output
    assert run("partners", "set-key", "990102", "--public-key", "AAAA").exit_code == 1
    assert run("partners", "set-key", "nobody", "--public-key", key).exit_code == 1
    with Session(county) as s:
        stored = s.scalar(select(Partner).where(Partner.code == "990102"))
        assert stored is not None and (stored.public_key, stored.previous_key) == (new, key)


def test_admin_page_rotates_and_registers_a_partners_key(
    client_as: Any, session: Session, partner: FakePartner
) -> None:
    admin = client_as("admin")
    assert admin.post("/admin/partners/key/rotate").status_code == 409  # no key yet
    admin.post("/admin/partners/key")
    first = do_ensure_key(session).public_key
    assert 'id="rotate-key"' in admin.get("/admin/partners").text
    assert admin.post("/admin/partners/key/rotate", follow_redirects=False).status_code == 303
    session.expire_all()
    assert do_ensure_key(session).public_key != first
    form = {"partner_code": partner.code, "new_key": "nope", "grace_days": "5"}
    assert admin.post("/admin/partners/partner-key", data=form).status_code == 422
    new = public_of(new_private_key())
    done = admin.post("/admin/partners/partner-key", data=form | {"new_key": new},
                      follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert "k-new-key" in admin.get("/admin/partners").text
    known = partner_by_code(session, partner.code)
    assert known is not None
    session.refresh(known)
    assert known.public_key == new and known.previous_key_until is not None
    assert admin.post("/admin/partners/partner-key", data=form | {"partner_code": "x"}
                      ).status_code == 404  # fmt: skip
    assert client_as("zhao").post("/admin/partners/key/rotate").status_code == 403
    assert len(_audits(session, "federation.key_rotated")) == 1
