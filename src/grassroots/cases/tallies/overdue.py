"""超期 as of any day (issue 15 item 6): what a case adds to stats_overdue_day / _month.

A deadline is overdue at the end of day D when its due date is before D and the case had not
left it by the end of D. Each such run of days — a spell — adds +1 on its first overdue day
(the day after the due date) and −1 on the China date it ended; the count at D is the sum of
the changes on days ≤ D. A case's spells:
- its running deadline (`resolve_due`): it ends when the case is resolved (`resolved_at`),
  terminated, rejected or merged into another (`closed_at`) or suspended (`suspended_at`: a
  suspended case is not overdue, docs/cases.md); while open and running it has no end;
- each superseded deadline (DeadlineRecord): it ended when the case was escalated or
  referred (`ended_at`), or — for 返工 — when the case was resolved (`resolved_at`).
The count at today equals 超期数 (open, not suspended, `resolve_due` before today); the
recount (grassroots.stats.recount.overdue_at) counts the same from the cases and records.
Known limit: an extension or a suspension moves the running deadline, and the spell follows
the moved date (the deadline before the move is not kept).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from grassroots.calendar.today import local_date

Spell = tuple[date, date | None]  # first overdue day, the day it ended (None: still running)
Changes = list[tuple[str, date, int]]  # (table, day or month, +1 / −1)


def spell(due: date | None, ended: datetime | None) -> Spell | None:
    """The days a deadline due on `due` was overdue, if any, when it ended at `ended`."""
    if due is None:
        return None
    first = due + timedelta(days=1)
    if ended is None:
        return (first, None)
    end = local_date(ended)
    return (first, end) if end > first else None


def running_end(c: Mapping[str, Any]) -> datetime | None:
    """When the case left its running deadline: resolved, terminated, rejected, returned to
    the 12345 platform (退单), suspended."""
    if c["outcome"] == "resolved":
        return c["resolved_at"]  # type: ignore[no-any-return]
    if c["outcome"] in ("terminated", "rejected", "returned", "merged"):
        return c["closed_at"]  # type: ignore[no-any-return]
    if c["state"] == "suspended":
        return c["suspended_at"]  # type: ignore[no-any-return]
    return None


def changes(s: Spell | None) -> Changes:
    """The spell as changes of the day and month tables."""
    if s is None:
        return []
    first, end = s
    out: Changes = [("overdue_day", first, 1), ("overdue_month", first.replace(day=1), 1)]
    if end is not None:
        out += [("overdue_day", end, -1), ("overdue_month", end.replace(day=1), -1)]
    return out


def running_changes(c: Mapping[str, Any]) -> Changes:
    return changes(spell(c["resolve_due"], running_end(c)))


def record_changes(due: date, ended_at: datetime, resolved_at: datetime | None) -> Changes:
    """A superseded deadline's spell (returned for rework: it ended at the resolution)."""
    return changes(spell(due, resolved_at or ended_at))
