"""Reads of joint cases: the one access function, the sides, the tasks and the thread.

Who handles a joint case (and so reads and writes its thread): the relations the workflow
gives for working on a case (cases.workflow.transitions.RELATIONS["work"], built on
grassroots.scope's subtree rule): centre staff or leaders of the holder jurisdiction or
above it, centre staff of a shared jurisdiction (lead 主办 / co 协办) or above it, handlers of
a shared unit or of the unit the case is routed to, and the assigned mediator. Anyone else —
including a reader who sees the case for another reason (its grid worker, who registered
it) — is refused exactly as for a missing code, and the refusal is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases.attachments.models import Attachment
from grassroots.cases.models import Case, CaseShare
from grassroots.cases.queries import access_case, case_scope
from grassroots.cases.workflow.transitions import RELATIONS, relations_of
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.joint.models import JointMessage, JointTask
from grassroots.joint.sealing import unseal

WORK = RELATIONS["work"]
SIDE_ORDER = ("lead", "holder", "co", "unit", "assignee")
LIST_LIMIT = 200
# What side_of reads of each case, loaded with the list (a few queries, not a few per case).
SIDE_LOADS = (
    joinedload(Case.holder),
    selectinload(Case.shares).options(joinedload(CaseShare.jurisdiction)),
)


def side_of(case: Case, user: User) -> str | None:
    """The user's side in the case (lead, holder, co, unit, assignee), or None."""
    rel = relations_of(case, user) & WORK
    return next((s for s in SIDE_ORDER if s in rel), None)


def access_joint(session: Session, user: User, code: str) -> tuple[Case, str]:
    """The joint case `code` and the user's side, if the user handles it; otherwise 404
    exactly as for a missing code (a case not shared is not a joint case), audited."""
    case = access_case(session, user, code)
    side = side_of(case, user) if case.shares else None
    if side is not None:
        return case, side
    with transaction(session):
        record_audit(session, actor=user, action="joint.read", object_type="case",
                     object_id=code, result="denied")  # fmt: skip
    raise Problem(404, "not_found", f"联调案件 {code} 不存在 / joint case not found")


def joint_cases(session: Session, user: User) -> list[tuple[Case, str]]:
    """The joint cases the user handles, newest first, with the user's side."""
    shared = select(CaseShare.case_id)
    cases = session.scalars(
        select(Case).where(Case.id.in_(shared), case_scope(user))
        .options(*SIDE_LOADS).order_by(Case.id.desc()).limit(LIST_LIMIT)
    )  # fmt: skip
    found = [(c, side_of(c, user)) for c in cases]
    return [(c, s) for c, s in found if s is not None]


@dataclass(frozen=True)
class Side:
    key: str  # j:<jurisdiction code> or u:<unit code>: the name a task is given to
    name: str
    role: str  # holder 承办 / lead 主办 / co 协办


def sides(case: Case) -> list[Side]:
    """The holder jurisdiction, then each share in the order it was made."""
    found = [Side(f"j:{case.holder.code}", case.holder.name, "holder")]
    for sh in sorted(case.shares, key=lambda s: s.id or 0):
        if sh.unit is not None:
            found.append(Side(f"u:{sh.unit.code}", sh.unit.name, sh.role))
        elif sh.jurisdiction is not None:
            found.append(Side(f"j:{sh.jurisdiction.code}", sh.jurisdiction.name, sh.role))
    return found


@dataclass(frozen=True)
class TaskView:
    id: int
    side_key: str
    side_name: str
    text: str
    due_on: date | None
    created_by: str
    done_at: datetime | None


def tasks(session: Session, case: Case) -> list[TaskView]:
    rows = session.scalars(select(JointTask).where(JointTask.case_id == case.id)
                           .order_by(JointTask.id))  # fmt: skip
    views = []
    for t in rows:
        key = f"u:{t.unit.code}" if t.unit else f"j:{t.jurisdiction.code}" if t.jurisdiction else ""
        name = t.unit.name if t.unit else t.jurisdiction.name if t.jurisdiction else ""
        views.append(TaskView(t.id, key, name, unseal("task", t.text_enc), t.due_on,
                              t.created_by.display_name, t.done_at))  # fmt: skip
    return views


@dataclass(frozen=True)
class MessageView:
    id: int
    author: str
    side: str
    text: str
    created_at: datetime
    files: list[Attachment]


def thread(session: Session, case: Case) -> list[MessageView]:
    """The handlers' messages, oldest first, unsealed for a handler (access_joint first)."""
    loads = (selectinload(JointMessage.files), joinedload(JointMessage.author))
    rows = session.scalars(select(JointMessage).where(JointMessage.case_id == case.id)
                           .options(*loads).order_by(JointMessage.id))  # fmt: skip
    return [MessageView(m.id, m.author.display_name, m.side, unseal("message", m.body_enc),
                        m.created_at, list(m.files)) for m in rows]  # fmt: skip
