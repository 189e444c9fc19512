"""The inputs and outputs of joint handling (联调): messages and tasks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from grassroots.bounds import Day, DbId, non_blank
from grassroots.cases.attachments.uploads import MAX_FILES

MESSAGE_MAX = 2000
TASK_MAX = 500
SIDE_PATTERN = r"^[ju]:[0-9A-Za-z_-]{1,40}$"


class NewMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, non_blank(MESSAGE_MAX)] = Field(
        description="会商内容（可能涉及当事人，加密保存）"
    )
    attachment_ids: list[DbId] = Field(
        default_factory=list, max_length=MAX_FILES,
        description="随留言附上的本案附件（先用 /cases/{code}/attachments 上传）",
    )  # fmt: skip


class NewTask(BaseModel):
    model_config = ConfigDict(extra="forbid")
    side: str = Field(pattern=SIDE_PATTERN, description="j:区划编码 或 u:单位编码（本案的一方）")
    text: Annotated[str, non_blank(TASK_MAX)] = Field(description="分工任务")
    due_on: Day | None = None


class SideOut(BaseModel):
    key: str
    name: str
    role: str  # holder 承办 / lead 主办 / co 协办


class TaskOut(BaseModel):
    id: int
    side: str
    side_name: str
    text: str
    due_on: date | None
    created_by: str
    done_at: datetime | None


class MessageFileOut(BaseModel):
    """A file the message carries: a case attachment (/cases/{code}/attachments/{id})."""

    id: int
    kind: str
    size: int
    has_thumbnail: bool


class MessageOut(BaseModel):
    id: int
    author: str
    side: str
    text: str
    created_at: datetime
    files: list[MessageFileOut] = []


class JointCaseOut(BaseModel):
    code: str
    title: str
    state: str
    my_side: str
    sides: list[SideOut]
    tasks: list[TaskOut]
    messages: list[MessageOut]


class JointRowOut(BaseModel):
    code: str
    title: str
    state: str
    my_side: str
