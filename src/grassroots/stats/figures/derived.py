"""Figures whose definition is a deployment setting (GRASSROOTS_*, grassroots.config), and the
rules for comparing a period with its bases. docs/metrics.md states each one and its source.

- 就地化解率 (GRASSROOTS_LOCAL_RESOLUTION_SCOPE): resolved at village level (default, 小事不出村),
  at village or township level (township), or anywhere in the county (county), over all
  resolved. The report prints the definition used next to the figure.
- 同比/环比 (GRASSROOTS_GO_LIVE_DATE): no comparison with a base period that begins before the
  deployment went live ("无可比数据"); where 环比's base is the same as 同比's (a year, or any
  run of 12 months) 环比 is dropped; a period still running is marked "截至X月X日".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from grassroots.config import Settings, get_settings
from grassroots.stats.figures.metrics import Counters, values
from grassroots.stats.periods import Period

Values = dict[str, float | int | None]

# 就地化解率's numerator: the levels that count as "on the spot", by setting.
LOCAL_LEVELS: dict[str, tuple[str, ...]] = {
    "village": ("village",),
    "township": ("village", "township"),
    "county": ("village", "township", "county"),
}
LOCAL_DEFINITIONS: dict[str, str] = {
    "village": "在村（社区）一级化解的件数占化解总数的比例",
    "township": "在村（社区）、乡镇（街道）两级化解的件数占化解总数的比例",
    "county": "在县域内（村、乡镇、县三级）化解的件数占化解总数的比例",
}


@dataclass(frozen=True)
class Rules:
    """The settings the derived figures follow, read once per dashboard or report."""

    terminated_concluded: bool = True
    go_live: date | None = None
    local_scope: str = "village"
    mass_min_people: int = 5

    @classmethod
    def of(cls, settings: Settings | None = None) -> Rules:
        s = settings or get_settings()
        return cls(
            terminated_concluded=s.terminated_counts_as_concluded,
            go_live=s.go_live_date,
            local_scope=s.local_resolution_scope,
            mass_min_people=s.mass_dispute_min_people,
        )

    @property
    def local_definition(self) -> str:
        return LOCAL_DEFINITIONS[self.local_scope]


def local_resolution_rate(c: Counters, rules: Rules) -> float | None:
    """就地化解率 = resolved at the setting's levels / resolved; None when nothing resolved."""
    resolved = c.get("resolved", 0)
    if resolved == 0:
        return None
    local = sum(c.get(f"resolved_{level}", 0) for level in LOCAL_LEVELS[rules.local_scope])
    return local / resolved


def on_time_concluded(c: Counters, rules: Rules) -> int:
    """按期办结件数: resolved by the deadline, plus 调解终止 by the deadline (the parties told
    their legal routes) when GRASSROOTS_TERMINATED_COUNTS_AS_CONCLUDED; either with no
    earlier deadline missed (stats_due.on_time, on_time_terminated)."""
    extra = c.get("on_time_terminated", 0) if rules.terminated_concluded else 0
    return c.get("on_time", 0) + extra


def on_time_rate(c: Counters, rules: Rules) -> float | None:
    """按期办结率 = 按期办结件数 / deadlines of the period settled by the day of the figures."""
    due = c.get("due", 0)
    return on_time_concluded(c, rules) / due if due else None


def derived_values(c: Counters, rules: Rules) -> Values:
    """metrics.values with the setting-dependent definitions applied."""
    out = values(c)
    out["local_resolution_rate"] = local_resolution_rate(c, rules)
    out["on_time_rate"] = on_time_rate(c, rules)
    return out


def comparable(base: Period, rules: Rules) -> bool:
    """A base period is compared with only if it began on or after the go-live day."""
    return rules.go_live is None or base.first >= rules.go_live


def has_mom(period: Period) -> bool:
    """环比 is dropped where its base is the same as 同比's (a year, any 12 months)."""
    return period.previous() != period.year_ago()


def running(period: Period, today: date) -> bool:
    """The period has not ended on `today`: its figures are 截至 today."""
    return period.first <= today <= period.end


CONCLUDED_DEFINITIONS: dict[bool, str] = {
    True: "化解的件数，加上在办理期限内调解终止并已告知当事人其他法律途径的件数",
    False: "化解的件数（调解终止不计入）",
}


def concluded(f: Counters, rules: Rules) -> int:
    """办结数 of stats_figures counters: resolved, plus 调解终止 within the deadline (the
    parties told their legal routes) when GRASSROOTS_TERMINATED_COUNTS_AS_CONCLUDED."""
    extra = f.get("terminated_in_time", 0) if rules.terminated_concluded else 0
    return f.get("resolved", 0) + extra


def satisfaction_by_outcome(f: Counters) -> dict[str, tuple[int, int, float | None]]:
    """满意率 per outcome (resolved, terminated, rejected): (followed up, satisfied, rate)."""
    out = {}
    for o in ("resolved", "terminated", "rejected"):
        n, ok = f.get(f"followed_up_{o}", 0), f.get(f"satisfied_{o}", 0)
        out[o] = (n, ok, ok / n if n else None)
    return out
