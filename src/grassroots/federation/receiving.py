"""Receiving a document (POST /federation/v1/documents, docs/federation.md): the checks in
order, each refusal with its status and code, then the document stored and applied to this
side's copy of the case in one transaction with its audit row.

1. 400 missing_signature — no X-Federation-Sender / -Timestamp / -Signature header.
2. 401 unknown_partner — the sender is no active partner.
3. 401 bad_signature — the request signature does not verify with the partner's key (or
   its previous key, during the grace period after the partner rotated its key).
4. 401 stale — the timestamp is further than the window from this server's clock.
5. 400 malformed — not an envelope, a document or a body of its type; or not for us.
6. 401 bad_signature — the document's own signature does not verify.
7. 409 already_received — a document with this id was received before (nothing changes).
8. 422 unknown_case — a document about a case that was never shared with us.
9. 409 out_of_order — not the next sequence number of the case (send the missing first).
Otherwise 202 accepted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.audit.actions import record_audit
from grassroots.cases.editing.parties import mask_name
from grassroots.config import get_settings
from grassroots.crypto import mask_phone
from grassroots.db import transaction
from grassroots.federation.models import (
    FederationEntry,
    FederationLink,
    FederationReceived,
    Partner,
)
from grassroots.federation.queries import accepted_keys, link_of, own_code, partner_by_code
from grassroots.federation.schemas import BODIES, Document, Envelope, PartyOut, SharedBody
from grassroots.federation.signing import NotCanonical, canonical, request_message, seal, verify
from grassroots.geo.models import Jurisdiction
from grassroots.privacy.logging_filter import mask_text

HEADERS = ("x-federation-sender", "x-federation-timestamp", "x-federation-signature")
MASKED_TEXT = ("title", "note", "text", "summary")


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Incoming:
    partner: Partner
    document: Document
    body: BaseModel
    raw: bytes


def authenticate(session: Session, headers: dict[str, str], raw: bytes, now: datetime) -> Partner:
    """Steps 1–4: who sent it, signed over this body, recently."""
    sender, stamp, signature = (headers.get(h, "") for h in HEADERS)
    if not (sender and stamp and signature):
        raise Refused(400, "missing_signature", "request signature headers missing")
    partner = partner_by_code(session, sender)
    if partner is None or not partner.active:
        raise Refused(401, "unknown_partner", "the sender is no active partner")
    if not _verified(partner, request_message(stamp, raw), signature, now):
        raise Refused(401, "bad_signature", "the request signature does not verify")
    window = get_settings().federation_window_seconds
    if not stamp.isdigit() or abs(int(stamp) - now.timestamp()) > window:
        raise Refused(401, "stale", f"the timestamp is more than {window} s away")
    return partner


def _verified(partner: Partner, data: bytes, signature: str, now: datetime) -> bool:
    return any(verify(key, data, signature) for key in accepted_keys(partner, now))


def parse(session: Session, partner: Partner, raw: bytes, now: datetime) -> Incoming:
    """Steps 5–6: a well-formed envelope of a document for us, signed by the partner."""
    try:
        envelope = Envelope.model_validate(json.loads(raw))
        document = Document.model_validate(envelope.document)
        body = BODIES[document.type].model_validate(document.body)
        signed = canonical(envelope.document)
    except (ValueError, ValidationError, NotCanonical) as exc:
        raise Refused(400, "malformed", f"not a valid document: {str(exc)[:300]}") from exc
    if document.sender != partner.code or document.recipient != own_code(session):
        raise Refused(400, "malformed", "the document is not from this sender to us")
    if not _verified(partner, signed, envelope.signature, now):
        raise Refused(401, "bad_signature", "the document signature does not verify")
    return Incoming(partner, document, body, raw)


def _masked(body: dict[str, Any]) -> dict[str, Any]:
    """What our policy keeps of a body when it does not allow personal data in the clear."""
    if get_settings().federation_clear_personal:
        return body
    kept = {
        k: mask_text(v) if k in MASKED_TEXT and isinstance(v, str) else v for k, v in body.items()
    }
    if kept.get("parties"):
        kept["parties"] = [_masked_party(PartyOut.model_validate(p)) for p in kept["parties"]]
    return kept


def _masked_party(party: PartyOut) -> dict[str, Any]:
    phone = mask_phone(party.phone) if party.phone else None
    return {"role": party.role, "name": mask_name(party.name), "phone": phone}


def _target(session: Session, code: str | None) -> Jurisdiction | None:
    """Who handles a partner's case here: the jurisdiction asked for, else the county."""
    current = select(Jurisdiction).where(Jurisdiction.valid_to.is_(None))
    if code:
        found = session.scalar(current.where(Jurisdiction.code == code))
        if found is not None:
            return found
    return session.scalar(current.where(Jurisdiction.code == own_code(session))) or session.scalar(
        current.where(Jurisdiction.parent_id.is_(None))
    )


def _new_link(session: Session, incoming: Incoming, body: dict[str, Any]) -> FederationLink:
    doc, shared = incoming.document, incoming.body
    assert isinstance(shared, SharedBody)
    if doc.case.origin != doc.sender or doc.sequence != 1:
        raise Refused(409, "out_of_order", "a case is shared by its origin, as its document 1")
    registered = datetime.fromisoformat(shared.registered_at.replace("Z", "+00:00"))
    return FederationLink(
        partner_id=incoming.partner.id,
        origin_code=doc.case.origin,
        case_code=doc.case.code,
        case_id=None,
        jurisdiction=_target(session, shared.to),
        title_enc=seal("title", body["title"]),
        category=shared.category,
        place=shared.place,
        state=shared.state,
        outcome=shared.outcome,
        registered_at=registered,
    )


def _existing_link(session: Session, incoming: Incoming) -> FederationLink:
    doc = incoming.document
    if doc.case.origin not in (doc.sender, own_code(session)):
        raise Refused(422, "unknown_case", "the case belongs to neither side")
    link = link_of(session, incoming.partner, doc.case.origin, doc.case.code)
    if link is None:
        raise Refused(422, "unknown_case", "no such case was shared with us")
    if doc.sequence != link.in_seq + 1:
        raise Refused(409, "out_of_order", f"expected sequence {link.in_seq + 1}")
    if doc.type == "status.changed" and doc.case.origin == doc.sender:
        link.state, link.outcome = doc.body["state"], doc.body.get("outcome")
    return link


def apply(session: Session, incoming: Incoming, now: datetime) -> FederationLink:
    """Steps 7–9 and the change, in one transaction with the audit row."""
    doc = incoming.document
    with transaction(session):
        if (
            session.scalar(
                select(FederationReceived.id).where(FederationReceived.document_id == doc.id)
            )
            is not None
        ):
            raise Refused(409, "already_received", "this document was received before")
        body = _masked(doc.body)
        if doc.type == "joint_case.shared":
            if link_of(session, incoming.partner, doc.case.origin, doc.case.code) is not None:
                raise Refused(409, "out_of_order", "this case was shared with us before")
            link = _new_link(session, incoming, body)
            session.add(link)
            session.flush()
        else:
            link = _existing_link(session, incoming)
        link.in_seq, link.updated_at = doc.sequence, now
        _store(session, incoming, link, body, now)
    return link


def _store(session: Session, incoming: Incoming, link: FederationLink, body: dict[str, Any],
           now: datetime) -> None:  # fmt: skip
    doc = incoming.document
    session.add(FederationReceived(partner_id=incoming.partner.id, document_id=doc.id,
                                   link_id=link.id, seq=doc.sequence, kind=doc.type,
                                   envelope_enc=seal("envelope", incoming.raw.decode()),
                                   received_at=now))  # fmt: skip
    created = datetime.fromisoformat(doc.created_at.replace("Z", "+00:00"))
    session.add(
        FederationEntry(
            link_id=link.id,
            document_id=doc.id,
            direction="in",
            kind=doc.type,
            created_at=created,
            body_enc=seal("body", json.dumps(body, ensure_ascii=False)),
        )
    )
    details = {"partner": incoming.partner.code, "document": doc.id, "type": doc.type,
               "sequence": doc.sequence}  # fmt: skip
    record_audit(session, actor=None, action="federation.received", object_type="case",
                 object_id=doc.case.code, details=details)  # fmt: skip


def receive(session: Session, headers: dict[str, str], raw: bytes, now: datetime) -> FederationLink:
    """The whole check and the change; Refused with the status and code otherwise."""
    partner = authenticate(session, headers, raw, now)
    return apply(session, parse(session, partner, raw, now), now)
