"""Statistical periods: month, quarter, half-year, year and custom month ranges.

Written as 2026-03, 2026-Q3, 2026-H1, 2026 and 2026-01..2026-05. Periods are whole months in
China time (the aggregates are monthly); 环比 is the period of the same length just before,
同比 the same period a year earlier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from grassroots.bounds import MAX_YEAR, MIN_YEAR
from grassroots.errors import Problem

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$")
_HALF = re.compile(r"^([0-9]{4})-H([12])$")
_YEAR = re.compile(r"^([0-9]{4})$")


def add_months(first: date, n: int) -> date:
    index = first.year * 12 + first.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str  # month / quarter / half / year / custom
    first: date  # first day of the first month
    months: int  # number of whole months

    @property
    def end(self) -> date:
        """Last day, inclusive."""
        return add_months(self.first, self.months) - timedelta(days=1)

    @property
    def after(self) -> date:
        """First day after the period."""
        return add_months(self.first, self.months)

    @property
    def month_starts(self) -> list[date]:
        return [add_months(self.first, i) for i in range(self.months)]

    @property
    def label(self) -> str:
        y, m = self.first.year, self.first.month
        if self.kind == "month":
            return f"{y}-{m:02d}"
        if self.kind == "quarter":
            return f"{y}-Q{(m - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{y}-H{(m - 1) // 6 + 1}"
        if self.kind == "year":
            return f"{y}"
        last = add_months(self.first, self.months - 1)
        return f"{y}-{m:02d}..{last.year}-{last.month:02d}"

    @property
    def title_zh(self) -> str:
        y, m = self.first.year, self.first.month
        names = {
            "month": f"{y}年{m}月",
            "quarter": f"{y}年第{'一二三四'[(m - 1) // 3]}季度",
            "half": f"{y}年{'上下'[(m - 1) // 6]}半年",
            "year": f"{y}年",
        }
        if self.kind in names:
            return names[self.kind]
        last = add_months(self.first, self.months - 1)
        return f"{y}年{m}月至{last.year}年{last.month}月"

    def previous(self) -> Period:
        """环比: the period of the same length just before."""
        return Period(self.kind, add_months(self.first, -self.months), self.months)

    def year_ago(self) -> Period:
        """同比: the same period one year earlier."""
        return Period(self.kind, add_months(self.first, -12), self.months)

    def year_to_date(self) -> Period:
        """From 1 January of the period's last year through the period's end (累计)."""
        last = add_months(self.first, self.months - 1)
        return Period("custom", date(last.year, 1, 1), last.month)


def _bad(text: str) -> Problem:
    return Problem(
        422,
        "bad_period",
        f"统计期间格式有误：{text!r}（应为 2026-03、2026-Q3、2026-H1、2026 或 2026-01..2026-05）"
        f" / invalid period {text!r}",
    )


def _first_day(year: str, month: int, whole: str) -> date:
    """The first day of a month of a year the system can count in (bounds.MIN/MAX_YEAR)."""
    if not MIN_YEAR <= int(year) <= MAX_YEAR or not 1 <= month <= 12:
        raise _bad(whole)
    return date(int(year), month, 1)


def _month(text: str, whole: str) -> date:
    m = _MONTH.match(text)
    if not m:
        raise _bad(whole)
    return _first_day(m.group(1), int(m.group(2)), whole)


def parse_period(text: str) -> Period:
    text = text.strip()
    if ".." in text:
        a, b = text.split("..", 1)
        first, last = _month(a, text), _month(b, text)
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        if months < 1:
            raise _bad(text)
        return Period("custom", first, months)
    if m := _QUARTER.match(text):
        return Period("quarter", _first_day(m.group(1), 3 * int(m.group(2)) - 2, text), 3)
    if m := _HALF.match(text):
        return Period("half", _first_day(m.group(1), 6 * int(m.group(2)) - 5, text), 6)
    if m := _YEAR.match(text):
        return Period("year", _first_day(m.group(1), 1, text), 12)
    return Period("month", _month(text, text), 1)


def this_month(today: date) -> Period:
    """The month of `today` (China date): the default period of the pages."""
    return Period("month", today.replace(day=1), 1)
