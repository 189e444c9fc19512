"""Reads of federation: this deployment's code and public key, the partners, the shared
cases a user handles (access_link) and their timeline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NoReturn

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.audit.actions import record_audit
from grassroots.cases.models import Case
from grassroots.cases.queries import access_case, case_scope
from grassroots.cases.workflow.transitions import RELATIONS, relations_of
from grassroots.config import get_settings
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.federation.models import (
    FederationEntry,
    FederationKey,
    FederationLink,
    FederationOutgoing,
    Partner,
)
from grassroots.federation.signing import unseal
from grassroots.geo.models import Jurisdiction
from grassroots.scope import in_subtree


def own_code(session: Session) -> str:
    """This deployment's code in the documents: the setting, else the code of its county
    (the first current county node; a deployment without one: its top node)."""
    configured = get_settings().federation_code
    if configured:
        return configured
    current = select(Jurisdiction.code).where(Jurisdiction.valid_to.is_(None))
    county = session.scalar(
        current.where(Jurisdiction.level == "county").order_by(Jurisdiction.id).limit(1)
    )
    top = session.scalar(current.where(Jurisdiction.parent_id.is_(None)).limit(1))
    return county or top or "local"


def current_key(session: Session) -> FederationKey | None:
    return session.scalar(select(FederationKey).order_by(FederationKey.id.desc()).limit(1))


def fallback_key(session: Session, now: datetime) -> FederationKey | None:
    """The key retired by the last rotation while its grace period lasts: tried when a
    partner refuses the new key's signature (it has not registered the new key yet)."""
    since = now - timedelta(days=get_settings().federation_key_grace_days)
    return session.scalar(
        select(FederationKey)
        .where(FederationKey.retired_at.is_not(None), FederationKey.retired_at > since)
        .order_by(FederationKey.id.desc())
        .limit(1)
    )


def accepted_keys(partner: Partner, now: datetime) -> list[str]:
    """The partner's public keys that verify its signatures now: its key, and the one before
    it until the end of the grace period given when the new one was registered."""
    keys = [partner.public_key]
    until = partner.previous_key_until
    if partner.previous_key and until is not None and now < until:
        keys.append(partner.previous_key)
    return keys


def partners(session: Session) -> list[Partner]:
    """Every partner, active first, then by name."""
    return list(session.scalars(select(Partner).order_by(Partner.active.desc(), Partner.name)))


def partner_by_code(session: Session, code: str) -> Partner | None:
    return session.scalar(select(Partner).where(Partner.code == code))


def access_partner(session: Session, code: str) -> Partner:
    """A partner by its code (partners are deployment-wide settings: config.write only)."""
    partner = partner_by_code(session, code)
    if partner is None:
        raise Problem(404, "not_found", f"没有代码为 {code} 的联通单位 / no such partner")
    return partner


def link_of(session: Session, partner: Partner, origin: str, code: str) -> FederationLink | None:
    return session.scalar(
        select(FederationLink).where(
            FederationLink.partner_id == partner.id,
            FederationLink.origin_code == origin,
            FederationLink.case_code == code,
        )
    )


HANDLERS = (Role.centre_staff, Role.leader)
LIST_LIMIT = 200


def _handles(session: Session, user: User, link: FederationLink) -> bool:
    """Our case: a handler of the case (the relations joint handling uses). The partner's:
    centre staff or leaders of the jurisdiction asked to handle it, or above it."""
    if link.case_id is not None:
        case = session.scalar(select(Case).where(Case.id == link.case_id, case_scope(user)))
        return case is not None and bool(relations_of(case, user) & RELATIONS["work"])
    code = link.jurisdiction.code if link.jurisdiction else None
    return user.role in HANDLERS and in_subtree(user, code)


def access_own_case(session: Session, user: User, code: str) -> Case:
    """One of our cases that the user handles (to share it with a partner); otherwise 404
    exactly as for a missing code."""
    case = access_case(session, user, code)
    if not relations_of(case, user) & RELATIONS["work"]:
        raise Problem(404, "not_found", f"案件 {code} 不存在 / case not found")
    return case


def access_link(session: Session, user: User, link_id: int) -> FederationLink:
    """A case shared with a partner, if the user handles it; otherwise 404 exactly as for
    a missing one, audited."""
    link = session.get(FederationLink, link_id)
    if link is not None and _handles(session, user, link):
        return link
    with transaction(session):
        record_audit(
            session,
            actor=user,
            action="federation.read",
            object_type="federation_link",
            object_id=link_id,
            result="denied",
        )
    raise Problem(404, "not_found", "联通案件不存在 / no such shared case")


def links_for(session: Session, user: User) -> list[FederationLink]:
    """The shared cases the user handles, the most recently active first."""
    rows = session.scalars(
        select(FederationLink).order_by(FederationLink.updated_at.desc(), FederationLink.id.desc())
    )
    return [link for link in rows if _handles(session, user, link)][:LIST_LIMIT]


def links_of_case(session: Session, case: Case) -> list[FederationLink]:
    return list(
        session.scalars(
            select(FederationLink)
            .where(FederationLink.case_id == case.id)
            .order_by(FederationLink.id)
        )
    )


@dataclass(frozen=True)
class EntryView:
    direction: str  # in / out
    kind: str
    body: dict[str, Any]
    created_at: datetime
    state: str  # out: pending / sent / failed; in: received


def timeline(session: Session, link: FederationLink) -> list[EntryView]:
    """The documents of the link both ways, oldest first (bodies unsealed: access_link first)."""
    states = dict(
        session.execute(
            select(FederationOutgoing.document_id, FederationOutgoing.state).where(
                FederationOutgoing.link_id == link.id
            )
        ).all()
    )
    rows = session.scalars(
        select(FederationEntry)
        .where(FederationEntry.link_id == link.id)
        .order_by(FederationEntry.created_at, FederationEntry.id)
    )
    return [
        EntryView(
            e.direction,
            e.kind,
            json.loads(unseal("body", e.body_enc)),
            e.created_at,
            states.get(e.document_id, "received"),
        )
        for e in rows
    ]


def link_title(link: FederationLink) -> str:
    return unseal("title", link.title_enc)


OUTBOX_STATES = ("pending", "failed", "sent", "gave_up")  # gave_up: cancelled by an admin
OUTBOX_PAGE = 100


def _deployment_node(session: Session) -> str | None:
    """The code of the jurisdiction this deployment speaks for (its own code), else its top."""
    current = select(Jurisdiction.code).where(Jurisdiction.valid_to.is_(None))
    own = session.scalar(current.where(Jurisdiction.code == own_code(session)))
    return own or session.scalar(current.where(Jurisdiction.parent_id.is_(None)).limit(1))


def access_outbox(session: Session, user: User) -> None:
    """The one check of the outbox's scope: it belongs to the whole deployment, so only an
    administrator (config.write, by the route) posted at the deployment's own jurisdiction
    or above sees or changes it. Anyone else: 404 as for a missing page, audited."""
    if not in_subtree(user, _deployment_node(session)):
        _outbox_refused(session, user, None)


def access_outgoing(session: Session, user: User, row_id: int) -> FederationOutgoing:
    """One document of the outbox (access_outbox first); a missing one: the same 404."""
    access_outbox(session, user)
    row = session.get(FederationOutgoing, row_id)
    if row is None:
        _outbox_refused(session, user, row_id)
    return row


def _outbox_refused(session: Session, user: User, row_id: int | None) -> NoReturn:
    with transaction(session):
        record_audit(session, actor=user, action="federation.outbox_read",
                     object_type="federation_outgoing", object_id=row_id or "",
                     result="denied")  # fmt: skip
    raise Problem(404, "not_found", "没有这份文书 / no such document")


@dataclass(frozen=True)
class OutgoingView:
    """One document of the outbox as the administrator's list shows it (no body)."""

    row: FederationOutgoing
    partner: Partner
    case_code: str
    kind: str
    waits_for: int | None  # the sequence number of an earlier document not yet delivered


@dataclass(frozen=True)
class OutboxPage:
    documents: list[OutgoingView]
    older: int | None  # the `before` of the next page (older documents), None at the end


def outbox(
    session: Session, state: str | None = None, before: int | None = None, size: int = OUTBOX_PAGE
) -> OutboxPage:
    """A page of the outgoing documents, newest first, older than the row id `before`, with
    what each waits for (access_outbox first). Paged by id (keyset), so a page stays right
    while the sender adds and changes rows."""
    stmt = (
        select(FederationOutgoing, Partner, FederationLink.case_code, FederationEntry.kind)
        .join(Partner, Partner.id == FederationOutgoing.partner_id)
        .join(FederationLink, FederationLink.id == FederationOutgoing.link_id)
        .join(FederationEntry, FederationEntry.document_id == FederationOutgoing.document_id)
        .order_by(FederationOutgoing.id.desc())
        .limit(size + 1)
    )
    if state is not None:
        stmt = stmt.where(FederationOutgoing.state == state)
    if before is not None:
        stmt = stmt.where(FederationOutgoing.id < before)
    rows = session.execute(stmt).all()
    more, rows = len(rows) > size, rows[:size]
    first_waiting = dict(
        session.execute(
            select(FederationOutgoing.link_id, func.min(FederationOutgoing.seq))
            .where(FederationOutgoing.state.in_(("pending", "failed")))
            .group_by(FederationOutgoing.link_id)
        ).all()
    )
    views = [
        OutgoingView(row, partner, code, kind, _waits(row, first_waiting.get(row.link_id)))
        for row, partner, code, kind in rows
    ]
    return OutboxPage(views, views[-1].row.id if more else None)


def _waits(row: FederationOutgoing, first: int | None) -> int | None:
    waiting = row.state in ("pending", "failed") and first is not None and first < row.seq
    return first if waiting else None
