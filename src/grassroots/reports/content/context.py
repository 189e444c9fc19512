"""The placeholders a report template may use, and their values for one report.

PLACEHOLDERS is the documented list (docs/reports.md shows it with examples) and LIST_FIELDS
the fields of the two lists; a template naming anything else is refused with the unknown
name (grassroots.reports.office.template_rules).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grassroots.reports.content.breakdown import BREAKDOWN_PLACEHOLDERS, breakdown
from grassroots.reports.content.charts import NO_FONT_NOTE, bar_chart, cjk_font, pie_chart
from grassroots.reports.content.data import LEVEL_NAMES, LEVELS, ReportData, Row
from grassroots.reports.content.formatting import (
    chinese_date,
    count_change,
    number,
    pct,
    rate_change,
)
from grassroots.reports.content.joint import border_text, joint_text
from grassroots.reports.content.leads import leads_text
from grassroots.reports.office.excel import attachment_title
from grassroots.stats.figures.derived import comparable, on_time_concluded
from grassroots.stats.figures.metrics import BY_KEY
from grassroots.stats.queries import Dashboard

NOT_APPLICABLE = "不适用（同同比）"

# name → (说明, 示例)
PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "jurisdiction_name": ("区划名称", "示范县"),
    "jurisdiction_code": ("区划代码", "990101000000"),
    "period_title": ("统计期间（中文）", "2026年第三季度"),
    "period_label": ("统计期间（代码）", "2026-Q3"),
    "as_of": ("统计截止日期（超期数的口径日）", "2026年10月8日"),
    "generated_date": ("成文日期", "2026年10月8日"),
    "author_unit": ("发文机关（标题中与落款）", "示范县综治中心"),
    "recipient": ("主送机关（上一级区划的综治中心）", "示范市综治中心"),
    "attachment_title": (
        "附件名称（Excel 统计表）",
        "示范县矛盾纠纷排查化解情况统计表（2026年第三季度）",
    ),
    "child_level_name": ("下级区划称谓", "乡镇（街道）"),
    "registered": ("排查数", "1234"),
    "accepted": ("受理数", "1200"),
    "resolved": ("化解数", "1100"),
    "resolution_rate": ("化解率", "89.1%"),
    "registered_yoy": ("排查数同比", "增长12.5%"),
    "registered_mom": ("排查数环比", "下降3.0%"),
    "resolved_yoy": ("化解数同比", "增长8.0%"),
    "resolved_mom": ("化解数环比", "持平"),
    "resolution_rate_yoy": ("化解率同比", "上升2.1个百分点"),
    "resolution_rate_mom": ("化解率环比", "无可比数据"),
    "registered_change": ("排查数同比、环比（年度只有同比）", "同比增长12.5%，环比下降3.0%"),
    "resolved_change": ("化解数同比、环比（年度只有同比）", "同比增长8.0%，环比持平"),
    "resolution_rate_change": ("化解率同比、环比（年度只有同比）", "同比上升2.1个百分点"),
    "period_note": ("期间未结束时的截止说明，否则为空", "（截至12月4日）"),
    "leads_text": (
        "线索核查与清零情况（本期接收的线索，按来文单位的清零率）",
        "2026年第三季度示范县共接到举报、移送、转办的相关线索12件……实现了线索全面清零的目标。",
    ),
    "joint_text": (
        "矛盾联调情况（本期登记的联调案件：主办、参与联调、联调化解）",
        "2026年第三季度示范县会同周边乡镇（街道）和相关部门开展矛盾联调，主办联调案件3件……",
    ),
    "border_text": (
        "边界联席会议与边界隐患（本期召开次数，达到化解或长期管控的隐患，期末在册隐患）",
        "本期示范县召开边界联席会议8次，防范化解边界不稳定隐患问题3起……",
    ),
    "comparison_note": (
        "同比、环比的说明（系统启用日、年度不列环比），无则为空",
        "系统自2025年11月5日启用，基期早于启用日的不作比较（无可比数据）。",
    ),
    "local_resolution_definition": (
        "就地化解率口径（设置 GRASSROOTS_LOCAL_RESOLUTION_SCOPE）",
        "在村（社区）一级化解的件数占化解总数的比例",
    ),
    "avg_duration": ("平均办理时长（工作日）", "7.4"),
    "resolved_village": ("村级化解数", "700"),
    "resolved_township": ("乡镇级化解数", "300"),
    "resolved_county": ("县级化解数", "90"),
    "resolved_city": ("县以上化解数", "10"),
    "village_share": ("村级化解占比", "63.6%"),
    "township_share": ("乡镇级化解占比", "27.3%"),
    "county_share": ("县级化解占比", "8.2%"),
    "local_resolution_rate": ("就地化解率", "63.6%"),
    "escalated_beyond": ("上报至县以上件数", "12"),
    "beyond_county_share": ("矛盾上交率", "1.0%"),
    "due": ("本期到期件数", "1000"),
    "on_time": ("按期办结件数", "950"),
    "on_time_rate": ("按期办结率", "95.0%"),
    "overdue": ("超期未办结件数（截至 overdue_as_of：已结束的期间为期末日，否则为今天）", "8"),
    "overdue_as_of": ("超期数的口径日：已结束的期间为其最后一天，否则为统计日", "2026年9月30日"),
    "overdue_today_note": ("已结束的期间另列今天的超期数，否则为空", "（截至12月4日为5件）"),
    "followed_up": ("回访件数", "900"),
    "satisfied": ("满意（含基本满意）件数", "880"),
    "satisfaction_rate": ("满意率", "97.8%"),
    "resident_rated": ("群众评价件数（群众通过查询码自评，与回访分列）", "120"),
    "resident_satisfied": ("群众评价满意（含基本满意）件数", "110"),
    "resident_satisfaction_rate": ("群众评价满意率", "91.7%"),
    "violence_risk": ("民转刑风险纠纷数", "15"),
    "violence_prevented": ("防止民转刑数（风险纠纷已化解）", "14"),
    "violence_prevented_rate": ("民转刑风险化解率", "93.3%"),
    "top_categories_text": ("主要纠纷类型一段话", "排在前三位的是邻里纠纷300件……"),
    "top_categories": (
        "主要类型列表：name, count, share, yoy, mom",
        "{% for c in top_categories %}",
    ),
    "rows": (
        "下级区划统计表各行：name, registered, resolved, resolution_rate, "
        "local_resolution_rate, overdue（最后一行为合计）",
        "{%tr for r in rows %}",
    ),
    "chart_categories": ("图：纠纷类型分布（图片）", "{{ chart_categories }}"),
    "chart_levels": ("图：分级化解占比（图片）", "{{ chart_levels }}"),
    "charts_note": ("图表说明（缺少中文字体时提示，否则为空）", ""),
    **BREAKDOWN_PLACEHOLDERS,
}

# The documented lists and the fields of their items (`{% for c in top_categories %}{{ c.name }}`).
LIST_FIELDS: dict[str, frozenset[str]] = {
    "top_categories": frozenset({"name", "count", "share", "yoy", "mom"}),
    "rows": frozenset(
        {"name", "registered", "resolved", "resolution_rate", "local_resolution_rate", "overdue"}
    ),
}
# Pictures (docxtpl InlineImage, or "" without a Chinese font): no filter applies to them.
CHART_PLACEHOLDERS = frozenset({"chart_categories", "chart_levels"})

CHILD_LEVEL_NAMES = {"county": "乡镇（街道）", "township": "村（社区）"}


def _row(r: Row) -> dict[str, str]:
    v = r.values
    return {
        "name": r.name,
        "registered": str(r.counters.get("registered", 0)),
        "resolved": str(r.counters.get("resolved", 0)),
        "resolution_rate": pct(v["resolution_rate"]),
        "local_resolution_rate": pct(v["local_resolution_rate"]),
        "overdue": str(r.counters.get("overdue", 0)),
    }


def _top_categories(data: ReportData, limit: int = 5) -> list[dict[str, str]]:
    total = data.dashboard.counters.get("registered", 0)
    out = []
    for c in data.categories[:limit]:
        n = c.counters["registered"]
        out.append(
            {
                "name": c.name,
                "count": str(n),
                "share": pct(n / total if total else None),
                "yoy": count_change(c.yoy),
                "mom": count_change(c.mom) if data.dashboard.mom_applies else NOT_APPLICABLE,
            }
        )
    return out


def _top_text(top: list[dict[str, str]]) -> str:
    if not top:
        return "本期未排查到矛盾纠纷。"
    parts = [f"{c['name']}纠纷{c['count']}件（占{c['share']}，同比{c['yoy']}）" for c in top]
    return f"排在前{len(top)}位的依次是：" + "；".join(parts) + "。"


def _changes(d: Dashboard, key: str, fmt: Callable[[float | None], str]) -> str:
    """ "同比…，环比…"; 环比 left out where its base is 同比's (a year)."""
    text = f"同比{fmt(d.yoy[key])}"
    return f"{text}，环比{fmt(d.mom[key])}" if d.mom_applies else text


def _mom(d: Dashboard, key: str, fmt: Callable[[float | None], str]) -> str:
    return fmt(d.mom[key]) if d.mom_applies else NOT_APPLICABLE


def _period_note(d: Dashboard) -> str:
    return f"（截至{d.today.month}月{d.today.day}日）" if d.running else ""


def _comparison_note(d: Dashboard) -> str:
    notes = []
    live = d.rules.go_live
    if live is not None and not comparable(d.period.year_ago(), d.rules):
        when = chinese_date(live.year, live.month, live.day)
        notes.append(f"系统自{when}启用，基期早于启用日的不作比较（无可比数据）")
    if not d.mom_applies:
        notes.append("年度数据环比与同比基期相同，只列同比")
    return "；".join(notes) + "。" if notes else ""


def _comparisons(d: Dashboard) -> dict[str, str]:
    out = {
        "period_note": _period_note(d),
        "comparison_note": _comparison_note(d),
        "local_resolution_definition": d.rules.local_definition,
    }
    for key in ("registered", "resolved", "resolution_rate"):
        fmt = rate_change if BY_KEY[key].kind == "rate" else count_change
        out[f"{key}_yoy"] = fmt(d.yoy[key])
        out[f"{key}_mom"] = _mom(d, key, fmt)
        out[f"{key}_change"] = _changes(d, key, fmt)
    return out


def _overdue_texts(d: Dashboard) -> dict[str, str]:
    """超期 of a past period is counted at its last day (stats.aggregates.counters), with
    today's count beside it (issue 15 item 6); a running period's is today's."""
    today, end = d.today, d.period.end
    if end >= today:
        return {"overdue_as_of": chinese_date(today.year, today.month, today.day),
                "overdue_today_note": ""}  # fmt: skip
    now = d.counters.get("overdue_today", 0)
    return {
        "overdue_as_of": chinese_date(end.year, end.month, end.day),
        "overdue_today_note": f"（截至{today.month}月{today.day}日为{now}件）",
    }


def figures(data: ReportData) -> dict[str, Any]:
    """Every placeholder's value as text (charts are added by the renderer)."""
    d, c, v = data.dashboard, data.dashboard.counters, data.dashboard.values
    j, today = data.jurisdiction, d.today
    top = _top_categories(data)
    out: dict[str, Any] = {
        "jurisdiction_name": j.name,
        "jurisdiction_code": j.code,
        "period_title": d.period.title_zh,
        "period_label": d.period.label,
        "as_of": chinese_date(today.year, today.month, today.day),
        "generated_date": chinese_date(today.year, today.month, today.day),
        "author_unit": f"{j.name}综治中心",
        "recipient": f"{j.parent.name}综治中心" if j.parent is not None else "上级综治中心",
        "attachment_title": attachment_title(data),
        "child_level_name": CHILD_LEVEL_NAMES.get(j.level, "单位"),
        "avg_duration": number(v["avg_duration"]),
        **_comparisons(d),
        "violence_prevented": str(c.get("violence_resolved", 0)),
        "top_categories": top,
        "top_categories_text": _top_text(top),
        "rows": [_row(r) for r in data.rows],
        "charts_note": "" if cjk_font() else NO_FONT_NOTE,
        **breakdown(data),
        **_overdue_texts(d),
        "leads_text": leads_text(data.leads, d.period.title_zh, j.name) if data.leads else "",
        "joint_text": joint_text(data.joint, d.period.title_zh, j.name) if data.joint else "",
        "border_text": border_text(data.border, j.name) if data.border else "",
    }
    for name in (
        "registered",
        "accepted",
        "resolved",
        "due",
        "on_time",
        "overdue",
        "followed_up",
        "satisfied",
        "resident_rated",
        "resident_satisfied",
        "violence_risk",
        "escalated_beyond",
        *(f"resolved_{lv}" for lv in LEVELS),
    ):
        out[name] = str(c.get(name, 0))
    out["on_time"] = str(on_time_concluded(c, d.rules))  # with 调解终止 in time, by setting
    for name in (
        "resolution_rate",
        "village_share",
        "township_share",
        "county_share",
        "local_resolution_rate",
        "beyond_county_share",
        "on_time_rate",
        "satisfaction_rate",
        "resident_satisfaction_rate",
        "violence_prevented_rate",
    ):
        out[name] = pct(v[name])
    return out


def chart_pngs(data: ReportData) -> dict[str, bytes | None]:
    cats = data.categories[:10]
    c = data.dashboard.counters
    return {
        "chart_categories": bar_chart(
            "纠纷类型分布（件）", [x.name for x in cats], [x.counters["registered"] for x in cats]
        ),
        "chart_levels": pie_chart(
            "分级化解占比",
            [LEVEL_NAMES[lv] for lv in LEVELS],
            [c.get(f"resolved_{lv}", 0) for lv in LEVELS],
        ),
    }
