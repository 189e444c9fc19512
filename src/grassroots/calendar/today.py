"""China's time: the one time zone, "today" and the local day of a stored moment.

China has one time zone and no daylight saving (UTC+8): a fixed offset needs no tz database.
Deadlines count Beijing working days, statistics count in China Standard Time (a case
registered at 23:30 on 31 March Beijing time belongs to March), pages show stored UTC
times as China's wall-clock time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def utc(moment: datetime | None = None) -> datetime:
    """`moment` (default: now) as an aware UTC datetime."""
    return (moment or datetime.now(UTC)).astimezone(UTC)


def china_today(now: datetime | None = None) -> date:
    """The calendar date in China at `now` (UTC-aware; default: the current time)."""
    return local_date(now or datetime.now(UTC))


def local_date(moment: datetime) -> date:
    """The calendar day in China of a moment (a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA_TZ).date()


def local_midnight_utc(day: date) -> datetime:
    """The UTC instant at which `day` begins in China (for range filters on timestamps)."""
    return datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ).astimezone(UTC)


def local_time(moment: datetime | None) -> str:
    """A stored UTC time as China's wall-clock time (UTC+8), to the minute."""
    return "" if moment is None else moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
