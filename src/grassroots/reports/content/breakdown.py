"""The report's figures from stats_figures (grassroots.cases.tallies.figures): disputes and
requests apart, 在办, 调解终止, 不予受理, 办结, 协议涉及金额, 群体性纠纷, the split by source and
满意率 by outcome (issue 15, items 3, 4, 9, 10). docs/metrics.md states each definition."""

from __future__ import annotations

from typing import Any

from grassroots.reports.content.data import KIND_NAMES, KINDS, ReportData, Row
from grassroots.reports.content.formatting import pct
from grassroots.stats.figures.derived import (
    CONCLUDED_DEFINITIONS,
    concluded,
    satisfaction_by_outcome,
)

# name → (说明, 示例)
BREAKDOWN_PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "disputes_registered": ("排查矛盾纠纷数（不含诉求）", "1016"),
    "requests_registered": ("群众诉求数", "129"),
    "disputes_resolved": ("矛盾纠纷化解数", "950"),
    "requests_resolved": ("诉求办理完成数", "120"),
    "pending": ("本期登记、截至统计日仍在办的件数", "40"),
    "terminated": ("调解终止件数（均已告知当事人其他法律途径）", "12"),
    "terminated_in_time": ("其中在办理期限内终止的件数", "10"),
    "rejected": ("不予受理、导入其他途径件数", "8"),
    "concluded": ("办结数", "1080"),
    "concluded_definition": (
        "办结数口径（设置 GRASSROOTS_TERMINATED_COUNTS_AS_CONCLUDED）",
        "化解的件数，加上在办理期限内调解终止并已告知当事人其他法律途径的件数",
    ),
    "agreement_amount": ("化解案件涉及金额（元）", "1234567.00"),
    "mass_disputes": ("群体性纠纷件数", "6"),
    "mass_min_people": ("群体性纠纷的人数下限（设置 GRASSROOTS_MASS_DISPUTE_MIN_PEOPLE）", "5"),
    "sources_text": (
        "按来源分一段话",
        "主动排查800件，当事人申请250件，委托移送60件，12345热线35件",
    ),
    "kinds_text": (
        "矛盾纠纷与群众诉求分别的化解率、按期办结率、满意率一段话",
        "矛盾纠纷排查1016件，化解950件，化解率93.5%，按期办结率95.0%，满意率98.0%；"
        "群众诉求受理129件，办理完成120件，办结率93.0%，按期办结率96.0%，满意率97.0%",
    ),
    "categories_by_kind_text": (
        "矛盾纠纷、群众诉求各自的主要类别一段话",
        "矛盾纠纷中较多的是邻里类300件、婚姻家庭类200件；群众诉求中较多的是……",
    ),
    "orders_text": (
        "12345工单退单、改派一段话（按操作日期计）",
        "12345工单退单3件，改派4次（涉及工单3件）",
    ),
    "satisfaction_by_outcome_text": (
        "按结果分的满意率一段话",
        "化解案件回访900件、满意率98.0%；调解终止回访10件、满意率60.0%；……",
    ),
}

# The Ministry's forms count sources in these groups; a source not listed counts as 其他.
SOURCE_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("主动排查", frozenset({"grid_patrol", "round_found"})),  # round_found: 主动排查发现
    ("当事人申请", frozenset({"visit", "phone", "online", "open311"})),
    ("委托移送", frozenset({"police_transfer", "court_entrusted", "superior_assigned"})),
    ("12345热线", frozenset({"hotline_12345"})),
)
OUTCOME_NAMES = {"resolved": "化解案件", "terminated": "调解终止案件", "rejected": "不予受理案件"}


def source_groups(by_source: dict[str, dict[str, int]]) -> list[tuple[str, int]]:
    """(group name, cases registered) for the groups with any case; 其他 last."""
    counts = {name: 0 for name, _ in SOURCE_GROUPS} | {"其他": 0}
    for code, c in by_source.items():
        group = next((name for name, codes in SOURCE_GROUPS if code in codes), "其他")
        counts[group] += c.get("registered", 0)
    return [(name, n) for name, n in counts.items() if n]


def _sources_text(data: ReportData) -> str:
    groups = source_groups(data.by_source)
    return "，".join(f"{name}{n}件" for name, n in groups) if groups else "无"


def _satisfaction_text(f: dict[str, int]) -> str:
    parts = [
        f"{OUTCOME_NAMES[o]}回访{n}件、满意率{pct(rate)}"
        for o, (n, _, rate) in satisfaction_by_outcome(f).items()
    ]
    return "；".join(parts)


def _kind_text(name: str, r: Row) -> str:
    c, v = r.counters, r.values
    done = "化解" if name == "矛盾纠纷" else "办理完成"
    return (
        f"{name}{c.get('registered', 0)}件，{done}{c.get('resolved', 0)}件，"
        f"{'化解率' if done == '化解' else '办结率'}{pct(v['resolution_rate'])}，"
        f"按期办结率{pct(v['on_time_rate'])}，满意率{pct(v['satisfaction_rate'])}"
    )


def _kinds_text(data: ReportData) -> str:
    return "；".join(_kind_text(KIND_NAMES[k], r) for k, r in zip(KINDS, data.kinds, strict=True))


def _categories_by_kind_text(data: ReportData, limit: int = 3) -> str:
    parts = []
    for kind in KINDS:
        top = data.categories_by_kind.get(kind, [])[:limit]
        listed = "、".join(f"{c.name}类{c.counters['registered']}件" for c in top) or "无"
        parts.append(f"{KIND_NAMES[kind]}中较多的是{listed}")
    return "；".join(parts)


def _orders_text(o: dict[str, int]) -> str:
    return (
        f"12345工单退单{o.get('returned', 0)}件，改派{o.get('reassigned', 0)}次"
        f"（涉及工单{o.get('reassigned_orders', 0)}件）"
    )


def breakdown(data: ReportData) -> dict[str, Any]:
    f, kinds, rules = data.figures, data.by_kind, data.dashboard.rules
    out: dict[str, Any] = {
        "disputes_registered": kinds.get("dispute", {}).get("registered", 0),
        "requests_registered": kinds.get("request", {}).get("registered", 0),
        "disputes_resolved": kinds.get("dispute", {}).get("resolved", 0),
        "requests_resolved": kinds.get("request", {}).get("resolved", 0),
        "concluded": concluded(f, rules),
        "concluded_definition": CONCLUDED_DEFINITIONS[rules.terminated_concluded],
        "agreement_amount": f"{f.get('amount_fen', 0) / 100:.2f}",
        "mass_disputes": f.get("mass", 0),
        "mass_min_people": rules.mass_min_people,
        "sources_text": _sources_text(data),
        "satisfaction_by_outcome_text": _satisfaction_text(f),
        "kinds_text": _kinds_text(data),
        "categories_by_kind_text": _categories_by_kind_text(data),
        "orders_text": _orders_text(data.orders),
    }
    for name in ("pending", "terminated", "terminated_in_time", "rejected"):
        out[name] = f.get(name, 0)
    return {k: str(v) for k, v in out.items()}
