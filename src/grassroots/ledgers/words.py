"""The words ledgers use for outcomes, performance and follow-up, and the dictionary's
categories as written (纠纷类型 → case_category)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from grassroots.dictionary.models import Category
from grassroots.ledgers.sheets.headers import normalise

OUTCOME_WORDS = {
    "resolved": (
        "调解成功",
        "成功",
        "达成协议",
        "已调解",
        "调解结案",
        "化解",
        "已化解",
        "已解决",
        "解决",
        "调解达成协议",
        "调结",
    ),
    "terminated": (
        "调解不成",
        "调解不成功",
        "未达成协议",
        "不成功",
        "终止",
        "调解终止",
        "失败",
        "未调成",
        "调解未成功",
        "调解失败",
    ),
    "open": ("", "调解中", "正在调解", "未结", "在办", "办理中", "待调解"),
    "rejected": ("不予受理", "不受理", "未予受理", "未受理"),
}
OUTCOME_LABELS = {
    "resolved": "调解成功",
    "terminated": "调解不成功",
    "open": "调解中",
    "rejected": "不予受理",
}
PERFORMANCE_WORDS = {
    "performed": ("已履行", "履行完毕", "当场履行", "全部履行", "已全部履行", "履行"),
    "partly_performed": ("部分履行", "正在履行", "履行中"),
    "not_performed": ("未履行", "拒不履行", "没有履行"),
}
PERFORMANCE_LABELS = {
    "performed": "已履行",
    "partly_performed": "部分履行",
    "not_performed": "未履行",
}


def outcome_of(written: str, extra: Mapping[str, str]) -> str | None:
    key = normalise(written)
    if key in extra:
        return extra[key]
    for outcome, words in OUTCOME_WORDS.items():
        if key in words:
            return outcome
    if "受理" in key and any(w in key for w in ("不予", "不受", "未予", "未受")):
        return "rejected"
    if any(w in key for w in ("不成", "未达成", "终止", "失败", "未成功")):
        return "terminated"
    if any(w in key for w in ("成功", "达成", "化解", "解决")):
        return "resolved"
    return None


def performance_of(written: str) -> str | None:
    key = normalise(written)
    for performance, words in PERFORMANCE_WORDS.items():
        if key in words:
            return performance
    return None


def satisfaction_of(follow_up: str) -> str | None:
    if "不满意" in follow_up:
        return "unsatisfied"
    if "基本满意" in follow_up:
        return "basically_satisfied"
    return "satisfied" if "满意" in follow_up else None


def category_of(
    written: str, categories: Sequence[Category], extra: Mapping[str, str]
) -> str | None:
    """The active category a 纠纷类型 names: the mapping file, its code or name (with or
    without 纠纷/类), else the longest category name inside it (邻里纠纷 → 邻里)."""
    key = normalise(written)
    key = extra.get(key, key)
    bare = key.removesuffix("纠纷").removesuffix("类")
    for c in categories:
        if key in (c.code, c.name) or bare == c.name:
            return c.code
    inside = [c for c in categories if c.name and c.name in key]
    return max(inside, key=lambda c: len(c.name)).code if inside else None


SATISFACTION_LABELS = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "unsatisfied": "不满意",
}
