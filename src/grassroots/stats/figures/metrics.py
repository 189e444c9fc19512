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
    name: str  # 中文名称 (the assessing bodies' term; reports and the Excel sheets use it)
    numerator: str  # counter name
    denominator: str | None  # counter name; None = a plain count
    kind: str  # count / rate / average
    periodic: bool = True  # False: a snapshot "as of now" (no 同比/环比)
    name_en: str = ""  # the English pages' name

    def label(self, locale: str) -> str:
        """The name for a page in `locale` ("zh_CN" or "en")."""
        return self.name_en if locale == "en" and self.name_en else self.name


def _m(
    key: str, name: str, name_en: str, num: str, den: str | None, kind: str, periodic: bool = True
) -> Metric:
    return Metric(key, name, num, den, kind, periodic, name_en)


# fmt: off
METRICS: tuple[Metric, ...] = (
    _m("registered", "排查数", "Cases registered", "registered", None, "count"),
    _m("accepted", "受理数", "Cases accepted", "accepted", None, "count"),
    _m("resolved", "化解数", "Cases resolved", "resolved", None, "count"),
    _m("resolution_rate", "化解率", "Resolution rate", "resolved", "registered", "rate"),
    _m("local_resolution_rate", "就地化解率", "Resolved where they arose",
       "resolved_village", "resolved", "rate"),
    _m("village_share", "村级化解占比", "Share resolved by villages",
       "resolved_village", "resolved", "rate"),
    _m("township_share", "乡镇级化解占比", "Share resolved by townships",
       "resolved_township", "resolved", "rate"),
    _m("county_share", "县级化解占比", "Share resolved by the county",
       "resolved_county", "resolved", "rate"),
    _m("beyond_county_share", "矛盾上交率", "Escalated beyond the county",
       "escalated_beyond", "registered", "rate"),
    _m("on_time_rate", "按期办结率", "Closed on time", "on_time", "due", "rate"),
    _m("satisfaction_rate", "满意率", "Satisfaction (follow-up calls)",
       "satisfied", "followed_up", "rate"),
    # The same question asked by the resident, not by staff (回访): its own source.
    _m("resident_satisfaction_rate", "群众评价满意率", "Satisfaction (residents' ratings)",
       "resident_satisfied", "resident_rated", "rate"),
    _m("overdue", "超期数", "Overdue", "overdue", None, "count", periodic=False),
    _m("avg_duration", "平均办理时长（工作日）", "Average handling time (working days)",
       "duration_days", "resolved", "average"),
    _m("violence_prevented", "防止民转刑数", "Violence prevented",
       "violence_resolved", None, "count"),
    _m("violence_prevented_rate", "民转刑风险化解率", "Risks of violence resolved",
       "violence_resolved", "violence_risk", "rate"),
)
# fmt: on
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
