"""Working days on the official Chinese calendar: statutory holidays and make-up working
weekends (调休).

Sources, in order of precedence for a day:
1. calendar_day rows an administrator entered (when the State Council publishes a year's
   schedule, or to correct a day);
2. the maintained `chinesecalendar` package (import name chinese_calendar);
3. *provisional*: for a year neither of the above knows, the statutory holidays the law fixes
   in advance (calendar/schedule/statutory.py: 元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆 and
   their 补假); only the make-up working weekends (调休) are unknown;
4. weekends only — for a year beyond the statutory tables (after 2099).
Neither 3 nor 4 is silent: `warnings()` names the year, the API returns the warning, the
calendar page shows the year as provisional / unknown and the log says it once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import chinese_calendar
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from grassroots import refdata
from grassroots.calendar.models import CalendarDay, CalendarYear
from grassroots.calendar.schedule import statutory

log = logging.getLogger(__name__)

# A deadline further than this many working days away is a bug, not a policy.
MAX_WORKING_DAYS = 2000


class DayKind(StrEnum):
    workday = "workday"  # Monday-Friday, nothing declared
    weekend = "weekend"  # Saturday/Sunday, nothing declared
    holiday = "holiday"  # statutory holiday (incl. weekend days inside a holiday period)
    makeup = "makeup"  # make-up working day on a weekend (调休上班)


class DaySource(StrEnum):
    admin = "admin"
    package = "package"
    provisional = "provisional"  # statutory holidays only; 调休 not known yet
    fallback = "fallback"  # a year nobody knows: weekends only


@dataclass(frozen=True)
class DayInfo:
    day: date
    kind: DayKind
    working: bool
    name: str
    source: DaySource


@lru_cache(maxsize=256)
def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=8192)
def _package_day(d: date) -> tuple[DayKind, str]:
    on_holiday, name = chinese_calendar.get_holiday_detail(d)
    label = _holiday_name(name)
    if on_holiday:
        return (DayKind.holiday if label else DayKind.weekend), label
    if d.weekday() >= 5:
        return DayKind.makeup, f"{label}调休上班"
    return DayKind.workday, ""


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _holiday_name(name: object) -> str:
    if name is None:
        return ""
    english = str(name)
    return _HOLIDAY_NAMES.get(english, english)


def _weekdays_only(d: date) -> tuple[DayKind, str]:
    return (DayKind.weekend if d.weekday() >= 5 else DayKind.workday), ""


def _fallback_day(d: date) -> tuple[DayKind, str]:
    """A day of a year nobody entered: its statutory holiday, else weekday / weekend."""
    name = statutory.statutory_days(d.year).get(d)
    return (DayKind.holiday, name) if name else _weekdays_only(d)


def _fallback_source(year: int) -> DaySource:
    return DaySource.provisional if statutory.covers(year) else DaySource.fallback


class WorkCalendar:
    """Answers questions about working days. Build it with load_calendar(session)."""

    def __init__(
        self, admin_days: Mapping[date, tuple[bool, str]], admin_years: Iterable[int]
    ) -> None:
        self._admin_days = dict(admin_days)
        self._admin_years = frozenset(admin_years)
        self._working_cache: dict[date, bool] = {}
        self._added: dict[tuple[date, int], date] = {}  # add_working_days, same days each time
        self._between: dict[tuple[date, date], int] = {}  # working_days_between, likewise

    def with_year(self, year: int, days: Mapping[date, tuple[bool, str]]) -> WorkCalendar:
        """This calendar with `year`'s administrator entries replaced by `days` (what
        do_set_year_schedule would make of it: the year then counts as known)."""
        kept = {d: v for d, v in self._admin_days.items() if d.year != year}
        return WorkCalendar({**kept, **days}, self._admin_years | {year})

    def with_day(self, day: date, entry: tuple[bool, str] | None) -> WorkCalendar:
        """This calendar with one administrator entry set (or removed when `entry` is None):
        what do_set_calendar_day / do_delete_calendar_day would make of it."""
        days = {d: v for d, v in self._admin_days.items() if d != day}
        if entry is not None:
            days[day] = entry
        return WorkCalendar(days, self._admin_years)

    def knows_year(self, year: int) -> bool:
        """The official schedule of `year` is known (entered, or in the package)."""
        return year in self._admin_years or package_knows(year)

    def is_provisional(self, year: int) -> bool:
        """`year` is counted on its statutory holidays only (its 调休 are not known)."""
        return not self.knows_year(year) and statutory.covers(year)

    def day(self, d: date) -> DayInfo:
        if d in self._admin_days:
            working, name = self._admin_days[d]
            weekend = d.weekday() >= 5
            kind = DayKind.makeup if working and weekend else DayKind.workday
            if not working:
                kind = DayKind.holiday if name or not weekend else DayKind.weekend
            return DayInfo(d, kind, working, name, DaySource.admin)
        if package_knows(d.year):
            kind, name = _package_day(d)
            source = DaySource.package
        elif d.year in self._admin_years:
            kind, name, source = *_weekdays_only(d), DaySource.admin
        else:
            kind, name = _fallback_day(d)
            source = _fallback_source(d.year)
            _warn_once(d.year)
        return DayInfo(d, kind, kind in (DayKind.workday, DayKind.makeup), name, source)

    def is_working_day(self, d: date) -> bool:
        cached = self._working_cache.get(d)
        if cached is None:
            cached = self._working_cache[d] = self.day(d).working
        return cached

    def next_working_day(self, d: date) -> date:
        """d itself if it is a working day, else the first working day after it."""
        return d if self.is_working_day(d) else self.add_working_days(d, 1)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after start (start itself not counted).
        n = 0: start if it is a working day, else the next working day."""
        if n < 0 or n > MAX_WORKING_DAYS:
            raise ValueError(f"working days must be between 0 and {MAX_WORKING_DAYS}: {n}")
        if n == 0:
            return self.next_working_day(start)
        found = self._added.get((start, n))
        if found is not None:
            return found
        d, left = start, n
        while left > 0:
            d += timedelta(days=1)
            if self.is_working_day(d):
                left -= 1
        if len(self._added) < 100_000:  # a bulk import's days; a bound on the memory
            self._added[(start, n)] = d
        return d

    def subtract_working_days(self, end: date, n: int) -> date:
        """The latest date s with working_days_between(s, end) == n (end a working day)."""
        if n < 0 or n > MAX_WORKING_DAYS:
            raise ValueError(f"working days must be between 0 and {MAX_WORKING_DAYS}: {n}")
        d = end
        while n > 0:
            if self.is_working_day(d):
                n -= 1
            d -= timedelta(days=1)
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative of (b, a] when b < a."""
        if b < a:
            return -self.working_days_between(b, a)
        found = self._between.get((a, b))
        if found is not None:
            return found
        count, d = 0, a
        while d < b:
            d += timedelta(days=1)
            count += self.is_working_day(d)
        if len(self._between) < 100_000:  # a bulk import's days; a bound on the memory
            self._between[(a, b)] = count
        return count

    def days(self, first: date, last: date) -> list[DayInfo]:
        out, d = [], first
        while d <= last:
            out.append(self.day(d))
            d += timedelta(days=1)
        return out

    def unknown_years(self, years: Iterable[int]) -> list[int]:
        return sorted({y for y in years if not self.knows_year(y)})

    def warnings(self, years: Iterable[int]) -> list[str]:
        """One message per year whose official schedule is not known (provisional, or
        weekends only)."""
        return [
            provisional_year_message(y) if statutory.covers(y) else unknown_year_message(y)
            for y in self.unknown_years(years)
        ]


def provisional_year_message(year: int) -> str:
    return (
        f"{year} 年为暂定日历：国务院办公厅尚未发布（或尚未录入）当年放假安排，暂按"
        f"《全国年节及纪念日放假办法》的法定节假日（含补假）计算工作日，调休上班日未知；"
        f"通知发布后请系统管理员录入。 / "
        f"{year} is provisional: the official holiday schedule is not known yet, so working "
        "days count the statutory holidays fixed by law (and their make-up days off) but no "
        "make-up working weekends, until an administrator enters the State Council's schedule."
    )


def unknown_year_message(year: int) -> str:
    return (
        f"{year} 年的法定节假日安排尚未录入：暂按周末休息计算工作日，"
        f"请系统管理员在国务院办公厅发布通知后录入。 / "
        f"The official {year} holiday schedule is not known yet: working days are counted "
        "as Monday-Friday until an administrator enters the State Council's schedule."
    )


_warned_years: set[int] = set()


def _warn_once(year: int) -> None:
    if year not in _warned_years:
        _warned_years.add(year)
        message = provisional_year_message if statutory.covers(year) else unknown_year_message
        log.warning("calendar: %s", message(year))


# Calendars built from the same administrator entries are the same: keep a few, with their
# per-day caches, so that every action does not start counting days from scratch.
_BUILT: dict[tuple[object, ...], WorkCalendar] = {}

# A long batch (the demo history) may ask its session to keep what it loaded:
# session.info[CACHE_KEY] = {}. Ordinary request sessions read afresh every time.
CACHE_KEY = "grassroots.clock_cache"
_TRANSACTION_KEY = "grassroots.calendar.workdays.transaction"


def load_calendar(session: Session, bind: Connection | None = None) -> WorkCalendar:
    """The working-day calendar with the administrator's entries from the database.

    Read once per transaction of `session` (an action and the statistics listener inside
    its flush share it); `bind` is the connection to read with while the session flushes."""
    cache = session.info.get(CACHE_KEY)
    if cache is not None and "calendar" in cache:
        return cache["calendar"]  # type: ignore[no-any-return]
    memo = session.info.get(_TRANSACTION_KEY)
    current = session.get_transaction()
    if memo is not None and current is not None and memo[0] is current:
        return memo[1]  # type: ignore[no-any-return]
    if bind is not None:
        cal = refdata.cached(bind, "calendar", read_calendar)
    else:
        cal = refdata.cached(session, "calendar", read_calendar)
    current = session.get_transaction()
    if current is not None:
        session.info[_TRANSACTION_KEY] = (current, cal)
    if cache is not None:
        cache["calendar"] = cal
    return cal


def read_calendar(bind: Session | Connection) -> WorkCalendar:
    """The calendar read afresh through `bind` (a session, or the flush's own connection);
    the object is shared with other reads of the same entries."""
    query = select(CalendarDay.day, CalendarDay.is_working, CalendarDay.name)
    days = tuple((d, w, n) for d, w, n in bind.execute(query.order_by(CalendarDay.day)))
    years = tuple(bind.scalars(select(CalendarYear.year).order_by(CalendarYear.year)))
    key = (days, years)
    cal = _BUILT.get(key)
    if cal is None:
        if len(_BUILT) >= 16:
            _BUILT.clear()
        cal = _BUILT[key] = WorkCalendar({d: (w, n) for d, w, n in days}, years)
    return cal
