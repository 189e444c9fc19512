"""What one case adds to each aggregate table: the single definition of every counter.

`contributions(snapshot)` maps a case's field values to {(table, key): {counter: n}}. The
flush listener applies new − old; the rebuild sums it over all cases. The independent SQL
recount in grassroots.stats.recount must agree with it (tests/stats prove it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from grassroots.calendar.today import local_date
from grassroots.calendar.workday_index import WorkdayIndex
from grassroots.cases.models import OPEN_STATES
from grassroots.cases.tallies.figures import (
    FIGURE_FIELDS,
    SATISFIED,
    figure_contributions,
    terminated_in_time,
)
from grassroots.cases.tallies.overdue import Changes, running_changes
from grassroots.dictionary.models import ROUND_SOURCE

# Case fields the counters read (the listener loads their old values on change).
FIELDS: tuple[str, ...] = (
    "county_code",
    "township_code",
    "village_code",
    "category_code",
    "state",
    "level",
    "registered_at",
    "accepted_at",
    "resolved_at",
    "resolve_due",
    "outcome",
    "resolved_level",
    "satisfaction",
    "resident_rating",
    "spam",
    "violence_risk",
    "grid_code",
    "missed_deadlines",
    "suspended_at",
    *FIGURE_FIELDS,
)

RESOLVED_LEVELS = ("village", "township", "county", "city")

Key = tuple[Any, ...]  # (month or day, county, township, village, category, kind)
Contribution = dict[tuple[str, Key], dict[str, int]]


@dataclass(frozen=True)
class Place:
    county: str
    township: str
    village: str
    category: str
    kind: str  # dispute (矛盾纠纷) / request (诉求): reported apart (issue 15 item 4)


def month_of(day: date) -> date:
    return day.replace(day=1)


def _place(c: Mapping[str, Any]) -> Place:
    return Place(
        c["county_code"], c["township_code"] or "", c["village_code"] or "", c["category_code"],
        c["kind"],
    )  # fmt: skip


def _key(when: date, p: Place) -> Key:
    return (when, *_place_key(p))


def _place_key(p: Place) -> Key:
    return (p.county, p.township, p.village, p.category, p.kind)


def cohort_counters(c: Mapping[str, Any], days: WorkdayIndex) -> dict[str, int]:
    resolved = c["outcome"] == "resolved"
    counters = {
        "registered": 1,
        "accepted": int(c["accepted_at"] is not None),
        "resolved": int(resolved),
        "terminated": int(c["outcome"] == "terminated"),
        "rejected": int(c["outcome"] == "rejected"),
        "escalated_beyond": int(c["level"] == "city"),
        "followed_up": int(c["satisfaction"] is not None),
        "satisfied": int(c["satisfaction"] in SATISFIED),
        "resident_rated": int(c["resident_rating"] is not None),
        "resident_satisfied": int(c["resident_rating"] in SATISFIED),
        "violence_risk": int(bool(c["violence_risk"])),
        "violence_resolved": int(bool(c["violence_risk"]) and resolved),
        "duration_days": _duration(c, days) if resolved else 0,
    }
    for level in RESOLVED_LEVELS:
        counters[f"resolved_{level}"] = int(resolved and c["resolved_level"] == level)
    return counters


def _duration(c: Mapping[str, Any], days: WorkdayIndex) -> int:
    registered: datetime = c["registered_at"]
    resolved_at: datetime | None = c["resolved_at"]
    if resolved_at is None:
        return 0
    return days.between(local_date(registered), local_date(resolved_at))


def on_time(c: Mapping[str, Any]) -> bool:
    """按期: resolved on or before the running deadline (China date), and no earlier deadline
    missed — escalation, referral and 返工 restart the clock, and the deadlines they replaced
    are kept (grassroots.cases.deadlines.history): a case overdue at the village and resolved
    in time at the county is not on time (issue 15 item 2)."""
    due: date | None = c["resolve_due"]
    resolved_at: datetime | None = c["resolved_at"]
    return (
        c["outcome"] == "resolved"
        and not c["missed_deadlines"]
        and due is not None
        and resolved_at is not None
        and local_date(resolved_at) <= due
    )


def on_time_terminated(c: Mapping[str, Any]) -> bool:
    """调解终止 on or before the running deadline (the parties told their legal routes, which
    terminate requires), no earlier deadline missed: 按期办结 when
    GRASSROOTS_TERMINATED_COUNTS_AS_CONCLUDED (grassroots.stats.figures.derived)."""
    return not c["missed_deadlines"] and terminated_in_time(c)


def may_be_overdue(c: Mapping[str, Any]) -> bool:
    """超期数 counts open cases whose resolve_due has passed, except suspended (中止) ones:
    their clock is stopped (docs/cases.md), so they are never overdue while suspended.
    Source: case_file.state and resolve_due; recount: grassroots.stats.recount."""
    return c["state"] in OPEN_STATES and c["state"] != "suspended"


# The outcome of a 12345 order returned to the platform (cases.workflow.order_rules): it
# counts in 排查数 but in no outcome and not in 按期办结率 (docs/metrics.md).
RETURNED = "returned"
ALL_CATEGORIES = "*"  # the maintained roll-up row over every category
# The place roll-ups (issue 22): township_code (and village_code) "*" = the row of the whole
# county; village_code "*" = the row of the whole township. Readers take the rows of the level
# they show (grassroots.stats.scope.Scope.places): a city sums 12 county rows, not every village.
ALL_PLACES = "*"


MERGED = "merged"  # outcome of a repeat registration merged into its primary case


def contributions(c: Mapping[str, Any], days: WorkdayIndex) -> Contribution:
    """Everything one case (as a dict of FIELDS) adds to the aggregate tables: its own
    category's row and the all-categories row ("*"), which dashboards read when no category
    is chosen (15× fewer rows to sum); and its row of stats_figures (kind × source,
    grassroots.cases.tallies.figures).
    A merged case (合并重复件) is the same matter as its primary and is counted once, there:
    it adds to no figure — registered, resolved, due, grid — except the days it was overdue
    before the merge (超期 as of a past day stays what it was).
    A case marked as spam adds nothing anywhere."""
    return with_roll_ups(own_place_contributions(c, days))


# The tables keyed by (when, *Place): each has the roll-up rows of rolled_up().
ROLLED_TABLES = frozenset({"cohort", "due", "open", "open_month", "overdue_day", "overdue_month"})


def own_place_contributions(c: Mapping[str, Any], days: WorkdayIndex) -> Contribution:
    """contributions() without the roll-up rows: the case's own place only. Every roll-up
    row gets the very counters of the own row, so a bulk writer (the ledger import) sums
    these and calls with_roll_ups() once on the total — the same sums, with the counters
    computed once per case instead of six times."""
    if c["spam"]:
        return {}
    if c["outcome"] == MERGED:
        return merged_contributions(c)
    own = _contributions(c, days, _place(c))
    return own | figure_contributions(c) | grid_contributions(c)


def with_roll_ups(own: Contribution) -> Contribution:
    """`own` (sums of own_place_contributions) with each place row also added to the roll-up
    rows above it (rolled_up); the other tables as they are. Linear, so it may run on one
    case's rows or on the total of many."""
    out: Contribution = {}
    for (table, key), counters in own.items():
        keys = _roll_up_keys(key) if table in ROLLED_TABLES else (key,)
        for k in keys:  # add in place: no throw-away dict per row (an import has ~10⁵ rows)
            acc = out.setdefault((table, k), {})
            for name, n in counters.items():
                acc[name] = acc.get(name, 0) + n
    return out


def _roll_up_keys(key: Key) -> list[Key]:
    """The keys of a place row and of its roll-up rows, as rolled_up() defines them."""
    return [(key[0], *place) for place in _roll_up_places(key[1:])]


@lru_cache(maxsize=4096)
def _roll_up_places(place: Key) -> tuple[Key, ...]:
    # Cached: an import's rows repeat a few hundred places over many days and months.
    return tuple(_place_key(p) for p in rolled_up(Place(*place)))


def rolled_up(p: Place) -> list[Place]:
    """The six rows a case counts in: its category's and the all-categories row ("*"), each
    at its village, its township's roll-up and its county's roll-up (ALL_PLACES). Every row
    of a place roll-up is the sum of the village rows below it."""
    out = []
    for category in (p.category, ALL_CATEGORIES):
        for township, village in ((p.township, p.village), (p.township, ALL_PLACES),
                                  (ALL_PLACES, ALL_PLACES)):  # fmt: skip
            out.append(Place(p.county, township, village, category, p.kind))
    return out


# Sources counted as "found by patrol" (主动发现) in the grid figures.
PATROL_SOURCES = frozenset({"grid_patrol", ROUND_SOURCE})


def merged_contributions(c: Mapping[str, Any]) -> Contribution:
    """A merged case's overdue days, at its own place (with_roll_ups adds the roll-ups)."""
    out: Contribution = {}
    _add_overdue(out, running_changes(c), _place(c))
    return out


def grid_contributions(c: Mapping[str, Any]) -> Contribution:
    """The case's row of stats_grid (registration month × its grid) and, while it may be
    overdue, of stats_open_grid (its deadline's day × grid). docs/metrics.md."""
    codes = ("township_code", "village_code", "grid_code")
    place = (c["county_code"], *(c[k] or "" for k in codes))
    resolved = c["outcome"] == "resolved"
    counters = {
        "registered": 1,
        "found_by_patrol": int(c["source_code"] in PATROL_SOURCES),
        "resolved": int(resolved),
        "resolved_in_grid": int(resolved and c["resolved_level"] == "village"),
    }
    out: Contribution = {("grid", (month_of(local_date(c["registered_at"])), *place)): counters}
    due: date | None = c["resolve_due"]
    if due is not None and may_be_overdue(c):
        out[("open_grid", (due, *place))] = {"open_count": 1}
    return out


def _contributions(c: Mapping[str, Any], days: WorkdayIndex, p: Place) -> Contribution:
    out: Contribution = {
        ("cohort", _key(month_of(local_date(c["registered_at"])), p)): cohort_counters(c, days)
    }
    due: date | None = c["resolve_due"]
    if due is not None and c["outcome"] != RETURNED:  # a 12345 order returned: not ours to end
        out[("due", _key(month_of(due), p))] = {
            "due": 1,
            "on_time": int(on_time(c)),
            "on_time_terminated": int(on_time_terminated(c)),
        }
        if may_be_overdue(c):
            out[("open", _key(due, p))] = {"open_count": 1}
            out[("open_month", _key(month_of(due), p))] = {"open_count": 1}
    _add_overdue(out, running_changes(c), p)
    return out


def _add_overdue(out: Contribution, changes: Changes, p: Place) -> None:
    for table, when, n in changes:
        slot = out.setdefault((table, _key(when, p)), {"net": 0})
        slot["net"] += n


def record_contributions(c: Mapping[str, Any], changes: Changes) -> Contribution:
    """A superseded deadline's overdue spell (grassroots.cases.tallies.overdue), in the
    case's category row and the roll-up, at the case's place (`c`: the case's fields).
    Nothing for a case marked as spam."""
    out: Contribution = {}
    if c["spam"]:
        return out
    for p in rolled_up(_place(c)):
        _add_overdue(out, changes, p)
    return out


def add_into(total: Contribution, part: Contribution, sign: int = 1) -> None:
    for slot, counters in part.items():
        acc = total.setdefault(slot, {})
        for name, n in counters.items():
            acc[name] = acc.get(name, 0) + sign * n
