"""Which cases a statistic covers: a jurisdiction subtree, optionally one category and one
kind (矛盾纠纷 / 诉求)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, true

from grassroots.geo.models import Level, code_prefix

# The column of the case (and of each aggregate table) that holds the code at each level.
LEVEL_COLUMN = {
    "county": "county_code",
    "township": "township_code",
    "village": "village_code",
    "grid": "grid_code",  # only the tables that carry it: cases, stats_grid, stats_rounds
}
CHILD_LEVEL = {"county": "township", "township": "village"}


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

    def child_column(self, table: Any) -> Any:
        c = table.c if hasattr(table, "c") else table
        child = self.child_level
        return c[LEVEL_COLUMN[child]] if child else None
