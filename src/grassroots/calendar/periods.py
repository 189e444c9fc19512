"""Periods counted in months, as the Civil Code counts them (民法典 第二百零一条至第二百零三条).

- art. 201: the day the period starts is not counted; counting begins the next day;
- art. 202: a period in months ends on the corresponding day of the last month; a month
  without that day ends the period on its last day;
- art. 203: a period whose last day is a statutory day off (法定休假日) ends on the first
  day after it — here the next working day of the working calendar (weekends count as days
  off, as courts read art. 203).

The deadline policies count working days ("一个月 ≈ 20 个工作日", docs/deadlines.md); this
module gives the month the law means, so that the two can be compared.
"""

from __future__ import annotations

import calendar as gregorian
from datetime import date

from grassroots.calendar.workdays import WorkCalendar


def corresponding_day(start: date, months: int) -> date:
    """The corresponding day `months` months after `start`, or that month's last day
    (art. 202)."""
    if months < 0:
        raise ValueError(f"months must not be negative: {months}")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, gregorian.monthrange(year, month)[1]))


def months_end(cal: WorkCalendar, start: date, months: int) -> date:
    """The last day of a period of `months` months starting on `start` (arts. 201–203)."""
    return cal.next_working_day(corresponding_day(start, months))
