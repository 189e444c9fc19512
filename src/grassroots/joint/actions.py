"""Writes of joint handling: a message to the thread, a task for one side, a task done.
Each in one transaction with its audit row (never the text: it may name people)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases.attachments.actions import Stored, add_attachment
from grassroots.cases.attachments.models import Attachment
from grassroots.cases.models import Case
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem
from grassroots.geo.models import Unit
from grassroots.joint.models import JointMessage, JointTask
from grassroots.joint.queries import sides
from grassroots.joint.schemas import NewMessage, NewTask
from grassroots.joint.sealing import seal
from grassroots.scope import current_jurisdiction, in_subtree

MANAGERS = frozenset({"holder", "lead"})


def do_post_message(
    session: Session, case: Case, side: str, data: NewMessage, *, actor: User,
    files: Sequence[Stored] = (), ip: str = "",
) -> JointMessage:  # fmt: skip
    """A handler's message to the thread (access_joint gave `side`), with the files it
    carries: case attachments named by id, and files stored just now (store_files), which
    become the case's attachments in the same transaction."""
    with transaction(session):
        named = _case_files(session, case, data.attachment_ids)
        added = [add_attachment(session, case, f, actor=actor, ip=ip) for f in files]
        message = JointMessage(case_id=case.id, author_id=actor.id, side=side,
                               body_enc=seal("message", data.text))  # fmt: skip
        message.files = list({a.id: a for a in [*named, *added]}.values())
        session.add(message)
        session.flush()
        details = {"message_id": message.id, "side": side,
                   "attachments": [a.id for a in message.files]}  # fmt: skip
        record_audit(session, actor=actor, action="joint.message", object_type="case",
                     object_id=case.code, details=details)  # fmt: skip
    return message


def _case_files(session: Session, case: Case, ids: Sequence[int]) -> list[Attachment]:
    """The case's attachments named by id; any other id refuses the message."""
    if not ids:
        return []
    found = session.scalars(
        select(Attachment).where(Attachment.id.in_(ids), Attachment.case_id == case.id)
    ).all()
    if len(found) != len(set(ids)):
        message = "附件不属于本案 / an attachment is not this case's"
        raise Problem(422, "unknown_attachment", message,
                      errors=[{"field": "attachment_ids", "message": message}])  # fmt: skip
    return list(found)


def _bad_side() -> Problem:
    message = "请选择本案的一方 / choose a side of this joint case"
    return Problem(422, "unknown_side", message, errors=[{"field": "side", "message": message}])


def do_add_task(
    session: Session, case: Case, side: str, data: NewTask, *, actor: User
) -> JointTask:
    """A task for one side (分工), given by the holder or the lead side only."""
    if data.side not in {s.key for s in sides(case)}:
        raise _bad_side()  # before the lead check: a bad form is refused the same to all
    if side not in MANAGERS:
        raise Problem(
            403,
            "not_joint_lead",
            "只有承办方或主办方可以分工 / only the holder or the lead side assigns tasks",
        )
    kind, code = data.side.split(":", 1)
    task = JointTask(case_id=case.id, text_enc=seal("task", data.text), due_on=data.due_on,
                     created_by_id=actor.id)  # fmt: skip
    if kind == "u":
        task.unit = session.scalar(select(Unit).where(Unit.code == code))
    else:
        task.jurisdiction = current_jurisdiction(session, code)
    with transaction(session):
        session.add(task)
        session.flush()
        details = {"task_id": task.id, "side": data.side}
        record_audit(session, actor=actor, action="joint.task", object_type="case",
                     object_id=case.code, details=details)  # fmt: skip
    return task


def _task_of(session: Session, case: Case, task_id: int) -> JointTask:
    task = session.get(JointTask, task_id)
    if task is None or task.case_id != case.id:
        raise Problem(404, "not_found", "任务不存在 / no such task")
    return task


def do_finish_task(
    session: Session,
    case: Case,
    side: str,
    task_id: int,
    *,
    actor: User,
    now: datetime | None = None,
) -> JointTask:
    """Mark a task done (完成): by the side it was given to, or by the holder or lead."""
    task = _task_of(session, case, task_id)
    if task.done_at is not None:
        raise Problem(409, "task_done", "该任务已完成 / the task is already done")
    if side not in MANAGERS and not _is_own(task, actor):
        raise Problem(403, "not_task_side", "该任务不是分给您这一方的 / not your side's task")
    with transaction(session):
        task.done_at, task.done_by_id = now or utcnow(), actor.id
        record_audit(session, actor=actor, action="joint.task_done", object_type="case",
                     object_id=case.code, details={"task_id": task.id})  # fmt: skip
    return task


def _is_own(task: JointTask, actor: User) -> bool:
    if task.unit_id is not None:
        return task.unit_id == actor.unit_id
    return task.jurisdiction is not None and in_subtree(actor, task.jurisdiction.code)
