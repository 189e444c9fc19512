"""API shapes of leads: the list row, the detail, the timeline entry, the result of an action.

No shape carries the informant's identity: the detail says only whether one is recorded.
The people a lead names appear only in the detail, and only for its verifiers; what was
reported, the actions taken and the notes only for its verifiers and coordinators.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.models import Case
from grassroots.leads import queries as q
from grassroots.leads.models import UNVERIFIED_STATES, Lead, LeadEvent
from grassroots.leads.sealing import LEAD_USAGE, unseal
from grassroots.leads.workflow import TABLE
from grassroots.rounds.models import RoundMatter


class LeadRow(BaseModel):
    code: str
    parent_code: str | None
    title: str
    source: str
    issuing_body: str
    document_number: str
    batch: str
    category_code: str
    jurisdiction_code: str
    state: str
    finding: str | None
    received_on: date
    due_on: date
    overdue: bool
    unit_code: str | None
    case_code: str | None


class LeadPage(BaseModel):
    items: list[LeadRow]
    next_cursor: str | None


class EventOut(BaseModel):
    action: str
    actor: str | None
    at: datetime
    from_state: str | None
    to_state: str
    note: str
    details: dict[str, Any]


class ChildOut(BaseModel):
    code: str
    state: str
    unit_code: str | None
    finding: str | None


class LeadOut(LeadRow):
    content: str | None  # None: you are neither a verifier nor a coordinator of this lead
    place: str
    occurred_on: date | None
    subject_unit_code: str | None
    assignee: str | None
    due_basis: str
    actions_taken: str | None  # as content
    verified_on: date | None
    replied_on: date | None
    closed_on: date | None
    returns: int
    escalated_to: str | None
    version: int
    persons: str | None  # None: none recorded, or you are not a verifier of this lead
    persons_hidden: bool  # True: recorded, shown only to the lead's verifiers
    informant_recorded: bool
    anonymous: bool
    children: list[ChildOut]
    found_on: str | None  # "round id/matter seq" of the 排查 matter the lead came from
    events: list[EventOut]
    allowed_actions: list[str]


class ActionResult(BaseModel):
    code: str
    state: str
    version: int
    allowed_actions: list[str]
    case_code: str | None


def is_overdue(lead: Lead, today: date) -> bool:
    return lead.state in UNVERIFIED_STATES and lead.due_on < today


def row_fields(
    lead: Lead, today: date, units: dict[int, str], cases: dict[int, str], parents: dict[int, str]
) -> dict[str, Any]:
    return dict(
        code=lead.code, parent_code=parents.get(lead.parent_id) if lead.parent_id else None,
        title=lead.title, source=lead.source, issuing_body=lead.issuing_body,
        document_number=lead.document_number, batch=lead.batch,
        category_code=lead.category_code, jurisdiction_code=lead.jurisdiction_code,
        state=lead.state, finding=lead.finding, received_on=lead.received_on,
        due_on=lead.due_on, overdue=is_overdue(lead, today),
        unit_code=units.get(lead.unit_id) if lead.unit_id else None,
        case_code=cases.get(lead.case_id) if lead.case_id else None,
    )  # fmt: skip


def event_out(event: LeadEvent, names: dict[int, str], note: str) -> EventOut:
    return EventOut(
        action=event.action, actor=names.get(event.actor_id) if event.actor_id else None,
        at=event.at, from_state=event.from_state, to_state=event.to_state,
        note=note, details=event.details,
    )  # fmt: skip


def page_of(session: Session, leads: list[Lead], today: date) -> list[LeadRow]:
    """List rows, with the codes of their units, cases and parents read in three queries."""
    units = q.unit_codes(session, {x.unit_id for x in leads if x.unit_id})
    cases = case_codes(session, {x.case_id for x in leads if x.case_id})
    parents = lead_codes(session, {x.parent_id for x in leads if x.parent_id})
    return [LeadRow(**row_fields(x, today, units, cases, parents)) for x in leads]


def case_codes(session: Session, ids: set[int]) -> dict[int, str]:
    return {i: c for i, c in session.execute(select(Case.id, Case.code).where(Case.id.in_(ids)))}


def lead_codes(session: Session, ids: set[int]) -> dict[int, str]:
    return {i: c for i, c in session.execute(select(Lead.id, Lead.code).where(Lead.id.in_(ids)))}


def lead_out(
    session: Session, user: User, lead: Lead, permissions: frozenset[str], today: date
) -> LeadOut:
    verifier = q.is_verifier(user, lead)
    reader = q.may_read_text(user, lead, permissions)
    events = q.timeline(session, lead)
    names = q.usernames(
        session, {e.actor_id for e in events if e.actor_id} | {lead.assignee_id or 0}
    )
    units = q.unit_codes(session, {lead.unit_id or 0, lead.subject_unit_id or 0})
    kids = q.children(session, lead)
    units |= q.unit_codes(session, {k.unit_id for k in kids if k.unit_id})
    base = row_fields(lead, today, units, case_codes(session, {lead.case_id or 0}),
                      lead_codes(session, {lead.parent_id or 0}))  # fmt: skip
    return LeadOut(
        **base, content=_text(reader, "content", lead.content_enc), place=lead.place,
        occurred_on=lead.occurred_on,
        subject_unit_code=units.get(lead.subject_unit_id or 0),
        assignee=names.get(lead.assignee_id or 0), due_basis=lead.due_basis,
        actions_taken=_text(reader, "actions_taken", lead.actions_taken_enc),
        verified_on=lead.verified_on,
        replied_on=lead.replied_on, closed_on=lead.closed_on, returns=lead.returns,
        escalated_to=lead.escalated_to, version=lead.version,
        persons=unseal(LEAD_USAGE, "persons", lead.persons_enc) if verifier else None,
        persons_hidden=lead.persons_enc is not None and not verifier,
        informant_recorded=lead.informant_name_enc is not None
        or lead.informant_contact_enc is not None,
        anonymous=lead.anonymous,
        children=[ChildOut(code=k.code, state=k.state, unit_code=units.get(k.unit_id or 0),
                           finding=k.finding) for k in kids],
        found_on=found_on(session, lead),
        events=[event_out(e, names, _note(e, verifier, reader)) for e in events],
        allowed_actions=[a for a in TABLE if q.may_act(user, lead, a, permissions)],
    )  # fmt: skip


def found_on(session: Session, lead: Lead) -> str | None:
    """The round matter a lead was made from ("12/3": round 12, matter 3), if any."""
    row = session.execute(
        select(RoundMatter.round_id, RoundMatter.seq).where(RoundMatter.lead_code == lead.code)
    ).first()
    return f"{row.round_id}/{row.seq}" if row is not None else None


def _text(reader: bool, field: str, blob: bytes | None) -> str | None:
    """A sealed text of the lead for who may read it (empty when none was written)."""
    return (unseal(LEAD_USAGE, field, blob) or "") if reader else None


def _note(event: LeadEvent, verifier: bool, reader: bool) -> str:
    """A timeline note: for the verifiers and coordinators; an informant's addition only
    for the verifiers. The others see a placeholder where there is text."""
    if event.note_enc is None:
        return ""
    allowed = verifier if event.action == "supplement" else reader
    if not allowed:
        return "（仅核查人可见）" if event.action == "supplement" else "（仅核查及协调人员可见）"
    return unseal(LEAD_USAGE, "note", event.note_enc) or ""
