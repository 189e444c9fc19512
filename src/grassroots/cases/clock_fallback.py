"""Stand-in for the clock helper's calendar and deadline policies (same interface as
grassroots.calendar / grassroots.cases.deadlines in BRIEF.md) until that branch is merged.

Weekends only, no holidays; one policy for every category. Deleted when the real ones land.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session


class WorkCalendar:
    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5

    def add_working_days(self, start: date, n: int) -> date:
        d = start
        if n == 0:
            while not self.is_working_day(d):
                d += timedelta(days=1)
            return d
        while n > 0:
            d += timedelta(days=1)
            n -= self.is_working_day(d)
        return d

    def working_days_between(self, a: date, b: date) -> int:
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


def load_calendar(session: Session) -> WorkCalendar:
    return WorkCalendar()


@dataclass(frozen=True)
class Policy:
    accept_days: int
    resolve_days: int
    follow_up_days: int
    auto_escalate: bool


def policy_for(session: Session, category_code: str, level: str, violence_risk: bool) -> Policy:
    if violence_risk:
        return Policy(1, 10, 5, True)
    return Policy(3, 22, 10, False)


def traffic_light(cal: WorkCalendar, started: date, due: date, today: date) -> str:
    if today > due:
        return "red"
    total = cal.working_days_between(started, due)
    used = cal.working_days_between(started, today)
    return "yellow" if total and used * 5 >= total * 4 else "green"
