"""JSON routes of joint handling (联调): the joint cases I handle, one joint case with its
sides, tasks and thread, a message, a task, a task done. Thin: access_joint, then do_*."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires
from grassroots.joint import queries as q
from grassroots.joint.actions import do_add_task, do_finish_task, do_post_message
from grassroots.joint.schemas import (
    JointCaseOut,
    JointRowOut,
    MessageFileOut,
    MessageOut,
    NewMessage,
    NewTask,
    SideOut,
    TaskOut,
)  # fmt: skip

router = APIRouter(tags=["joint"])
Reader = Annotated[User, requires("case.read")]
Actor = Annotated[User, requires("case.act")]


def message_out(m: q.MessageView) -> MessageOut:
    files = [MessageFileOut(id=a.id, kind=a.kind, size=a.size, has_thumbnail=a.has_thumbnail)
             for a in m.files]  # fmt: skip
    return MessageOut(id=m.id, author=m.author, side=m.side, text=m.text,
                      created_at=m.created_at, files=files)  # fmt: skip


def joint_out(session: DbSession, code: str, user: User) -> JointCaseOut:
    case, side = q.access_joint(session, user, code)
    return JointCaseOut(
        code=case.code, title=case.title, state=case.state, my_side=side,
        sides=[SideOut(**vars(s)) for s in q.sides(case)],
        tasks=[TaskOut(id=t.id, side=t.side_key, side_name=t.side_name, text=t.text,
                       due_on=t.due_on, created_by=t.created_by, done_at=t.done_at)
               for t in q.tasks(session, case)],
        messages=[message_out(m) for m in q.thread(session, case)],
    )  # fmt: skip


@router.get("/joint", response_model=list[JointRowOut])
def list_joint(session: DbSession, user: Reader) -> list[JointRowOut]:
    """联调案件: the joint cases you handle (holder, lead, co-handler, unit), newest first."""
    return [JointRowOut(code=c.code, title=c.title, state=c.state, my_side=s)
            for c, s in q.joint_cases(session, user)]  # fmt: skip


@router.get("/joint/{code}", response_model=JointCaseOut)
def get_joint(code: str, session: DbSession, user: Reader) -> JointCaseOut:
    """One joint case: its sides (承办/主办/协办), tasks and the handlers' thread."""
    return joint_out(session, code, user)


@router.post("/joint/{code}/messages", status_code=201, response_model=MessageOut)
def post_message(code: str, data: NewMessage, session: DbSession, user: Actor) -> MessageOut:
    """会商留言: a message to every handler of the case (sealed, audited)."""
    case, side = q.access_joint(session, user, code)
    m = do_post_message(session, case, side, data, actor=user)
    return message_out(q.MessageView(m.id, user.display_name, side, data.text, m.created_at,
                                     list(m.files)))  # fmt: skip


@router.post("/joint/{code}/tasks", status_code=201, response_model=JointCaseOut)
def add_task(code: str, data: NewTask, session: DbSession, user: Actor) -> JointCaseOut:
    """分工: a task for one side (the holder or the lead side only)."""
    case, side = q.access_joint(session, user, code)
    do_add_task(session, case, side, data, actor=user)
    return joint_out(session, code, user)


@router.post("/joint/{code}/tasks/{task_id}/done", response_model=JointCaseOut)
def finish_task(code: str, task_id: DbId, session: DbSession, user: Actor) -> JointCaseOut:
    """任务完成: by the side it was given to, or by the holder or the lead side."""
    case, side = q.access_joint(session, user, code)
    do_finish_task(session, case, side, task_id, actor=user)
    return joint_out(session, code, user)
