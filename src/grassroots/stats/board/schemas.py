"""The 统计看板's view as its URL names it, and the rows it shows."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from grassroots.geo.models import Jurisdiction
from grassroots.stats.periods import Period

KINDS = ("dispute", "request")
TREND_MONTHS = (12, 24)
DEFAULT_RATE = "resolution_rate"


@dataclass(frozen=True)
class BoardView:
    """What the board shows: every field is a query parameter, so a view can be bookmarked."""

    node: Jurisdiction
    period: Period
    category: str = ""
    kind: str = ""
    rate: str = DEFAULT_RATE  # the rate the table is ranked by and the map coloured by
    months: int = 12  # the trend's length

    def params(self) -> list[tuple[str, str]]:
        items = [
            ("jurisdiction", self.node.code), ("period", self.period.label),
            ("category", self.category), ("kind", self.kind), ("rate", self.rate),
            ("months", str(self.months)),
        ]  # fmt: skip
        return [(k, v) for k, v in items if v]

    def url(self, path: str = "/stats/board", code: str = "", **changes: str) -> str:
        """This view as a link (at the jurisdiction `code`, with other parameters changed)."""
        params = dict(self.params()) | ({"jurisdiction": code} if code else {}) | changes
        return f"{path}?{urlencode([(k, v) for k, v in params.items() if v])}"


@dataclass(frozen=True)
class FigureCard:
    key: str
    label: str  # msgid
    value: str
    href: str  # the list of the cases behind the figure ("" for none)
    tone: str = ""


@dataclass(frozen=True)
class RankRow:
    """One subordinate jurisdiction on the chosen rate, with its 环比/同比 change."""

    code: str
    name: str
    value: float | None
    mom: float | None
    yoy: float | None
    registered: int
    resolved: int
    href: str  # the same view one level down
