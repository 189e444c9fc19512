"""working_days_between in O(1): the statistics count working days for every case (the flush
listener and the bulk rebuild), so WorkdayIndex keeps a cumulative count per year instead
of walking day by day."""

from __future__ import annotations

from datetime import date, timedelta

from grassroots.calendar.workdays import WorkCalendar


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
