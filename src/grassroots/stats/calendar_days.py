"""Local dates and working-day counts for statistics.

Statistics count in China Standard Time (UTC+8, no daylight saving): a case registered at
23:30 on 31 March Beijing time belongs to March. Working days follow the official calendar
(statutory holidays and make-up working weekends, via the chinesecalendar package); years the
package does not know fall back to Monday–Friday. Counting is O(1) per case (a cumulative
index per year), because the flush listener and the bulk rebuild call it for every case.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

import chinese_calendar

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def local_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA_TZ).date()


def local_midnight_utc(day: date) -> datetime:
    """The UTC instant at which `day` begins in China (for range filters on timestamps)."""
    return datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ).astimezone(UTC)


def _is_working_day(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the package has no data for
        return day.weekday() < 5


@lru_cache(maxsize=64)
def _year_index(year: int) -> tuple[int, ...]:
    """cumulative[i] = working days from 1 Jan up to and including day i of the year."""
    start = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - start).days
    total, out = 0, []
    for i in range(days):
        total += _is_working_day(start + timedelta(days=i))
        out.append(total)
    return tuple(out)


@lru_cache(maxsize=64)
def _days_before_year(year: int) -> int:
    """Working days from 2000-01-01 up to the end of the year before `year`."""
    if year <= 2000:
        return 0
    return _days_before_year(year - 1) + _year_index(year - 1)[-1]


def _ordinal(day: date) -> int:
    """Working days from 2000-01-01 through `day` inclusive."""
    return _days_before_year(day.year) + _year_index(day.year)[day.timetuple().tm_yday - 1]


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; 0 when end is not after start."""
    if end <= start:
        return 0
    return _ordinal(end) - _ordinal(start)
