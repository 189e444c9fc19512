"""Local dates and O(1) working-day counts for statistics, on clock's official calendar.

Statistics count in China Standard Time (UTC+8): a case registered at 23:30 on 31 March
Beijing time belongs to March. Working days come from grassroots.calendar (administrator's
entries, then the chinesecalendar package, then Monday–Friday with a warning). The flush
listener and the bulk rebuild count for every case, so WorkdayIndex keeps a cumulative count
per year instead of walking day by day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from grassroots.calendar import CHINA_TZ, WorkCalendar
from grassroots.cases.deadline_models import CalendarDay, CalendarYear

__all__ = ["CHINA_TZ", "WorkdayIndex", "calendar_from", "local_date", "local_midnight_utc"]


def local_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA_TZ).date()


def local_midnight_utc(day: date) -> datetime:
    """The UTC instant at which `day` begins in China (for range filters on timestamps)."""
    return datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ).astimezone(UTC)


def calendar_from(bind: Connection | Session) -> WorkCalendar:
    """grassroots.calendar.load_calendar, readable from the flush's own connection."""
    days = {
        r.day: (r.is_working, r.name)
        for r in bind.execute(select(CalendarDay.day, CalendarDay.is_working, CalendarDay.name))
    }
    years = [r[0] for r in bind.execute(select(CalendarYear.year))]
    return WorkCalendar(days, years)


class WorkdayIndex:
    """working_days_between in O(1) after a one-off pass over each year used."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._cumulative: dict[int, list[int]] = {}

    def _year(self, year: int) -> list[int]:
        cum = self._cumulative.get(year)
        if cum is None:
            start, total, cum = date(year, 1, 1), 0, []
            for i in range((date(year + 1, 1, 1) - start).days):
                total += self.calendar.is_working_day(start + timedelta(days=i))
                cum.append(total)
            self._cumulative[year] = cum
        return cum

    def _through(self, d: date, base_year: int) -> int:
        full_years = sum(self._year(y)[-1] for y in range(base_year, d.year))
        return full_years + self._year(d.year)[d.timetuple().tm_yday - 1]

    def between(self, start: date, end: date) -> int:
        """Working days in (start, end]; 0 when end is not after start."""
        if end <= start:
            return 0
        return self._through(end, start.year) - self._through(start, start.year)
