"""The notices of case events, written in the event's own transaction (the workflow engine
and the deadline flag call these after their change and before their commit)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.cases.models import Case
from grassroots.cases.notices.queries import mentioned, queue_holders, supervisors
from grassroots.cases.queues.queries import WORK
from grassroots.dictionary.models import Category
from grassroots.geo.models import Jurisdiction, Unit
from grassroots.notifications.actions import add_notices

# The queues whose holders are told, per kind of notice.
AT_THE_LEVEL = ("to_accept", "escalated", "to_assign")
NOTICE_QUEUES: dict[str, tuple[str, ...]] = {
    "assigned": ("assigned", "unit"),
    "shared": ("shared",),
    "escalated": AT_THE_LEVEL,
    "auto_escalated": AT_THE_LEVEL,
    "referred_down": AT_THE_LEVEL,
    "returned": tuple(WORK),
    "deadline_yellow": tuple(WORK),
    "deadline_red": tuple(WORK),
    "deadline_reminder": ("to_accept",),
}
ACTION_KIND = {"assign": "assigned", "share": "shared", "escalate": "escalated",
               "refer_down": "referred_down", "reopen": "returned"}  # fmt: skip
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_][A-Za-z0-9_.-]{0,63})")


def mentions(note: str) -> set[str]:
    """The usernames a note names as @username."""
    return {name.rstrip(".-") for name in MENTION.findall(note or "")}


def _category(session: Session, case: Case) -> str:
    category = session.get(Category, case.category_code)
    return category.name if category is not None else case.category_code


def _place(session: Session, case: Case, kind: str, details: dict[str, Any]) -> str:
    if kind == "assigned":
        person = case.assignee.display_name if case.assignee is not None else ""
        unit = case.unit.name if case.unit is not None else ""
        return " · ".join(p for p in (unit, person) if p) or case.holder.name
    if kind == "shared" and details.get("unit_code"):
        unit = session.scalar(select(Unit).where(Unit.code == details["unit_code"]))
        return unit.name if unit is not None else ""
    if kind == "shared" and details.get("jurisdiction_code"):
        j = session.scalar(
            select(Jurisdiction).where(
                Jurisdiction.code == details["jurisdiction_code"], Jurisdiction.valid_to.is_(None)
            )
        )
        return j.name if j is not None else ""
    return case.holder.name


def _tell(
    session: Session, case: Case, kind: str, recipients: list[User], actor: User,
    params: dict[str, Any], now: datetime,
) -> None:  # fmt: skip
    told = [u for u in recipients if u.id != actor.id]
    if told:
        base = {"code": case.code, "category": _category(session, case),
                "actor": actor.display_name}  # fmt: skip
        add_notices(session, told, kind, case_id=case.id, case_code=case.code,
                    params=base | params, now=now)  # fmt: skip


def notify_action(
    session: Session, case: Case, action: str, actor: User, details: dict[str, Any],
    note: str, now: datetime,
) -> None:  # fmt: skip
    """The notices of one case action (after its change is written, inside its
    transaction): its kind's queue holders, and the people @mentioned in its note."""
    kind = ACTION_KIND.get(action)
    names = mentions(note)
    if kind is None and not names:
        return
    session.flush()
    if kind is not None:
        if kind == "escalated" and actor.role == Role.system.value:
            kind = "auto_escalated"
        place = _place(session, case, kind, details)
        holders = queue_holders(session, case, NOTICE_QUEUES[kind])
        _tell(session, case, kind, holders, actor, {"place": place}, now)
    if names:
        _tell(session, case, "mentioned", mentioned(session, case, names), actor, {}, now)


def notify_deadline(
    session: Session, case: Case, signal: str, due: date, actor: User, now: datetime,
    *, raise_up: bool = False,
) -> None:  # fmt: skip
    """临期 (yellow) / 超期 (red) and, for a case still unaccepted, 再次督办 ("remind-N") from
    the deadline sweep. The sweep's mark makes each signal happen once, and a reminder's N
    grows by one per working day: so each case tells its holders at most once a day.
    `raise_up` (the case's deadline policy escalates, and the case is past its time to
    accept): the centre one level above is told too (上级督办) — they may accept it."""
    base, _, late = signal.partition("-")
    kind = {"yellow": "deadline_yellow", "red": "deadline_red", "remind": "deadline_reminder"}
    params = {"due": due.isoformat(), "late": late or "1", "place": case.holder.name}
    holders = queue_holders(session, case, NOTICE_QUEUES[kind[base]])
    _tell(session, case, kind[base], holders, actor, params, now)
    if raise_up and base != "yellow":
        _tell(session, case, "supervise_accept", supervisors(session, holders), actor, params, now)
