"""Output shapes of the case API. Party contact data is only ever shown masked here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from grassroots.cases.deadlines.clock import WorkCalendar, light_of
from grassroots.cases.models import OPEN_STATES, Case, CaseEvent, Party
from grassroots.cases.workflow.transitions import STATE_LABELS, TABLE, Transition
from grassroots.crypto import Keyring, keyring, mask_id_number, mask_phone

# Timeline entries that are not transitions (they change no state).
NOTE_LABELS = {
    "supervise": "督办",
    "linked": "被其他案件关联",
    "unlinked": "其他案件取消关联",
    "merged_in": "重复件并入本案",
    "edit": "修改案件信息",
    "recompute": "节假日调整重算期限",
}


class PartyOut(BaseModel):
    role: str
    name: str
    phone: str | None  # masked 138****8000
    id_number: str | None  # masked
    address: str


class CaseSummary(BaseModel):
    code: str
    kind: str
    category_code: str
    source_code: str
    title: str
    state: str
    state_label: str
    level: str
    holder_code: str
    unit_code: str | None
    county_code: str
    township_code: str | None
    village_code: str | None
    grid_code: str | None
    violence_risk: bool
    risk_level: str
    registered_at: datetime
    due_on: date | None
    light: str | None
    overdue: bool
    outcome: str | None
    version: int


class CaseOut(CaseSummary):
    description: str
    lat: float | None
    lng: float | None
    address: str
    holder_name: str
    assignee: str | None
    people_involved: int
    amount_involved: str | None
    accepted_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    accept_due: date | None
    resolve_due: date | None
    follow_up_due: date | None
    suspended_at: datetime | None
    outcome_note: str
    resolved_level: str | None
    satisfaction: str | None
    performance: str | None  # the latest follow-up's finding on the agreement
    performance_route: str | None  # urge / judicial_confirmation / litigation
    escalation_count: int
    reopen_count: int
    parties: list[PartyOut]


class EventOut(BaseModel):
    id: int  # files may be attached to it (POST /cases/{code}/attachments, event_id)
    action: str
    label: str
    actor: str
    at: datetime
    from_state: str | None
    to_state: str
    level: str
    holder_code: str
    unit_code: str | None
    note: str
    details: dict[str, Any]


class ActionOut(BaseModel):
    action: str
    label: str
    requires: list[str]
    input_schema: dict[str, Any]


class TransitionResult(BaseModel):
    code: str
    state: str
    state_label: str
    level: str
    version: int
    allowed_actions: list[str]


def party_out(party: Party, ring: Keyring | None = None) -> PartyOut:
    ring = ring or keyring()
    phone = ring.decrypt("phone", party.phone_enc) if party.phone_enc else None
    id_no = ring.decrypt("id_number", party.id_number_enc) if party.id_number_enc else None
    return PartyOut(
        role=party.role,
        name=party.name,
        phone=mask_phone(phone) if phone else None,
        id_number=mask_id_number(id_no) if id_no else None,
        address=party.address,
    )


def _parties_out(parties: list[Party]) -> list[PartyOut]:
    ring = keyring() if parties else None  # looked up once (it checks the key file)
    return [party_out(p, ring) for p in parties]


def _summary_fields(case: Case, cal: WorkCalendar, today: date) -> dict[str, Any]:
    due = case.clock_due_on
    return {
        "code": case.code,
        "kind": case.kind,
        "category_code": case.category_code,
        "source_code": case.source_code,
        "title": case.title,
        "state": case.state,
        "state_label": STATE_LABELS.get(case.state, case.state),
        "level": case.level,
        "holder_code": case.holder.code,
        "unit_code": case.unit.code if case.unit else None,
        "county_code": case.county_code,
        "township_code": case.township_code,
        "village_code": case.village_code,
        "grid_code": case.grid_code,
        "violence_risk": case.violence_risk,
        "risk_level": case.risk_level,
        "registered_at": case.registered_at,
        "due_on": due,
        "light": light_of(cal, case, today),
        "overdue": bool(due and due < today and case.state in OPEN_STATES | {"resolved"}),
        "outcome": case.outcome,
        "version": case.version,
    }


def case_summary(case: Case, cal: WorkCalendar, today: date) -> CaseSummary:
    return CaseSummary(**_summary_fields(case, cal, today))


def case_out(case: Case, cal: WorkCalendar, today: date) -> CaseOut:
    return CaseOut(
        **_summary_fields(case, cal, today),
        description=case.description,
        lat=case.lat,
        lng=case.lng,
        address=case.address,
        holder_name=case.holder.name,
        assignee=case.assignee.username if case.assignee else None,
        people_involved=case.people_involved,
        amount_involved=str(case.amount_involved) if case.amount_involved is not None else None,
        accepted_at=case.accepted_at,
        resolved_at=case.resolved_at,
        closed_at=case.closed_at,
        accept_due=case.accept_due,
        resolve_due=case.resolve_due,
        follow_up_due=case.follow_up_due,
        suspended_at=case.suspended_at,
        outcome_note=case.outcome_note,
        resolved_level=case.resolved_level,
        satisfaction=case.satisfaction,
        performance=case.performance,
        performance_route=case.performance_route,
        escalation_count=case.escalation_count,
        reopen_count=case.reopen_count,
        parties=_parties_out(case.parties),
    )


def event_out(event: CaseEvent, actor: str, holder_code: str, unit_code: str | None) -> EventOut:
    return EventOut(
        id=event.id,
        action=event.action,
        label=TABLE[event.action].label
        if event.action in TABLE
        else NOTE_LABELS.get(event.action, event.action),
        actor=actor,
        at=event.at,
        from_state=event.from_state,
        to_state=event.to_state,
        level=event.level,
        holder_code=holder_code,
        unit_code=unit_code,
        note=event.note,
        details=event.details,
    )


def action_out(t: Transition) -> ActionOut:
    return ActionOut(
        action=t.action,
        label=t.label,
        requires=t.requires,
        input_schema=t.params.model_json_schema(),
    )
