"""Reads of leads: the scope, the one access function, who verifies, the informant rule, the
list with filters and a keyset cursor, the timeline.

Scope (docs/leads.md): coordinators (centre staff, leaders) see the leads of their
jurisdiction's subtree; everybody sees the leads assigned to them or to their unit and the
ones they registered; administrators and auditors see none (they hold no lead.read). Grid
workers, mediators and unit handlers see only what they are asked to verify: a lead about
organised crime or an official is not village-wide reading.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.audit.actions import record_audit
from grassroots.bounds import fits_int
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.geo.models import Unit
from grassroots.leads.models import UNVERIFIED_STATES, Lead, LeadEvent
from grassroots.leads.workflow import COORDINATOR, TABLE
from grassroots.scope import in_subtree, subtree_condition

COORDINATING_ROLES = frozenset({Role.centre_staff, Role.leader, Role.system})
ADMIN_ROLES = frozenset({Role.system_admin, Role.security_admin, Role.auditor})
PAGE_SIZE = 50


def lead_scope(user: User) -> ColumnElement[bool]:
    """The SQL condition of the leads `user` may see."""
    if user.role in ADMIN_ROLES:
        return false()
    conditions = [Lead.assignee_id == user.id, Lead.created_by_id == user.id]
    if user.unit_id is not None:
        conditions.append(Lead.unit_id == user.unit_id)
    if user.role in COORDINATING_ROLES:
        conditions.append(subtree_condition(user, Lead.jurisdiction_code))
    return or_(*conditions)


def access_lead(session: Session, user: User, code: str) -> Lead:
    """The lead `code` if `user` may see it; otherwise 404 as for a missing code, and the
    refusal of an existing lead is audited."""
    lead = session.scalar(select(Lead).where(Lead.code == code, lead_scope(user)))
    if lead is not None:
        return lead
    if session.scalar(select(Lead.id).where(Lead.code == code)) is not None:
        with transaction(session):
            record_audit(
                session, actor=user, action="lead.read", object_type="lead",
                object_id=code, result="denied",
            )  # fmt: skip
    raise Problem(404, "not_found", f"线索 {code} 不存在 / lead not found")


def is_verifier(user: User, lead: Lead) -> bool:
    """Assigned to verify the lead: its person, or a member of its unit."""
    return lead.assignee_id == user.id or (
        lead.unit_id is not None and user.unit_id == lead.unit_id
    )


def is_coordinator(user: User, lead: Lead, permissions: frozenset[str]) -> bool:
    """Routes and replies for the lead: holds lead.register and the lead lies in the post."""
    return "lead.register" in permissions and in_subtree(user, lead.jurisdiction_code)


def may_read_text(user: User, lead: Lead, permissions: frozenset[str]) -> bool:
    """What was reported, the actions taken and the notes: for the lead's verifiers and its
    coordinators (who route it), not for others who only see that it exists."""
    return is_verifier(user, lead) or is_coordinator(user, lead, permissions)


def may_reveal_informant(user: User, lead: Lead, permissions: frozenset[str]) -> bool:
    """Only who may reveal (lead.reveal: centre staff, leaders) and holds the lead's place in
    the post; never anyone of the unit the lead is about, nor a verifier of a lead about the
    verifier's own unit."""
    if "lead.reveal" not in permissions or not in_subtree(user, lead.jurisdiction_code):
        return False
    if lead.subject_unit_id is None:
        return True
    own_unit = user.unit_id == lead.subject_unit_id
    verifies_own = is_verifier(user, lead) and lead.unit_id == lead.subject_unit_id
    return not (own_unit or verifies_own)


def is_split_parent(lead: Lead) -> bool:
    """A lead split into sub-leads: past receipt, but neither a unit nor a person holds it."""
    return lead.state != "received" and lead.unit_id is None and lead.assignee_id is None


def state_allows(lead: Lead, action: str) -> bool:
    """The table's row, narrowed: only a split lead is verified straight from "assigned"
    (by its coordinator), and a split lead is not assigned again."""
    step = TABLE.get(action)
    if step is None or lead.state not in step.sources:
        return False
    if action == "verify" and lead.state == "assigned":
        return is_split_parent(lead)
    return not (action == "assign" and is_split_parent(lead))


def may_act(user: User, lead: Lead, action: str, permissions: frozenset[str]) -> bool:
    """Whether `user` may take `action` on the lead now (state and who)."""
    if not state_allows(lead, action):
        return False
    if TABLE[action].who == COORDINATOR or (action == "verify" and is_split_parent(lead)):
        return is_coordinator(user, lead, permissions)
    return is_verifier(user, lead)


def children(session: Session, lead: Lead) -> list[Lead]:
    return list(session.scalars(select(Lead).where(Lead.parent_id == lead.id).order_by(Lead.id)))


def timeline(session: Session, lead: Lead) -> list[LeadEvent]:
    return list(
        session.scalars(
            select(LeadEvent).where(LeadEvent.lead_id == lead.id).order_by(LeadEvent.id)
        )
    )


def unit_by_code(session: Session, code: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.code == code, Unit.active))


def unit_codes(session: Session, ids: set[int]) -> dict[int, str]:
    rows = session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(ids)))
    return {i: c for i, c in rows}


def usernames(session: Session, ids: set[int]) -> dict[int, str]:
    rows = session.execute(select(User.id, User.username).where(User.id.in_(ids)))
    return {i: n for i, n in rows}


def user_by_name(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username, User.is_active))


@dataclass(frozen=True)
class LeadFilters:
    state: str | None = None
    source: str | None = None
    category: str | None = None
    issuing_body: str | None = None
    batch: str | None = None
    overdue: bool | None = None
    top_level: bool = False


def encode_cursor(lead_id: int) -> str:
    return base64.urlsafe_b64encode(str(lead_id).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        value = int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        value = -1
    if not fits_int(value, 1):
        raise Problem(422, "bad_cursor", "游标无效 / invalid cursor")
    return value


def _filtered(query: Select[Lead], f: LeadFilters, today: date) -> Select[Lead]:
    for column, value in (
        (Lead.state, f.state), (Lead.source, f.source), (Lead.category_code, f.category),
        (Lead.issuing_body, f.issuing_body), (Lead.batch, f.batch),
    ):  # fmt: skip
        if value is not None:
            query = query.where(column == value)
    late = Lead.state.in_(UNVERIFIED_STATES) & (Lead.due_on < today)
    if f.overdue is not None:
        query = query.where(late if f.overdue else ~late)
    if f.top_level:
        query = query.where(Lead.parent_id.is_(None))
    return query


def list_leads(
    session: Session, user: User, f: LeadFilters, today: date, cursor: str | None, limit: int
) -> tuple[list[Lead], str | None]:
    """Newest first, `limit` at a time; the cursor names the last lead of the page."""
    query = _filtered(select(Lead).where(lead_scope(user)), f, today)
    if cursor:
        query = query.where(Lead.id < decode_cursor(cursor))
    rows = list(session.scalars(query.order_by(Lead.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1].id) if more and rows else None)


def units_for(session: Session, user: User) -> list[Unit]:
    """The active units a coordinator may route to: those in the post's subtree."""
    from grassroots.geo.models import Jurisdiction

    return list(session.scalars(
        select(Unit).join(Jurisdiction, Unit.jurisdiction_id == Jurisdiction.id)
        .where(Unit.active, subtree_condition(user, Jurisdiction.code)).order_by(Unit.code)
    ))  # fmt: skip


def unit_names(session: Session, codes: set[str]) -> dict[str, str]:
    """code → name of the units a lead page mentions (the verifying unit and its parts')."""
    if not codes:
        return {}
    rows = session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(sorted(codes))))
    return {code: name for code, name in rows}
