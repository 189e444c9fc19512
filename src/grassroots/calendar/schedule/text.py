"""A year's official holiday schedule typed as text, one line per holiday range or make-up day.

    # 国办发明电〔2026〕X号
    2027-01-01..2027-01-03 元旦
    2027-02-07 调休上班

A line is a day (YYYY-MM-DD) or an inclusive range (YYYY-MM-DD..YYYY-MM-DD, also with ~ or
至), then an optional label. A line whose label contains 上班 (or starts with 班 / work) is a
make-up working day; every other line is a day off. Blank lines and lines starting with #
are ignored. parse_schedule reports every bad line with its number; nothing is saved unless
there is none (the page then calls do_set_year_schedule once, all or nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from grassroots.calendar.schemas import DayIn
from grassroots.i18n import N_

MAX_LABEL = 64
MAX_TEXT = 20_000  # a whole year with long labels is well under this
_LINE = re.compile(
    r"^(?P<first>\d{4}-\d{1,2}-\d{1,2})"
    r"(?:\s*(?:\.\.|~|～|至)\s*(?P<last>\d{4}-\d{1,2}-\d{1,2}))?"
    r"(?:\s+(?P<label>.*))?$"
)
_WORKING_MARKERS = ("班", "work", "working")

BAD_FORMAT = N_("Not a day or a range: write YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD, then a label.")
BAD_DATE = N_("{arg} is not a real date.")
BACKWARDS = N_("The range ends before it starts.")
OTHER_YEAR = N_("The day {arg} is not in this year.")
DUPLICATE = N_("The day {arg} is already given on another line.")
LONG_LABEL = N_("The label is too long (at most 64 characters).")
EMPTY = N_("Enter at least one holiday or make-up working day.")
TOO_LONG = N_("The text is too long for one year's schedule.")


@dataclass(frozen=True)
class LineError:
    line: int  # 1-based; 0 for the text as a whole
    text: str
    msgid: str
    arg: str = ""


@dataclass
class Parsed:
    days: list[DayIn] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.days)


def is_working_label(label: str) -> bool:
    word = label.split(maxsplit=1)[0].lower() if label.strip() else ""
    return "上班" in label or word in _WORKING_MARKERS


def _day(text: str) -> date | None:
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return date(y, m, d)
    except ValueError:
        return None


def _line_days(number: int, text: str, year: int) -> tuple[list[DayIn], LineError | None]:
    """The days one line names, or the first thing wrong with it."""
    match = _LINE.match(text)
    if match is None:
        return [], LineError(number, text, BAD_FORMAT)
    label = (match["label"] or "").strip()
    first, last = _day(match["first"]), _day(match["last"] or match["first"])
    if first is None or last is None:
        bad = match["first"] if first is None else str(match["last"])
        return [], LineError(number, text, BAD_DATE, bad)
    if last < first:
        return [], LineError(number, text, BACKWARDS)
    for end in (first, last):
        if end.year != year:
            return [], LineError(number, text, OTHER_YEAR, end.isoformat())
    if len(label) > MAX_LABEL:
        return [], LineError(number, text, LONG_LABEL)
    working = is_working_label(label)
    count = (last - first).days + 1
    days = [first + timedelta(days=i) for i in range(count)]
    return [DayIn(day=d, is_working=working, name=label) for d in days], None


def parse_schedule(text: str, year: int) -> Parsed:
    parsed = Parsed()
    if len(text) > MAX_TEXT:
        parsed.errors.append(LineError(0, "", TOO_LONG))
        return parsed
    seen: set[date] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("\u3000", " ")
        if not line or line.startswith("#"):
            continue
        days, error = _line_days(number, line, year)
        if error is None:
            repeated = next((d.day for d in days if d.day in seen), None)
            if repeated is not None:
                error = LineError(number, line, DUPLICATE, repeated.isoformat())
        if error is not None:
            parsed.errors.append(error)
            continue
        seen.update(d.day for d in days)
        parsed.days.extend(days)
    if not parsed.days and not parsed.errors:
        parsed.errors.append(LineError(0, "", EMPTY))
    parsed.days.sort(key=lambda d: d.day)
    return parsed


def schedule_text(days: list[DayIn]) -> str:
    """The inverse of parse_schedule: consecutive days of one kind and label as one range."""
    lines: list[str] = []
    run: list[DayIn] = []
    for d in sorted(days, key=lambda d: d.day):
        if run and (
            d.day != run[-1].day + timedelta(days=1)
            or (d.is_working, d.name) != (run[0].is_working, run[0].name)
        ):
            lines.append(_run_line(run))
            run = []
        run.append(d)
    if run:
        lines.append(_run_line(run))
    return "\n".join(lines)


def _run_line(run: list[DayIn]) -> str:
    first, last = run[0], run[-1]
    span = first.day.isoformat()
    if last.day != first.day:
        span += f"..{last.day.isoformat()}"
    label = first.name
    if first.is_working and not is_working_label(label):
        label = f"上班 {label}".strip()
    if not first.is_working and is_working_label(label):
        label = ""  # a day off whose label would read as working: keep the kind right
    return f"{span} {label}".rstrip()
