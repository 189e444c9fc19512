"""Every metric of DESIGN §5, defined once: numerator and denominator over named counters.

Counters come from the aggregate tables (grassroots.stats.aggregates) or, for checking, from
the recount (grassroots.stats.recount); docs/metrics.md explains each one in words.
"""

from __future__ import annotations

from dataclasses import dataclass

Counters = dict[str, int]


@dataclass(frozen=True)
class Metric:
    key: str
    name: str  # 中文名称
    numerator: str  # counter name
    denominator: str | None  # counter name; None = a plain count
    kind: str  # count / rate / average
    periodic: bool = True  # False: a snapshot "as of now" (no 同比/环比)


METRICS: tuple[Metric, ...] = (
    Metric("registered", "排查数", "registered", None, "count"),
    Metric("accepted", "受理数", "accepted", None, "count"),
    Metric("resolved", "化解数", "resolved", None, "count"),
    Metric("resolution_rate", "化解率", "resolved", "registered", "rate"),
    Metric("local_resolution_rate", "就地化解率", "resolved_village", "resolved", "rate"),
    Metric("village_share", "村级化解占比", "resolved_village", "resolved", "rate"),
    Metric("township_share", "乡镇级化解占比", "resolved_township", "resolved", "rate"),
    Metric("county_share", "县级化解占比", "resolved_county", "resolved", "rate"),
    Metric("beyond_county_share", "矛盾上交率", "escalated_beyond", "registered", "rate"),
    Metric("on_time_rate", "按期办结率", "on_time", "due", "rate"),
    Metric("satisfaction_rate", "满意率", "satisfied", "followed_up", "rate"),
    # The same question asked by the resident, not by staff (回访): its own source.
    Metric(
        "resident_satisfaction_rate",
        "群众评价满意率",
        "resident_satisfied",
        "resident_rated",
        "rate",
    ),
    Metric("overdue", "超期数", "overdue", None, "count", periodic=False),
    Metric("avg_duration", "平均办理时长（工作日）", "duration_days", "resolved", "average"),
    Metric("violence_prevented", "防止民转刑数", "violence_resolved", None, "count"),
    Metric(
        "violence_prevented_rate", "民转刑风险化解率", "violence_resolved", "violence_risk", "rate"
    ),
)
BY_KEY = {m.key: m for m in METRICS}


def value(metric: Metric, c: Counters) -> float | int | None:
    """The metric's value; None when its denominator is zero (shown as "—")."""
    num = c.get(metric.numerator, 0)
    if metric.denominator is None:
        return num
    den = c.get(metric.denominator, 0)
    if den == 0:
        return None
    return num / den


def values(c: Counters) -> dict[str, float | int | None]:
    return {m.key: value(m, c) for m in METRICS}


def change(metric: Metric, current: float | int | None, before: float | int | None) -> float | None:
    """同比/环比 change: relative change for counts and averages, points for rates."""
    if not metric.periodic or current is None or before is None:
        return None
    if metric.kind == "rate":
        return float(current) - float(before)
    if before == 0:
        return None
    return (float(current) - float(before)) / float(before)
