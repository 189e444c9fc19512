"""The work report's 联调 section (issue 19): the joint cases the jurisdiction led (主办, where
they happened; already in its ordinary figures) and those it took part in elsewhere (参与联调,
联调化解), from grassroots.joint.figures, and the 边界联席会议 and 边界隐患 of
grassroots.border.figures (definitions in docs/metrics.md, 联调 and 边界)."""

from __future__ import annotations

from grassroots.border.figures import BorderFigures
from grassroots.joint.figures import JointFigures


def joint_text(f: JointFigures, period_title: str, name: str) -> str:
    """The section's paragraph; says plainly when there was no joint case."""
    if not f.led and not f.joined:
        return f"{period_title}{name}无跨区划、跨部门联合调处的矛盾纠纷。"
    return (
        f"{period_title}{name}会同周边乡镇（街道）和相关部门开展矛盾联调，"
        f"主办联调案件{f.led}件（已计入上述排查、化解数），化解{f.led_resolved}件；"
        f"参与其他区划主办的联调案件{f.joined}件，联调化解{f.joined_resolved}件。"
    )


def border_text(f: BorderFigures, name: str) -> str:
    """边界联席会议 and 边界隐患, in the county report's own words (docs/metrics.md, 边界)."""
    if not f.meetings and not f.hazards_settled and not f.hazards_open:
        return f"本期{name}未召开边界联席会议，无在册的边界不稳定隐患。"
    return (
        f"本期{name}召开边界联席会议{f.meetings}次，防范化解边界不稳定隐患问题"
        f"{f.hazards_settled}起（达到化解或长期管控），期末仍在排查、防范化解或长期管控中的"
        f"边界隐患{f.hazards_open}起。"
    )
