"""What other domains do when a year's schedule changes (the calendar imports none of them).

The cases register a hook (cases/deadlines/recompute.py) that moves the deadlines of open
cases: `preview` lists the moves a new schedule would make, read-only; `apply` makes them
inside do_set_year_schedule's transaction, with their audit rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.calendar.workdays import WorkCalendar


@dataclass(frozen=True)
class Change:
    """A year's schedule before and after: the two calendars and the year that differs."""

    year: int
    old: WorkCalendar
    new: WorkCalendar


@dataclass(frozen=True)
class Move:
    case_code: str  # "" when the viewer may not see the case (counted, not named)
    deadline: str  # accept_due / resolve_due / follow_up_due
    old: date
    new: date


class ScheduleHook(Protocol):
    def preview(self, session: Session, change: Change, viewer: User) -> list[Move]: ...

    def apply(self, session: Session, change: Change, actor: User) -> int: ...


_HOOKS: dict[str, ScheduleHook] = {}


def register(name: str, hook: ScheduleHook) -> None:
    """Register (or replace) the hook called `name`; importing its module registers it."""
    _HOOKS[name] = hook


def hooks() -> list[ScheduleHook]:
    return list(_HOOKS.values())
