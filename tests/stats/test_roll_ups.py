"""The ledger import sums each case's own-place rows and adds the roll-ups once at the end
(with_roll_ups): the rows it writes must be those of summing contributions() case by case."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from grassroots.calendar.workday_index import WorkdayIndex
from grassroots.calendar.workdays import WorkCalendar
from grassroots.cases.tallies.contribution import (
    FIELDS,
    Contribution,
    add_into,
    contributions,
    own_place_contributions,
    with_roll_ups,
)

DAYS = WorkdayIndex(WorkCalendar({}, []))
BASE: dict[str, Any] = dict.fromkeys(FIELDS) | {
    "county_code": "990101000000",
    "township_code": "990101001000",
    "category_code": "neighbour",
    "kind": "dispute",
    "source_code": "walk_in",
    "state": "closed",
    "level": "village",
    "registered_at": datetime(2024, 3, 4, 2, tzinfo=UTC),
    "accepted_at": datetime(2024, 3, 4, 3, tzinfo=UTC),
    "resolve_due": date(2024, 3, 20),
    "missed_deadlines": 0,
    "spam": False,
}
RESOLVED = {"outcome": "resolved", "resolved_level": "village", "satisfaction": "satisfied"}
CASES: list[dict[str, Any]] = [
    BASE | RESOLVED | {"village_code": "990101001001", "resolved_at": datetime(2024, 3, 8)},
    BASE | RESOLVED | {"village_code": "990101001002", "resolved_at": datetime(2024, 4, 9)},
    BASE | {"village_code": "990101001002", "state": "handling"},  # open, overdue
    BASE | {"village_code": "", "state": "handling", "category_code": "land"},
    BASE | {"outcome": "merged", "state": "closed", "closed_at": datetime(2024, 5, 2)},
    BASE | {"spam": True, "village_code": "990101001001"},
]


def _summed(parts: list[Contribution]) -> Contribution:
    total: Contribution = {}
    for part in parts:
        add_into(total, part)
    return total


def test_the_roll_ups_of_the_summed_own_rows_equal_the_summed_contributions() -> None:
    own = _summed([own_place_contributions(c, DAYS) for c in CASES])
    expected = _summed([contributions(c, DAYS) for c in CASES])
    assert with_roll_ups(own) == expected


def test_each_roll_up_row_counts_every_case_below_it() -> None:
    """Independent of contributions(): the counts read by hand off CASES."""
    rows = with_roll_ups(_summed([own_place_contributions(c, DAYS) for c in CASES]))
    march = date(2024, 3, 1)

    def registered(township: str, village: str, category: str) -> int:
        key = (march, "990101000000", township, village, category, "dispute")
        return rows[("cohort", key)]["registered"]

    assert registered("990101001000", "990101001002", "neighbour") == 2
    assert registered("990101001000", "*", "neighbour") == 3
    assert registered("990101001000", "*", "*") == 4
    assert registered("*", "*", "land") == 1
    assert registered("*", "*", "*") == 4  # the merged and the spam case count nowhere
    assert rows[("cohort", (march, "990101000000", "*", "*", "*", "dispute"))]["resolved"] == 2
