"""Writes to the deadline policies (administrators only) and the sweep's 督办 flag.

Each do_* owns one transaction and writes its audit row inside it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases.deadlines.models import DeadlinePolicy
from grassroots.cases.deadlines.policies import CASE_LEVELS
from grassroots.cases.deadlines.schemas import PolicyIn
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.notices.actions import notify_deadline
from grassroots.db import transaction
from grassroots.dictionary.models import Category, Source
from grassroots.errors import Problem


def _check_policy(session: Session, data: PolicyIn) -> None:
    errors = []
    if data.level not in CASE_LEVELS:
        errors.append({"field": "level", "message": f"须为 {', '.join(CASE_LEVELS)}"})
    if data.category_code and session.get(Category, data.category_code) is None:
        errors.append({"field": "category_code", "message": "未知类别 / unknown category"})
    if data.source_code and session.get(Source, data.source_code) is None:
        errors.append({"field": "source_code", "message": "未知来源 / unknown source"})
    if errors:
        raise Problem(422, "bad_policy", "时限规则有误 / invalid policy", errors=errors)


def do_set_policy(session: Session, data: PolicyIn, *, actor: User) -> DeadlinePolicy:
    """Create or replace the policy for (source, category, level, violence_risk)."""
    _check_policy(session, data)
    with transaction(session):
        row = session.scalar(
            select(DeadlinePolicy).where(
                DeadlinePolicy.source_code == data.source_code,
                DeadlinePolicy.category_code == data.category_code,
                DeadlinePolicy.level == data.level,
                DeadlinePolicy.violence_risk == data.violence_risk,
            )
        ) or DeadlinePolicy(
            source_code=data.source_code,
            category_code=data.category_code,
            level=data.level,
            violence_risk=data.violence_risk,
        )
        for field in ("accept_days", "resolve_days", "follow_up_days", "auto_escalate", "basis"):
            setattr(row, field, getattr(data, field))
        row.updated_by_id = actor.id
        session.add(row)
        session.flush()
        record_audit(
            session,
            actor=actor,
            action="deadline_policy.set",
            object_type="deadline_policy",
            object_id=row.id,
            details=data.model_dump(),
        )
    return row


def do_delete_policy(session: Session, policy_id: int, *, actor: User) -> None:
    """Delete a category's or a source's own row; a level's default row (every source, every
    category) can be changed, not deleted."""
    with transaction(session):
        row = session.get(DeadlinePolicy, policy_id)
        if row is None:
            raise Problem(404, "not_found", "时限规则不存在 / no such policy")
        if row.category_code == "" and row.source_code == "":
            raise Problem(
                409, "default_policy", "层级默认规则只能修改，不能删除 / defaults cannot be deleted"
            )
        session.delete(row)
        record_audit(
            session,
            actor=actor,
            action="deadline_policy.delete",
            object_type="deadline_policy",
            object_id=policy_id,
        )


# The timeline action of a deadline flag: 督办 (supervise), state unchanged.
FLAG_ACTION = "supervise"
_FLAG_NOTES = {
    ("accept", "yellow"): "受理时限将到（{due}），请及时受理",
    ("accept", "red"): "已超过受理时限（{due}），督办",
    ("accept", "remind"): "仍未受理：已超过受理时限（{due}）{late} 个工作日，再次督办",
    ("accept", "raised"): "，已报上级综治中心督办",
    ("resolve", "yellow"): "办理时限将到（{due}），请抓紧化解",
    ("resolve", "red"): "已超过办理时限（{due}），督办",
    ("follow_up", "yellow"): "回访时限将到（{due}），请及时回访",
    ("follow_up", "red"): "已超过回访时限（{due}），督办",
}


def _flag_note(kind: str, signal: str, due: date, raise_up: bool) -> str:
    """The 督办 note; a reminder ("remind-N") says how many working days late it is, and
    one raised to the level above says so."""
    base, _, late = signal.partition("-")
    note = _FLAG_NOTES[(kind, base)].format(due=due.isoformat(), late=late)
    return note + _FLAG_NOTES[(kind, "raised")] if raise_up else note


def do_flag_deadline(
    session: Session,
    case: Case,
    *,
    kind: str,
    signal: str,
    due: date,
    actor: User,
    now: datetime,
    raise_up: bool = False,
) -> CaseEvent:
    """A system timeline event (督办) on a case nearing (yellow) or past (red) a deadline,
    and its notices (with `raise_up`, to the centre one level above as well: 上级督办).
    The case itself is not changed (no version bump: nobody's edit conflicts with it)."""
    with transaction(session):
        event = CaseEvent(
            case_id=case.id,
            action=FLAG_ACTION,
            actor_id=actor.id,
            at=now,
            from_state=case.state,
            to_state=case.state,
            level=case.level,
            holder_jurisdiction_id=case.holder_jurisdiction_id,
            unit_id=case.unit_id,
            note=_flag_note(kind, signal, due, raise_up),
            details={"deadline": kind, "signal": signal, "due": due.isoformat(),
                     "raised_up": raise_up},
        )  # fmt: skip
        session.add(event)
        record_audit(
            session,
            actor=actor,
            action=f"case.{FLAG_ACTION}",
            object_type="case",
            object_id=case.code,
            details={"deadline": kind, "signal": signal, "due": due.isoformat()},
        )
        session.flush()
        notify_deadline(session, case, signal, due, actor, now, raise_up=raise_up)
    return event
