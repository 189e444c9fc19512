"""Writes of leads: receive (create), and every action of the transition table. Each do_*
is one transaction with its timeline event and audit row; a verification that creates a
case registers it in the same transaction (both land, or neither).

The audit rows name the lead and what was done, never the people it names nor the
informant (grassroots.leads.sealing keeps those as ciphertext).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import local_date, utc
from grassroots.calendar.workdays import load_calendar
from grassroots.cases.actions import do_register
from grassroots.cases.models import Case
from grassroots.cases.schemas import NewCase
from grassroots.db import batched, transaction
from grassroots.dictionary.queries import active_lead_category
from grassroots.errors import Problem
from grassroots.leads import queries as q
from grassroots.leads import schemas as s
from grassroots.leads.models import Lead, LeadEvent, LeadState
from grassroots.leads.reporting import tallies  # noqa: F401  (the tally listener joins every write)
from grassroots.leads.sealing import INFORMANT_USAGE, LEAD_USAGE, seal, unseal
from grassroots.leads.workflow import POLICY_DAYS, TABLE
from grassroots.privacy.logging_filter import mask_text
from grassroots.scope import current_jurisdiction, in_subtree

# Numbering attempts of one new lead (each loses only to a lead committed meanwhile).
CODE_ATTEMPTS = 8

# The case source a lead's case gets when the verifier names none.
CASE_SOURCE = {"report": "visit", "transfer": "police_transfer", "assigned": "superior_assigned",
               "patrol": "round_found"}  # fmt: skip


def add_event(
    session: Session, lead: Lead, action: str, actor: User | None, from_state: str | None,
    note: str = "", details: dict[str, Any] | None = None, now: datetime | None = None,
) -> LeadEvent:  # fmt: skip
    """The timeline entry and the audit row of one change (call inside its transaction)."""
    event = LeadEvent(
        lead_id=lead.id, action=action, actor_id=actor.id if actor else None, at=utc(now),
        from_state=from_state, to_state=lead.state, note_enc=seal(LEAD_USAGE, "note", note),
        details=details or {},
    )  # fmt: skip
    session.add(event)
    record_audit(
        session, actor=actor, action=f"lead.{action}", object_type="lead", object_id=lead.code,
        details={"from": from_state, "to": lead.state} | (details or {}),
    )  # fmt: skip
    return event


def next_code(session: Session, county: str, year: int) -> str:
    prefix = f"XS{county}-{year}-"
    count = session.scalar(
        select(func.count())
        .select_from(Lead)
        .where(Lead.code.startswith(prefix, autoescape=True), Lead.parent_id.is_(None))
    )
    return f"{prefix}{(count or 0) + 1:05d}"


def insert_with_code(session: Session, lead: Lead, county: str, year: int) -> None:
    """Number and insert the lead. Two leads received at once in one county may count the
    same number: the second insert then meets the unique code (on PostgreSQL it waits for
    the first to commit), rolls back to its savepoint and counts again."""
    for _attempt in range(CODE_ATTEMPTS):
        lead.code = next_code(session, county, year)
        try:
            with session.begin_nested():
                session.add(lead)
                session.flush()
            return
        except IntegrityError:
            if session.scalar(select(Lead.id).where(Lead.code == lead.code)) is None:
                raise  # another constraint: not a numbering race
    raise Problem(503, "busy", "线索登记繁忙，请稍后重试 / busy, please retry")


def due_date(session: Session, data: s.NewLead, received: date) -> tuple[date, str]:
    """The issuing body's deadline, or the policy's (working days after receipt)."""
    if data.due_on is not None:
        return data.due_on, "issuer"
    return load_calendar(session).add_working_days(received, POLICY_DAYS[data.source]), "policy"


def check_new(session: Session, data: s.NewLead, actor: User | None) -> int | None:
    """Checks of a new lead against the database; returns the subject unit's id."""
    if not active_lead_category(session, data.category_code):
        raise Problem(422, "unknown_category", "线索类别不存在 / unknown lead category")
    if current_jurisdiction(session, data.jurisdiction_code) is None:
        raise Problem(422, "unknown_jurisdiction", "区划代码不存在 / unknown jurisdiction")
    if actor is not None and not in_subtree(actor, data.jurisdiction_code):
        raise Problem(
            403, "outside_jurisdiction", "只能登记本辖区的线索 / outside your jurisdiction"
        )
    if data.subject_unit_code is None:
        return None
    unit = q.unit_by_code(session, data.subject_unit_code)
    if unit is None:
        raise Problem(422, "unknown_unit", "单位不存在 / unknown unit")
    return unit.id


def new_lead(session: Session, data: s.NewLead, actor: User | None, moment: datetime) -> Lead:
    """The row of a new lead (added to the session, not yet committed)."""
    subject_unit_id = check_new(session, data, actor)
    received = data.received_on or local_date(moment)
    due, basis = due_date(session, data, received)
    lead = Lead(
        source=data.source.value, issuing_body=data.issuing_body,
        document_number=data.document_number, batch=data.batch,
        category_code=data.category_code, title=data.title,
        content_enc=seal(LEAD_USAGE, "content", data.content), place=data.place,
        occurred_on=data.occurred_on,
        jurisdiction_code=data.jurisdiction_code, subject_unit_id=subject_unit_id,
        received_on=received, due_on=due, due_basis=basis, state=LeadState.received.value,
        persons_enc=seal(LEAD_USAGE, "persons", data.persons),
        informant_name_enc=seal(INFORMANT_USAGE, "informant_name", data.informant_name),
        informant_contact_enc=seal(INFORMANT_USAGE, "informant_contact", data.informant_contact),
        anonymous=data.anonymous, created_by_id=actor.id if actor else None, created_at=moment,
    )  # fmt: skip
    insert_with_code(session, lead, data.jurisdiction_code[:6], received.year)
    return lead


def do_create(
    session: Session, data: s.NewLead, *, actor: User, now: datetime | None = None
) -> Lead:
    """接收 a lead: checks, code, deadline, sealed persons and informant, first event."""
    moment = utc(now)
    with transaction(session):
        lead = new_lead(session, data, actor, moment)
        add_event(session, lead, "create", actor, None, details={"due_on": str(lead.due_on)},
                  now=moment)  # fmt: skip
    return lead


def do_act(
    session: Session, lead: Lead, action: str, params: s.Strict, *, actor: User,
    permissions: frozenset[str], expected_version: int, now: datetime | None = None,
) -> Lead:  # fmt: skip
    """One action of the transition table on the lead, as one transaction."""
    step = TABLE.get(action)
    if step is None:
        raise Problem(404, "unknown_action", f"没有动作 {action} / no such action")
    if not q.state_allows(lead, action):
        raise Problem(409, "not_allowed_now", "当前状态不能执行此操作 / not allowed in this state")
    if not q.may_act(actor, lead, action, permissions):
        raise Problem(403, "not_your_lead", "您不能对此线索执行此操作 / not yours to do")
    if lead.version != expected_version:
        raise Problem(409, "stale_version", "线索已被他人修改，请刷新 / changed meanwhile")
    moment = utc(now)
    wants_case = isinstance(params, s.Verify) and params.create_case is not None
    unit: AbstractContextManager[Session] = batched(session) if wants_case else transaction(session)
    try:
        with unit:
            from_state = lead.state
            lead.state = step.target
            details = STEPS[action](session, lead, params, actor, moment)
            add_event(session, lead, action, actor, from_state, _note(params), details, moment)
    except StaleDataError as exc:
        raise Problem(409, "stale_version", "线索已被他人修改，请刷新 / changed meanwhile") from exc
    return lead


def _note(params: s.Strict) -> str:
    for name in ("note", "reason", "reply"):
        value = getattr(params, name, None)
        if isinstance(value, str):
            return value
    return ""


def _target(session: Session, part: s.Assign, actor: User) -> tuple[int | None, int | None]:
    """(unit id, user id) of an assignment, both inside the assigner's jurisdiction."""
    unit_id = user_id = None
    if part.unit_code is not None:
        unit = q.unit_by_code(session, part.unit_code)
        if unit is None or not in_subtree(actor, unit.jurisdiction.code):
            raise Problem(422, "unknown_unit", "单位不存在或不在本辖区 / unknown unit")
        unit_id = unit.id
    if part.assignee is not None:
        user = q.user_by_name(session, part.assignee)
        if (
            user is None
            or user.jurisdiction is None
            or not in_subtree(actor, user.jurisdiction.code)
        ):
            raise Problem(422, "unknown_user", "核查人不存在或不在本辖区 / unknown assignee")
        unit_id, user_id = unit_id or user.unit_id, user.id
    return unit_id, user_id


def _assign(session: Session, lead: Lead, p: Any, actor: User, moment: datetime) -> dict[str, Any]:
    lead.unit_id, lead.assignee_id = _target(session, p, actor)
    return {"unit": p.unit_code, "assignee": p.assignee}


def _split(session: Session, lead: Lead, p: Any, actor: User, moment: datetime) -> dict[str, Any]:
    """Sub-leads, one per part, each assigned; the parent keeps the informant."""
    codes = []
    for i, part in enumerate(p.parts, 1):
        unit_id, user_id = _target(session, part, actor)
        child = Lead(
            code=f"{lead.code}-{i}", parent_id=lead.id, source=lead.source,
            issuing_body=lead.issuing_body, document_number=lead.document_number,
            batch=lead.batch, category_code=lead.category_code, title=lead.title,
            content_enc=lead.content_enc, place=lead.place, occurred_on=lead.occurred_on,
            jurisdiction_code=lead.jurisdiction_code, subject_unit_id=lead.subject_unit_id,
            unit_id=unit_id, assignee_id=user_id, received_on=lead.received_on,
            due_on=lead.due_on, due_basis=lead.due_basis, state=LeadState.assigned.value,
            persons_enc=lead.persons_enc, created_by_id=actor.id, created_at=moment,
        )  # fmt: skip
        session.add(child)
        session.flush()
        add_event(session, child, "assign", actor, None, details={"parent": lead.code}, now=moment)
        codes.append(child.code)
    return {"children": codes}


def _verify(session: Session, lead: Lead, p: Any, actor: User, moment: datetime) -> dict[str, Any]:
    if any(c.state not in ("verified", "replied", "closed") for c in q.children(session, lead)):
        raise Problem(409, "children_open", "分办的子线索尚未全部核查 / sub-leads not all verified")
    lead.finding = p.finding.value
    lead.actions_taken_enc = seal(LEAD_USAGE, "actions_taken", p.actions_taken)
    lead.verified_on = local_date(moment)
    details: dict[str, Any] = {"finding": lead.finding}
    if p.create_case is not None:
        case = _register_case(session, lead, p.create_case, actor, moment)
        lead.case_id = case.id
        details["case"] = case.code
    return details


def _register_case(
    session: Session, lead: Lead, spec: s.CaseFromLead, actor: User, moment: datetime
) -> Case:
    data = NewCase(
        category_code=spec.category_code, source_code=spec.source_code or CASE_SOURCE[lead.source],
        title=lead.title,
        # the lead's sealed text stays in the lead: the case says where it came from
        description=f"{lead.title}（由线索 {lead.code} 核查转为案件，详见该线索）",
        grid_code=spec.grid_code,
    )  # fmt: skip
    return do_register(session, data, actor=actor, now=moment)


def _reply(session: Session, lead: Lead, p: Any, actor: User, moment: datetime) -> dict[str, Any]:
    if lead.parent_id is not None:
        raise Problem(409, "sub_lead", "子线索由主线索统一反馈 / reply on the main lead")
    lead.replied_on = local_date(moment)
    return {}


def _return(session: Session, lead: Lead, p: Any, actor: User, moment: datetime) -> dict[str, Any]:
    """退回重查: the finding is void; a split lead goes back to its coordinator."""
    lead.returns += 1
    lead.finding, lead.verified_on, lead.replied_on = None, None, None
    if q.is_split_parent(lead):
        lead.state = LeadState.assigned.value
    return {"returns": lead.returns}


def _close(session: Session, lead: Lead, p: Any, actor: User, moment: datetime) -> dict[str, Any]:
    lead.closed_on = local_date(moment)
    return {}


def _nothing(session: Session, lead: Lead, p: Any, actor: User, moment: datetime) -> dict[str, Any]:
    return {"interim": True} if getattr(p, "interim", False) else {}


STEPS = {
    "assign": _assign, "split": _split, "start": _nothing, "note": _nothing,
    "verify": _verify, "reply": _reply, "return": _return, "close": _close,
}  # fmt: skip


def do_reveal_informant(
    session: Session, lead: Lead, reason: str, *, actor: User, permissions: frozenset[str],
    ip: str = "",
) -> tuple[str | None, str | None]:  # fmt: skip
    """The informant's name and contact, for a stated reason, to a role that may see them;
    audited (the reason masked, never the values) with a timeline entry that says only
    that it happened."""
    if not q.may_reveal_informant(actor, lead, permissions):
        with transaction(session):
            record_audit(session, actor=actor, action="lead.informant_reveal", object_type="lead",
                         object_id=lead.code, result="denied", ip=ip)  # fmt: skip
        raise Problem(403, "not_allowed", "您不能查看此线索的举报人 / not allowed")
    if lead.informant_name_enc is None and lead.informant_contact_enc is None:
        raise Problem(404, "no_informant", "未登记举报人（或为匿名举报）/ no informant recorded")
    with transaction(session):
        name = unseal(INFORMANT_USAGE, "informant_name", lead.informant_name_enc)
        contact = unseal(INFORMANT_USAGE, "informant_contact", lead.informant_contact_enc)
        session.add(LeadEvent(lead_id=lead.id, action="reveal", actor_id=actor.id,
                              from_state=lead.state, to_state=lead.state))  # fmt: skip
        record_audit(
            session, actor=actor, action="lead.informant_reveal", object_type="lead",
            object_id=lead.code, details={"reason": mask_text(reason)}, ip=ip,
        )  # fmt: skip
    return name, contact


def do_import(session: Session, leads: list[s.NewLead], *, source: str) -> list[Lead]:
    """A batch handed down, all or nothing: every lead checked against the database first
    (every error reported with its row), then all received in one transaction."""
    errors = []
    for number, data in enumerate(leads, start=2):
        try:
            check_new(session, data, None)
        except Problem as exc:
            errors.append({"field": f"row {number}", "message": exc.message})
    if errors:
        raise Problem(422, "import_failed", "导入失败，未导入任何线索 / nothing imported",
                      errors=errors)  # fmt: skip
    moment = utc(None)
    with transaction(session):
        created = []
        for data in leads:
            lead = new_lead(session, data, None, moment)
            add_event(session, lead, "create", None, None, details={"import": source[:64]},
                      now=moment)  # fmt: skip
            created.append(lead)
    return created
