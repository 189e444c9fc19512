"""Deadline policies per (source, category, level) and the traffic light (DESIGN §4).

Every default and where it comes from is in docs/deadlines.md; the migration 0003 seeds the
same figures into deadline_policy, where an administrator may change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots import refdata
from grassroots.calendar.periods import months_end
from grassroots.calendar.today import china_today
from grassroots.calendar.workdays import CACHE_KEY, WorkCalendar
from grassroots.cases.deadlines.models import DeadlinePolicy

# Levels a case can be held at (a case escalated beyond the county sits at "city").
CASE_LEVELS = ("village", "township", "county", "city")

# Yellow once this share of the working days allowed is used.
YELLOW_SHARE = 0.8


class Light(StrEnum):
    green = "green"
    yellow = "yellow"
    red = "red"


@dataclass(frozen=True)
class Policy:
    accept_days: int  # working days from registration to accept / reject
    resolve_days: int  # working days from acceptance at this level to resolution
    follow_up_days: int  # working days from resolution to the follow-up visit (回访)
    auto_escalate: bool  # the sweep escalates an overdue case one level up
    # a limit stated in months: the resolve deadline is the stricter (earlier) of
    # resolve_days working days and this many legal months (calendar/periods.py)
    resolve_months: int | None = None


# Built-in defaults (same figures as the seeded rows). Used only when an administrator has
# deleted every row for a level; see docs/deadlines.md for the sources.
DEFAULT_POLICIES: dict[tuple[str, bool], Policy] = {
    ("village", False): Policy(3, 20, 10, True, 1),
    ("township", False): Policy(3, 20, 10, True, 1),
    ("county", False): Policy(5, 40, 10, False),
    ("city", False): Policy(5, 40, 10, False),
    ("village", True): Policy(1, 5, 5, True),
    ("township", True): Policy(1, 10, 5, True),
    ("county", True): Policy(1, 15, 5, False),
    ("city", True): Policy(1, 15, 5, False),
}


def _as_policy(row: DeadlinePolicy) -> Policy:
    return Policy(row.accept_days, row.resolve_days, row.follow_up_days, row.auto_escalate,
                  row.resolve_months)  # fmt: skip


def stricter(a: Policy, b: Policy) -> Policy:
    """Each limit the shorter of the two; escalate automatically if either says so."""
    return Policy(
        min(a.accept_days, b.accept_days),
        min(a.resolve_days, b.resolve_days),
        min(a.follow_up_days, b.follow_up_days),
        a.auto_escalate or b.auto_escalate,
        min((m for m in (a.resolve_months, b.resolve_months) if m), default=None),
    )


def policy_for(
    session: Session, category_code: str, level: str, violence_risk: bool, source_code: str = ""
) -> Policy:
    """The policy for a case. Lookup order at the case's level, first row found wins:

    1. (source, category), 2. the source's default row (category ""), 3. (category) for
    every source, 4. the level's default row, 5. built-in default. A source's own rows are
    how a county gives 12345 work orders the hotline's limits (issue 15 item 14).
    A violence_risk case looks up the violence_risk rows the same way and takes, limit by
    limit, the stricter of that and the ordinary policy — never more lenient than ordinary.
    """
    if level not in CASE_LEVELS:
        raise ValueError(f"unknown case level {level!r}")
    cache = session.info.get(CACHE_KEY)
    key = ("policy", source_code, category_code, level, violence_risk)
    if cache is not None and key in cache:
        return cache[key]  # type: ignore[no-any-return]
    found = all_policies(session).get(level, {})
    policy = policy_from_rows(found, category_code, level, violence_risk, source_code)
    if cache is not None:
        cache[key] = policy
    return policy


# level → (source or "", category or "", violence_risk) → policy
Policies = dict[str, dict[tuple[str, str, bool], Policy]]


def all_policies(session: Session) -> Policies:
    """Every policy row, from the process's cache while they have not changed (refdata)."""
    return refdata.cached(session, "deadline_policies", _load_policies)


def _load_policies(session: Session) -> Policies:
    out: Policies = {}
    for row in session.scalars(select(DeadlinePolicy)):
        key = (row.source_code, row.category_code, row.violence_risk)
        out.setdefault(row.level, {})[key] = _as_policy(row)
    return out


def policy_from_rows(
    found: dict[tuple[str, str, bool], Policy],
    category_code: str,
    level: str,
    violence_risk: bool,
    source_code: str = "",
) -> Policy:
    """policy_for's rule over the level's rows already read, keyed (source_code or "",
    category_code or "", violence_risk): for callers that read the policies with other
    things."""
    keys = [(source_code, category_code), (source_code, ""), ("", category_code), ("", "")]
    if not source_code:
        keys = keys[2:]

    def lookup(risk: bool) -> Policy:
        rows = (found.get((src, cat, risk)) for src, cat in keys)
        return next((p for p in rows if p is not None), DEFAULT_POLICIES[(level, risk)])

    ordinary = lookup(False)
    return stricter(lookup(True), ordinary) if violence_risk else ordinary


def resolve_due_on(cal: WorkCalendar, start: date, p: Policy) -> date:
    """The resolve deadline from `start`: resolve_days working days, or — when the policy
    also states the limit in months — the legal month's end if that is earlier."""
    due = cal.add_working_days(start, p.resolve_days)
    return min(due, months_end(cal, start, p.resolve_months)) if p.resolve_months else due


def traffic_light(cal: WorkCalendar, started: date, due: date, today: date) -> str:
    """green / yellow (≥ 80 % of the working days in (started, due] used) / red (today > due)."""
    if today > due:
        return Light.red
    allowed = cal.working_days_between(started, due)
    if allowed <= 0:
        return Light.yellow
    used = cal.working_days_between(started, min(max(today, started), due))
    return Light.yellow if used >= YELLOW_SHARE * allowed else Light.green


def due_date(cal: WorkCalendar, start: datetime | date, working_days: int) -> date:
    """The due date `working_days` working days after start (a UTC datetime is taken at its
    date in China). 0 days → start if it is a working day, else the next one."""
    day = china_today(start) if isinstance(start, datetime) else start
    return cal.add_working_days(day, working_days)


def stage_start(cal: WorkCalendar, due: date, working_days: int) -> date:
    """Where a stage of `working_days` ending at `due` began (for the light when the case
    does not record it, e.g. after an extension moved the due date)."""
    return cal.subtract_working_days(due, working_days)
