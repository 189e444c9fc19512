"""The work report's leads section (issue 17, Figures): "共接到举报、移送、转办的相关线索X件
… 已全部核查完毕，实现了…移交线索全面清零的目标", from the lead aggregates (lead_tally) of the
leads received in the period and the jurisdiction — and said only when it is true.

清零率 = leads verified and replied / leads received, per issuing body and overall; 清零
(全面清零) only at 100 %. The rate is floored to 0.1 % so that 99.96 % never reads "100.0%".
"""

from __future__ import annotations

import math

from grassroots.leads.reporting.figures import Figure, FiguresOut
from grassroots.reports.content.formatting import DASH, pct

SOURCE_NAMES = {
    "report": "举报",
    "transfer": "移送",
    "assigned": "上级交办",
    "patrol": "主动排查发现",
}


def clearance(f: Figure) -> str:
    """清零率 as text: floored, so only a cleared batch shows 100.0%."""
    if f.clearance_rate is None or not f.received:
        return DASH
    return f"{math.floor(1000 * f.replied / f.received) / 10:.1f}%"


def _sources(out: FiguresOut) -> str:
    parts = [f"{SOURCE_NAMES.get(g.key, g.key)}{g.figure.received}件"
             for g in out.by_source if g.figure.received]  # fmt: skip
    return f"（{'、'.join(parts)}）" if parts else ""


def _cleared(f: Figure, whose: str) -> str:
    if f.cleared_to_zero:
        return f"已全部核查完毕并反馈，实现了{whose}全面清零的目标"
    return f"尚有{f.received - f.replied}件未完成核查反馈，未实现{whose}全面清零"


def _bodies(out: FiguresOut) -> str:
    texts = [
        f"{g.key}交办、移送{g.figure.received}件，清零率{clearance(g.figure)}，"
        f"{'已清零' if g.figure.cleared_to_zero else '未清零'}"
        for g in out.by_issuing_body if g.figure.received
    ]  # fmt: skip
    return f"按来文单位分：{'；'.join(texts)}。" if texts else ""


def leads_text(out: FiguresOut, period_title: str, name: str) -> str:
    """The section's paragraph (the 核查 figures, then 清零 per issuing body and overall)."""
    f = out.overall
    if not f.received:
        return f"{period_title}{name}未接到举报、移送、转办的线索。"
    return (
        f"{period_title}{name}共接到举报、移送、转办的相关线索{f.received}件{_sources(out)}，"
        f"已核查{f.verified}件，核查中{f.verifying}件，其中超过核查期限{f.overdue}件；"
        f"经核查属实（含部分属实）{f.substantiated + f.partly}件，属实率"
        f"{pct(f.substantiation_rate)}；转为矛盾纠纷案件办理{f.to_case}件。"
        f"已核查并反馈{f.replied}件，清零率{clearance(f)}，{_cleared(f, '线索')}。"
        f"{_bodies(out)}"
    )
