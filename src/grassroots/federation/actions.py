"""Writes of federation: this deployment's key pair, partners added and switched off, a
case shared with a partner, a message or a session sent, status changes queued. Each in one
transaction with its audit row (never the text: it may name people)."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases.editing.parties import mask_name
from grassroots.cases.models import Case
from grassroots.config import get_settings
from grassroots.crypto import keyring, mask_phone
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem
from grassroots.federation.models import FederationKey, FederationLink, FederationOutgoing, Partner
from grassroots.federation.queries import current_key, link_of, own_code, partner_by_code
from grassroots.federation.schemas import (
    HandIn,
    LinkMessageIn,
    MeetingIn,
    PartnerIn,
    PartnerKeyIn,
    SessionIn,
    ShareIn,
)
from grassroots.federation.sending import moment, private_key, queue_document, resign_outbox
from grassroots.federation.signing import fingerprint, new_private_key, public_of, seal
from grassroots.geo.models import Level
from grassroots.privacy.logging_filter import mask_text
from grassroots.scope import current_jurisdiction, in_subtree

KEY_FIELD = "private_key"


def do_ensure_key(session: Session, *, actor: User | None = None) -> FederationKey:
    """This deployment's key pair, made on first use (the private key sealed at rest)."""
    key = current_key(session)
    if key is not None:
        return key
    private = new_private_key()
    with transaction(session):
        sealed = seal(KEY_FIELD, base64.b64encode(private).decode())
        key = FederationKey(public_key=public_of(private), private_enc=sealed)
        session.add(key)
        session.flush()
        record_audit(
            session,
            actor=actor,
            action="federation.key_created",
            object_type="federation_key",
            object_id=key.id,
        )
    return key


def do_rotate_key(session: Session, *, actor: User | None,
                  now: datetime | None = None) -> FederationKey:  # fmt: skip
    """A new key pair signs from now on; the previous one is retired (still tried with a
    partner that refuses the new signature, for the grace period); documents not yet
    delivered are signed again with the new key. Audited with both fingerprints."""
    old, when = current_key(session), now or utcnow()
    if old is None:
        raise Problem(409, "no_key", "尚未生成密钥对 / no key pair to rotate yet")
    private = new_private_key()
    with transaction(session):
        old.retired_at = when
        sealed = seal(KEY_FIELD, base64.b64encode(private).decode())
        key = FederationKey(public_key=public_of(private), private_enc=sealed, created_at=when)
        session.add(key)
        session.flush()
        details = {"previous": fingerprint(old.public_key), "new": fingerprint(key.public_key),
                   "resigned": resign_outbox(session, private)}  # fmt: skip
        record_audit(session, actor=actor, action="federation.key_rotated",
                     object_type="federation_key", object_id=key.id, details=details)  # fmt: skip
    return key


def do_set_partner_key(session: Session, partner: Partner, data: PartnerKeyIn, *,
                       actor: User | None, now: datetime | None = None) -> Partner:  # fmt: skip
    """A partner's new public key (it rotated its key pair); the previous one stays accepted
    until the end of the grace period."""
    if data.public_key == partner.public_key:
        raise Problem(409, "same_key", "这就是对方现在的公钥 / that is the partner's key already",
                      errors=[{"field": "public_key", "message": "same key"}])  # fmt: skip
    days = get_settings().federation_key_grace_days if data.grace_days is None else data.grace_days
    until = (now or utcnow()) + timedelta(days=days)
    with transaction(session):
        previous = partner.public_key
        partner.public_key, partner.previous_key = data.public_key, previous
        partner.previous_key_until = until
        details = {"previous": fingerprint(previous), "new": fingerprint(data.public_key),
                   "previous_until": until.isoformat()}  # fmt: skip
        record_audit(session, actor=actor, action="federation.partner_key_changed",
                     object_type="federation_partner", object_id=partner.code,
                     details=details)  # fmt: skip
    return partner


def do_add_partner(session: Session, data: PartnerIn, *, actor: User | None) -> Partner:
    """Register a partner deployment (its code once only)."""
    if partner_by_code(session, data.code) is not None:
        message = f"代码 {data.code} 已登记 / a partner with code {data.code} exists"
        raise Problem(
            409, "partner_exists", message, errors=[{"field": "code", "message": message}]
        )
    with transaction(session):
        partner = Partner(**data.model_dump(), created_by_id=actor.id if actor else None)
        session.add(partner)
        session.flush()
        record_audit(
            session,
            actor=actor,
            action="federation.partner_added",
            object_type="federation_partner",
            object_id=partner.code,
            details={"base_url": partner.base_url},
        )
    return partner


def do_set_partner_active(
    session: Session, partner: Partner, active: bool, *, actor: User | None
) -> Partner:
    """Disable a partner (its documents are refused, nothing is sent to it) or enable it."""
    with transaction(session):
        partner.active = active
        action = "federation.partner_enabled" if active else "federation.partner_disabled"
        record_audit(
            session,
            actor=actor,
            action=action,
            object_type="federation_partner",
            object_id=partner.code,
        )
    return partner


def _signer(session: Session) -> tuple[str, bytes]:
    return own_code(session), private_key(do_ensure_key(session))


def clear_allowed(partner: Partner) -> bool:
    """Marked personal data crosses in the clear only when both policies allow it."""
    return get_settings().federation_clear_personal and partner.clear_personal


def _parties(case: Case, clear: bool) -> list[dict[str, Any]]:
    ring = keyring()
    found = []
    for p in case.parties:
        phone = ring.decrypt("phone", p.phone_enc) if p.phone_enc else None
        if not clear:
            phone = mask_phone(phone) if phone else None
        found.append(
            {"role": p.role, "name": p.name if clear else mask_name(p.name), "phone": phone}
        )
    return found


def shared_body(case: Case, data: ShareIn, partner: Partner) -> dict[str, Any]:
    """What crosses when a case is shared: no personal data unless marked as needed (then
    masked unless both policies allow clear); free text with ID and phone numbers masked."""
    clear = clear_allowed(partner)
    text = (lambda s: s) if clear else mask_text
    body: dict[str, Any] = {
        "title": text(case.title),
        "category": case.category_code,
        "place": case.holder.name,
        "state": case.state,
        "outcome": case.outcome,
        "note": text(data.note),
        "registered_at": moment(case.registered_at),
        "to": data.to_code,
        "parties": _parties(case, clear) if data.parties_needed else [],
    }
    return body


def _active_partner(session: Session, code: str) -> Partner:
    partner = partner_by_code(session, code)
    if partner is None or not partner.active:
        message = "没有这个在用的联通单位 / no such active partner"
        raise Problem(422, "unknown_partner", message,
                      errors=[{"field": "partner_code", "message": message}])  # fmt: skip
    return partner


def do_share_with_partner(session: Session, case: Case, data: ShareIn, *, actor: User,
                          now: datetime | None = None) -> FederationLink:  # fmt: skip
    """Share our case with a partner deployment (access to the case checked by the caller)."""
    partner = _active_partner(session, data.partner_code)
    signer, now = _signer(session), now or utcnow()
    if link_of(session, partner, signer[0], case.code) is not None:
        raise Problem(409, "already_shared", "本案已与该单位联通 / already shared with it")
    body = shared_body(case, data, partner)
    with transaction(session):
        link = FederationLink(partner=partner, origin_code=signer[0], case_code=case.code,
                              case_id=case.id, title_enc=seal("title", case.title),
                              category=case.category_code, place=body["place"],
                              state=case.state, outcome=case.outcome,
                              registered_at=case.registered_at, sent_state=status_of(case),
                              created_at=now, updated_at=now)  # fmt: skip
        session.add(link)
        session.flush()
        doc = queue_document(session, link, "joint_case.shared", body, signer, now)
        details = {"partner": partner.code, "document": doc, "parties": data.parties_needed}
        record_audit(session, actor=actor, action="federation.shared", object_type="case",
                     object_id=case.code, details=details)  # fmt: skip
    return link


def post_of(user: User) -> str:
    """The writer's post as the partner sees it (a unit or a jurisdiction), never a name."""
    if user.unit is not None:
        return user.unit.name
    return user.jurisdiction.name if user.jurisdiction else ""


def _send(
    session: Session,
    link: FederationLink,
    kind: str,
    body: dict[str, Any],
    actor: User,
    now: datetime | None,
) -> str:
    if not link.partner.active:
        raise Problem(409, "partner_disabled", "该联通单位已停用 / the partner is disabled")
    signer, when = _signer(session), now or utcnow()
    with transaction(session):
        doc = queue_document(session, link, kind, body, signer, when)
        record_audit(
            session,
            actor=actor,
            action=f"federation.{kind}",
            object_type="case",
            object_id=link.case_code,
            details={"partner": link.partner.code, "document": doc},
        )
    return doc


def do_send_message(
    session: Session,
    link: FederationLink,
    data: LinkMessageIn,
    *,
    actor: User,
    now: datetime | None = None,
) -> str:
    """A message to the partner's handlers about the shared case (access_link first)."""
    text = data.text if clear_allowed(link.partner) else mask_text(data.text)
    return _send(session, link, "message", {"from": post_of(actor), "text": text}, actor, now)


def do_record_session(
    session: Session,
    link: FederationLink,
    data: SessionIn,
    *,
    actor: User,
    now: datetime | None = None,
) -> str:
    """A mediation or consultation session held on our side, told to the partner."""
    summary = data.summary if clear_allowed(link.partner) else mask_text(data.summary)
    body = {"from": post_of(actor), "held_on": data.held_on.isoformat(), "summary": summary}
    return _send(session, link, "session.recorded", body, actor, now)


def do_invite_to_meeting(session: Session, link: FederationLink, data: MeetingIn, *,
                         actor: User, now: datetime | None = None) -> str:  # fmt: skip
    """An invitation to a border joint meeting (边界联席会议) about the shared case."""
    body = {"title": data.title, "held_on": data.held_on.isoformat(), "place": data.place}
    return _send(session, link, "meeting.invited", body, actor, now)


def status_of(case: Case) -> str:
    return f"{case.state}/{case.outcome or ''}"


def queue_status_changes(session: Session, now: datetime) -> int:
    """A status.changed document for each of our shared cases whose state or outcome moved
    since last told (the job's first step). Returns how many."""
    rows = session.execute(
        select(FederationLink, Case)
        .join(Case, Case.id == FederationLink.case_id)
        .join(Partner)
        .where(Partner.active)
    ).all()
    moved = [(link, case) for link, case in rows if link.sent_state != status_of(case)]
    if not moved:
        return 0
    signer = _signer(session)
    with transaction(session):
        for link, case in moved:
            link.sent_state, link.state, link.outcome = status_of(case), case.state, case.outcome
            body = {"state": case.state, "outcome": case.outcome}
            doc = queue_document(session, link, "status.changed", body, signer, now)
            record_audit(
                session,
                actor=None,
                action="federation.status.changed",
                object_type="case",
                object_id=case.code,
                details={"partner": link.partner.code, "document": doc},
            )
    return len(moved)


def _unchanged(message: str) -> Problem:
    return Problem(409, "not_waiting", message)


def do_retry_outgoing(session: Session, row: FederationOutgoing, *, actor: User,
                      now: datetime | None = None) -> FederationOutgoing:  # fmt: skip
    """重试: a failed document due again now (the outbox job sends it on its next run, once
    the documents before it of its case are delivered); its attempts keep counting."""
    if row.state != "failed":
        raise _unchanged("只能重试发送失败的文书 / only a failed document can be retried")
    with transaction(session):
        row.next_attempt_at = now or utcnow()
        record_audit(session, actor=actor, action="federation.outgoing_retried",
                     object_type="federation_outgoing", object_id=row.document_id,
                     details={"attempts": row.attempts})  # fmt: skip
    return row


def do_cancel_outgoing(session: Session, row: FederationOutgoing, *,
                       actor: User) -> int:  # fmt: skip
    """取消发送 a document that will never go (its partner is gone, or refuses it for good):
    it and every later document of the same case to that partner (the receiver takes only
    the next sequence number) are cancelled; the case's numbering goes back to before it, so
    a later document can still reach the partner. Returns how many were cancelled."""
    if row.state not in ("pending", "failed"):
        raise _unchanged("这份文书已送达或已取消 / the document was delivered or cancelled")
    rows = session.scalars(
        select(FederationOutgoing).where(
            FederationOutgoing.link_id == row.link_id,
            FederationOutgoing.seq >= row.seq,
            FederationOutgoing.state.in_(("pending", "failed")),
        )
    ).all()
    with transaction(session):
        for each in rows:
            each.state, each.last_error = "gave_up", "cancelled"
        link = session.get_one(FederationLink, row.link_id)
        link.out_seq = row.seq - 1
        record_audit(session, actor=actor, action="federation.outgoing_cancelled",
                     object_type="federation_outgoing", object_id=row.document_id,
                     details={"case": link.case_code, "cancelled": len(rows)})  # fmt: skip
    return len(rows)


def _cannot_hand(code: str, message: str) -> Problem:
    return Problem(422, code, message, errors=[{"field": "jurisdiction_code", "message": message}])


def do_hand_link(
    session: Session, link: FederationLink, data: HandIn, *, actor: User
) -> FederationLink:
    """交办: a partner's case handled by another of our jurisdictions — one in the actor's
    subtree, not a grid (access_link first). Our own cases move by the case workflow."""
    if link.case_id is not None:
        raise _cannot_hand("our_case", "本方案件请在案件页分流 / route our own case on its page")
    target = current_jurisdiction(session, data.jurisdiction_code)
    if target is None or target.level == Level.grid.value or not in_subtree(actor, target.code):
        raise _cannot_hand("not_in_scope", "只能交给本人辖区内的区划 / not a place of yours")
    if target.id == link.jurisdiction_id:
        raise _cannot_hand("unchanged", "已由该区划承办 / already handled there")
    before = link.jurisdiction.code if link.jurisdiction else ""
    with transaction(session):
        link.jurisdiction, link.updated_at = target, utcnow()
        record_audit(session, actor=actor, action="federation.link_handed",
                     object_type="federation_link", object_id=link.id,
                     details={"from": before, "to": target.code})  # fmt: skip
    return link
