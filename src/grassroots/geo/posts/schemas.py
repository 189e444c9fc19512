"""Inputs and outputs of grid posts (API and pages)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from grassroots.bounds import Day, DbId
from grassroots.geo.posts.models import GridPost, PostKind


class PostIn(BaseModel):
    """A new post: who, as 网格长 or 网格员, from which day."""

    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64, description="任职人员的用户名")
    kind: PostKind = Field(description="leader 网格长 / worker 网格员")
    start_on: Day = Field(description="任职起始日（含）")


class PostEnd(BaseModel):
    """The last day a post serves."""

    model_config = ConfigDict(extra="forbid")
    end_on: Day = Field(description="任职截止日（含）")


class PostChange(BaseModel):
    """Hand a post over: the old post ends the day before `on`, the new one starts on `on`."""

    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64, description="接任人员的用户名")
    on: Day = Field(description="接任日（含）；原任职至前一日")


class PostOut(BaseModel):
    id: DbId
    grid_code: str
    grid_name: str
    username: str
    display_name: str
    kind: PostKind
    start_on: date
    end_on: date | None

    @classmethod
    def of(cls, post: GridPost) -> PostOut:
        return cls(
            id=post.id, grid_code=post.grid.code, grid_name=post.grid.name,
            username=post.user.username, display_name=post.user.display_name,
            kind=PostKind(post.kind), start_on=post.start_on, end_on=post.end_on,
        )  # fmt: skip


class VacancyOut(BaseModel):
    grid_code: str
    grid_name: str
    no_leader: bool
    no_worker: bool
