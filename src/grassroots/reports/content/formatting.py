"""How figures are written in reports: never None, NaN or "XX" — "—" when undefined."""

from __future__ import annotations

import math

DASH = "—"


def pct(value: float | int | None) -> str:
    """0.8534 → "85.3%"; None (denominator zero) → "—"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    return f"{100 * float(value):.1f}%"


def number(value: float | int | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def count_change(change: float | None) -> str:
    """Relative change of a count: 增长12.5% / 下降3.0% / 持平 / 无可比数据."""
    if change is None:
        return "无可比数据"
    if abs(change) < 0.0005:
        return "持平"
    word = "增长" if change > 0 else "下降"
    return f"{word}{abs(100 * change):.1f}%"


def rate_change(change: float | None) -> str:
    """Change of a rate in percentage points: 上升2.1个百分点 / 下降… / 持平 / 无可比数据."""
    if change is None:
        return "无可比数据"
    if abs(change) < 0.0005:
        return "持平"
    word = "上升" if change > 0 else "下降"
    return f"{word}{abs(100 * change):.1f}个百分点"


def chinese_date(year: int, month: int, day: int) -> str:
    return f"{year}年{month}月{day}日"
