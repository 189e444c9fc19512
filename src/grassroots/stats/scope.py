"""Which cases a statistic covers: a jurisdiction subtree, optionally one category and one
kind (矛盾纠纷 / 诉求)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, true

from grassroots.cases.tallies.contribution import ALL_PLACES
from grassroots.geo.models import Level, code_prefix

# The column of the case (and of each aggregate table) that holds the code at each level.
LEVEL_COLUMN = {
    "county": "county_code",
    "township": "township_code",
    "village": "village_code",
    "grid": "grid_code",  # only the tables that carry it: cases, stats_grid, stats_rounds
}
_COLUMN_LEVEL = {"township_code": "township", "village_code": "village"}
# The level below each level in the figures' child tables (statistics stop at the village).
CHILD_LEVEL = {"province": "city", "city": "county", "county": "township", "township": "village"}


def group_column(level: str) -> str:
    """The column the rows of a child `level` are grouped by. A city has no column of its own
    on the cases and aggregates: a province's rows are per county (the county's code begins
    with its city's prefix), summed per city by grassroots.stats.queries.child_rows."""
    return LEVEL_COLUMN.get(level, "county_code")


@dataclass(frozen=True)
class Scope:
    level: str  # province / city / county / township / village
    code: str
    category: str | None = None
    kind: str | None = None  # dispute / request (issue 15 item 4); None: both

    def of_kind(self, kind: str | None) -> Scope:
        return Scope(self.level, self.code, self.category, kind)

    @property
    def child_level(self) -> str | None:
        return CHILD_LEVEL.get(self.level)

    def condition(self, table: Any, rollup: str | None = None) -> ColumnElement[bool]:
        """Filter for a table with county/township/village/category code columns.

        rollup: on aggregate tables, the all-categories row's code: used when no category
        is chosen; rows per category are then left out (they are counted in the roll-up)."""
        c = table.c if hasattr(table, "c") else table
        place = self._place(c) if self.kind is None else and_(self._place(c), c.kind == self.kind)
        if rollup is not None and not self.category:
            return and_(place, c["category_code"] == rollup)
        return place if not self.category else and_(place, c["category_code"] == self.category)

    def _place(self, c: Any) -> ColumnElement[bool]:
        if self.level in LEVEL_COLUMN:
            cond: ColumnElement[bool] = c[LEVEL_COLUMN[self.level]] == self.code
        else:
            cond = c["county_code"].startswith(code_prefix(Level(self.level), self.code))
        return and_(cond, true())

    def places(self, table: Any, group_by: str | None = None) -> ColumnElement[bool]:
        """On the aggregate tables with place roll-ups (grassroots.cases.tallies.models): the
        scope's subtree, and of its rows only those holding the totals of the scope's level —
        or, grouped by a township_code / village_code, of that level. A city or province
        reads its counties' rows; a county its own row; each row is summed once."""
        c = table.c if hasattr(table, "c") else table
        level = _COLUMN_LEVEL.get(group_by or "", self.level)
        if level == "village":
            return and_(self._place(c), c["village_code"] != ALL_PLACES)
        if level == "township":
            marks = [c["township_code"] != ALL_PLACES, c["village_code"] == ALL_PLACES]
            return and_(self._place(c), *marks)
        return and_(self._place(c), c["township_code"] == ALL_PLACES)

    def child_column(self, table: Any) -> Any:
        c = table.c if hasattr(table, "c") else table
        child = self.child_level
        return c[group_column(child)] if child else None
