"""The tables of federation (信息联通): this deployment's key pair and its partners; a joint
case shared with a partner (the link: this side's own copy and its sequence counters), its
timeline, the documents waiting to go out (the outbox) and those received."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.federation.signing import FEDERATION_USAGE
from grassroots.geo.models import Jurisdiction
from grassroots.notifications.models import DeliveryState, delivery_state_args
from grassroots.privacy.sealed_columns import register as register_sealed


class FederationKey(Base):
    """This deployment's Ed25519 key pair: the newest row signs; the private key sealed.
    A rotation retires the previous row (kept: tried during the grace period, then history)."""

    __tablename__ = "federation_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))  # base64 of the 32 raw bytes
    private_enc: Mapped[bytes] = mapped_column()  # sealed under the "federation" usage
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Partner(Base):
    """A partner deployment (a neighbouring county's, or another system speaking the
    protocol): its code in the documents, where it receives them, its public key."""

    __tablename__ = "federation_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    base_url: Mapped[str] = mapped_column(String(500))
    public_key: Mapped[str] = mapped_column(String(64))
    # after the partner rotated its key: the one before, still accepted until the given time
    previous_key: Mapped[str | None] = mapped_column(String(64))
    previous_key_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # the partner's policy as agreed: it accepts marked personal data in the clear
    clear_personal: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class FederationLink(Base):
    """One joint case shared between this deployment and one partner: this side's own copy.
    A case of ours (origin = our code, case_id set) or the partner's (case_id empty, handled
    here by `jurisdiction`). Sequence numbers count the documents about the case each way."""

    __tablename__ = "federation_link"
    __table_args__ = (UniqueConstraint("partner_id", "origin_code", "case_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("federation_partner.id"), index=True)
    origin_code: Mapped[str] = mapped_column(String(32))  # the deployment that owns the case
    case_code: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.id"))
    title_enc: Mapped[bytes] = mapped_column()  # sealed (a title may name people)
    category: Mapped[str] = mapped_column(String(100), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(32), default="")
    outcome: Mapped[str | None] = mapped_column(String(32))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    out_seq: Mapped[int] = mapped_column(Integer, default=0)  # last sequence number sent
    in_seq: Mapped[int] = mapped_column(Integer, default=0)  # last sequence number applied
    sent_state: Mapped[str] = mapped_column(String(64), default="")  # state/outcome told
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    partner: Mapped[Partner] = relationship()
    jurisdiction: Mapped[Jurisdiction | None] = relationship()


class FederationEntry(Base):
    """One line of a link's timeline: a document sent or received (its body sealed)."""

    __tablename__ = "federation_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("federation_link.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(36), unique=True)
    direction: Mapped[str] = mapped_column(String(3))  # in / out
    kind: Mapped[str] = mapped_column(String(32))  # the document type
    body_enc: Mapped[bytes] = mapped_column()  # the document's body as JSON, sealed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FederationOutgoing(DeliveryState, Base):
    """A signed document on its way to a partner (the outbox): pending until acknowledged;
    a failure is retried with backoff. Per link, n+1 waits until n is acknowledged."""

    __tablename__ = "federation_outgoing"
    __table_args__ = delivery_state_args("federation_outgoing")

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("federation_partner.id"))
    link_id: Mapped[int] = mapped_column(ForeignKey("federation_link.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(36), unique=True)
    seq: Mapped[int] = mapped_column(Integer)
    envelope_enc: Mapped[bytes] = mapped_column()  # the signed envelope's JSON, sealed


class FederationReceived(Base):
    """A document received and applied, kept as signed (the evidence), sealed."""

    __tablename__ = "federation_received"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("federation_partner.id"))
    document_id: Mapped[str] = mapped_column(String(36), unique=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("federation_link.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    envelope_enc: Mapped[bytes] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


register_sealed(FederationKey.private_enc, "private_key", FEDERATION_USAGE)
register_sealed(FederationLink.title_enc, "title", FEDERATION_USAGE)
register_sealed(FederationEntry.body_enc, "body", FEDERATION_USAGE)
register_sealed(FederationOutgoing.envelope_enc, "envelope", FEDERATION_USAGE)
register_sealed(FederationReceived.envelope_enc, "envelope", FEDERATION_USAGE)
