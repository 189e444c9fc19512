"""Where a ledger row happened: a grid, from 网格编码 or from the row's coordinates (the grid
whose boundary holds the point), or the village from its (and its township's) names — the
jurisdiction tree's current names, its former names (rows closed by a rename) and the mapping
file's aliases — or a village named inside the 地点 text.

A village named without coordinates places the case in the village's grid when it has only
one; a village with several grids places the case at the village with no grid (never a
guessed grid), and the check reports it as a notice. Either way `by_village` says the ledger
named no grid; the village is what the figures of a mediation committee count by.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.cases.intake.actions import Place
from grassroots.geo.locate import locate_point
from grassroots.geo.models import Jurisdiction, Level
from grassroots.ledgers.sheets.headers import normalise
from grassroots.ledgers.sheets.values import CellError

_SUFFIX = re.compile(r"(村民委员会|居民委员会|村委会|居委会|社区|村|街道办事处|街道|镇|乡)$")


def _bare(name: str) -> str:
    return _SUFFIX.sub("", normalise(name)) or normalise(name)


@dataclass(frozen=True)
class Located:
    place: Place  # grid_id and grid_code None: at the village, no grid (several grids)
    by_village: bool  # from the village's name (the ledger named no grid, no coordinates)
    lat: float | None = None
    lng: float | None = None
    grids: int = 1  # how many grids the village has, when placed by its name

    @property
    def without_grid(self) -> bool:
        return self.place.grid_code is None


class Gazetteer:
    """The tree under `prefix` in memory: one query per import, not one per row."""

    def __init__(self, session: Session, prefix: str, aliases: Mapping[str, str]) -> None:
        county = select(Jurisdiction).where(
            Jurisdiction.code.startswith(prefix[:6], autoescape=True)
        )
        everything = list(session.scalars(county))  # the path up to the county included
        nodes = [n for n in everything if n.code.startswith(prefix)]
        self.current = {n.code: n for n in everything if n.valid_to is None}
        by_id = {n.id: n for n in everything}
        self.parent_code = {
            n.code: by_id[n.parent_id].code for n in self.current.values() if n.parent_id in by_id
        }
        self.grids: dict[str, list[str]] = defaultdict(list)
        for n in sorted(self.current.values(), key=lambda n: n.code):
            if n.level == Level.grid and n.code in self.parent_code and n.code.startswith(prefix):
                self.grids[self.parent_code[n.code]].append(n.code)
        self.villages: dict[str, set[str]] = defaultdict(set)  # bare name → village codes
        for n in nodes:  # former names too: a renamed village keeps its code
            if n.level == Level.village and n.code in self.current:
                self.villages[_bare(n.name)].add(n.code)
        self.session, self.prefix = session, prefix
        self.aliases = {normalise(k): v for k, v in aliases.items()}

    def _codes(self, code: str) -> dict[str, str]:
        codes = {}
        while code in self.current:
            codes[self.current[code].level] = code
            code = self.parent_code.get(code, "")
        return codes

    def _place(self, grid_code: str, by_village: bool, grids: int = 1) -> Located:
        grid = self.current[grid_code]
        return Located(Place(grid.id, grid.code, self._codes(grid_code)), by_village, grids=grids)

    def by_grid(self, code: str) -> Located:
        node = self.current.get(code.strip())
        if node is None or not node.code.startswith(self.prefix) or node.level != Level.grid:
            raise CellError("网格编码不存在（或不在本辖区内）", code)
        return self._place(node.code, False)

    def by_point(self, lat: float, lng: float, village: str, township: str) -> Located:
        """The grid holding (lat, lng); it must lie in the named village, if one is named."""
        found = locate_point(self.session, lat, lng)
        shown = f"{lat:g}, {lng:g}"
        if found is None or not found.grid_code.startswith(self.prefix):
            raise CellError("坐标不在本辖区的任何网格内", shown)
        if village and found.village_code not in self._village_codes(village, township):
            raise CellError("坐标所在的网格不属于所填的村（社区）", shown)
        located = self._place(found.grid_code, False)
        return Located(located.place, False, lat, lng)

    def _village_codes(self, village: str, township: str) -> set[str]:
        name = self.aliases.get(normalise(village), village)
        codes = set(self.villages.get(_bare(name), set()))
        if township and len(codes) > 1:
            town = _bare(self.aliases.get(normalise(township), township))
            codes = {c for c in codes if _bare(self.current[self.parent_code[c]].name) == town}
        return codes

    def by_names(self, village: str, township: str, address: str) -> Located:
        if not village:
            return self._in_text(address, township)
        codes = self._village_codes(village, township)
        if not codes:
            raise CellError(
                "未知的村（社区）：不在本辖区的区划中，可在映射文件 [places] 中写别名", village
            )
        if len(codes) > 1:
            raise CellError("村（社区）名称重名，请填写乡镇（街道）加以区分", village)
        return self._at_village(codes.pop(), village)

    def _in_text(self, address: str, township: str) -> Located:
        text = normalise(address)
        found = {c for bare, codes in self.villages.items() if bare and bare in text for c in codes}
        if len(found) != 1:
            raise CellError("无法定位：请填写村（社区）名称或网格编码", address or township)
        return self._at_village(found.pop(), address)

    def _at_village(self, village_code: str, shown: str) -> Located:
        """The village's only grid, or the village itself when it has several."""
        grids = self.grids.get(village_code)
        if not grids:
            raise CellError("该村（社区）下没有网格，无法定位", shown)
        if len(grids) == 1:
            return self._place(grids[0], True)
        village = self.current[village_code]  # no grid: never a guessed one
        place = Place(cast(int, None), cast(str, None), self._codes(village.code))
        return Located(place, True, grids=len(grids))
