"""The bounds of every number and date a client may send: what the database columns hold.

Every integer input (ids, offsets, page numbers, counts) and every date or time is declared
with one of these types, in request schemas and in path and query parameters alike, so that
an out-of-range value is a 422 before it reaches the database (PostgreSQL's INTEGER holds at
most 2**31 - 1; Python's date stops at year 9999 and a day's start in China time must still
be a valid UTC time). The OpenAPI document carries the same bounds (minimum/maximum), and
tests/web/test_openapi.py fails on any integer input without an upper bound.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from annotated_types import Interval
from pydantic import AwareDatetime, StringConstraints

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER (and SQLite's integer holds it)
MAX_INT = 2**31 - 1  # any other integer column: counts, versions, sizes
MIN_YEAR = 1900
MAX_YEAR = 2200
MIN_DAY = date(MIN_YEAR, 1, 1)
MAX_DAY = date(MAX_YEAR, 12, 31)
MIN_MOMENT = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
MAX_MOMENT = datetime(MAX_YEAR, 12, 31, 23, 59, 59, tzinfo=UTC)

DbId = Annotated[int, Interval(ge=1, le=MAX_ID)]
"""A row id (primary key) as a client names it."""
Count = Annotated[int, Interval(ge=0, le=MAX_INT)]
"""A non-negative integer stored in an INTEGER column: offsets, counts, versions."""
PageNumber = Annotated[int, Interval(ge=1, le=MAX_INT)]
Year = Annotated[int, Interval(ge=MIN_YEAR, le=MAX_YEAR)]
Day = Annotated[date, Interval(ge=MIN_DAY, le=MAX_DAY)]
"""A calendar day the system can place in time (from 1900 to 2200)."""
Moment = Annotated[AwareDatetime, Interval(ge=MIN_MOMENT, le=MAX_MOMENT)]
"""A point in time with its zone (a time without one is refused: 422)."""

NON_BLANK = r"\S"
"""The pattern of required text: at least one character that is not white space."""


def non_blank(max_length: int, min_length: int = 1) -> StringConstraints:
    """Required text of at most max_length characters, not only white space (stripped)."""
    return StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=NON_BLANK
    )


def fits_int(value: object, minimum: int = 0) -> bool:
    """Whether a value read from elsewhere (a cursor, a form, a free JSON body) is an integer
    an INTEGER column holds (booleans are not integers here)."""
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= MAX_INT
