"""The statutory holidays known years in advance, for a year whose official schedule is not
known yet (a *provisional* year).

《全国年节及纪念日放假办法》(国务院令第 795 号修订, 2024-11-10, in force 2025-01-01),
第二条 — days off for all citizens:

    元旦 1 天 (1 月 1 日); 春节 4 天 (农历除夕、正月初一至初三); 清明节 1 天 (清明当日);
    劳动节 2 天 (5 月 1 日、2 日); 端午节 1 天 (农历五月初五); 中秋节 1 天 (农历八月十五);
    国庆节 3 天 (10 月 1 日至 3 日).

第六条 — a holiday for all citizens that falls on a Saturday or Sunday is made up on a
working day (补假). We give each such day back on the first weekday after its holiday that
is not itself a statutory day; a statutory day that coincides with another (中秋 inside
国庆, as in 2028) is given back the same way — our reading, the State Council has done so.

What is *not* known before the State Council's yearly notice: the make-up working weekends
(调休) and how the days are joined into longer breaks. A provisional year therefore has
every statutory day off and no make-up working day; the calendar marks it "provisional"
wherever it is shown.

Sources of the dates: the lunar dates (除夕, 端午, 中秋) from the `borax` package's lunar
tables (MIT licence; 1900–2100; `lunardate` agrees on every date of 2025–2099 but 2089's
中秋, and is GPL-3.0, which this Apache-2.0 project does not take on); 清明 from the
chinesecalendar package's solar-term formula (寿星公式 with its table of corrections), which
borax's own solar terms match for every year of 2025–2099. tests/calendar/schedule/test_statutory.py
checks them against the official 2025 and 2026 schedules and against each other.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from borax.calendars.lunardate import LunarDate

FIRST_YEAR = 2025  # the 2024 amendment's first year; earlier years are all in the package
LAST_YEAR = 2099  # chinesecalendar's solar terms end with 2100, borax's tables with 2100

MAKE_UP_SUFFIX = "补假"


def covers(year: int) -> bool:
    """True if the statutory days of `year` can be computed."""
    return FIRST_YEAR <= year <= LAST_YEAR


def _lunar(year: int, month: int, day: int) -> date:
    solar: date = LunarDate(year, month, day).to_solar_date()
    return solar


def _qingming(year: int) -> date:
    terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
    qingming: date = next(d for d, name in terms if name == "清明")
    return qingming


def _holidays(year: int) -> list[tuple[str, list[date]]]:
    """Each statutory holiday of the year with its days, in the order of the year."""
    eve = _lunar(year, 1, 1) - timedelta(days=1)  # 除夕: the last day of the 12th month
    holidays = [
        ("元旦", [date(year, 1, 1)]),
        ("春节", [eve + timedelta(days=i) for i in range(4)]),
        ("清明节", [_qingming(year)]),
        ("劳动节", [date(year, 5, 1), date(year, 5, 2)]),
        ("端午节", [_lunar(year, 5, 5)]),
        ("中秋节", [_lunar(year, 8, 15)]),
        ("国庆节", [date(year, 10, d) for d in (1, 2, 3)]),
    ]
    return sorted(holidays, key=lambda h: h[1][0])


@lru_cache(maxsize=128)
def statutory_days(year: int) -> dict[date, str]:
    """Every day off `year` has by law, with its name (补假 days named "<holiday>补假").
    Empty for a year the rules or the tables do not cover."""
    if not covers(year):
        return {}
    days: dict[date, str] = {}
    owed: list[tuple[str, date]] = []  # (holiday, last day) for each day to give back
    for name, holiday_days in _holidays(year):
        for d in holiday_days:
            if d.weekday() >= 5 or d in days:
                owed.append((name, holiday_days[-1]))
            days.setdefault(d, name)
    for name, last in owed:
        d = last + timedelta(days=1)
        while d.weekday() >= 5 or d in days:
            d += timedelta(days=1)
        days[d] = name + MAKE_UP_SUFFIX
    return {d: days[d] for d in sorted(days) if d.year == year}
