"""API shapes of the working-day calendar."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class DayOut(BaseModel):
    day: date
    kind: str  # workday / weekend / holiday / makeup
    working: bool
    name: str
    source: str  # admin / package / provisional / fallback


class CalendarOut(BaseModel):
    first: date
    last: date
    days: list[DayOut]
    warnings: list[str]  # years in the range the calendar does not know (weekends only)
    working_days: int


class CalendarStatusOut(BaseModel):
    package_years: list[int]
    admin_years: list[int]
    provisional_years: list[int]  # this year and next if counted on statutory holidays only
    warnings: list[str]  # for this year and next


class DayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: date
    is_working: bool
    name: str = Field(default="", max_length=64)


class YearScheduleIn(BaseModel):
    """A year's official schedule: every holiday and every make-up working day."""

    model_config = ConfigDict(extra="forbid")

    notice: str = Field(min_length=1, max_length=200)  # e.g. 国办发明电〔2026〕7号
    days: list[DayIn] = Field(min_length=1, max_length=366)


class YearScheduleOut(BaseModel):
    year: int
    notice: str
    provisional: bool  # no official schedule: statutory holidays only (调休 unknown)
    days: list[DayIn]
    warnings: list[str]


class DeadlineMoveOut(BaseModel):
    case_code: str
    deadline: str  # accept_due / resolve_due / follow_up_due
    old: date
    new: date


class SchedulePreviewOut(BaseModel):
    """What saving the schedule would move: the open cases' deadlines. Cases outside the
    viewer's scope are counted in `hidden`, not listed."""

    year: int
    moved: int
    hidden: int
    moves: list[DeadlineMoveOut]
