"""The work report's 联调 section (八、矛盾联调) on hand-built joint cases: 青石镇 led two
(one resolved) and took part in none; 柳河镇 took part in both; sections after it renumbered."""

from __future__ import annotations

from grassroots.calendar.today import china_today
from grassroots.reports.render import render
from grassroots.scope import current_jurisdiction
from grassroots.stats.periods import parse_period
from tests.joint.conftest import joint_case  # noqa: F401 (the fixture)
from tests.joint.test_figures import _resolve
from tests.reports.read import docx_text


def _text(session, code: str) -> str:
    j = current_jurisdiction(session, code)
    assert j is not None
    today = china_today()
    period = parse_period(f"{today.year}-{today.month:02d}")
    return docx_text(render(session, j, period, ["docx"], today=today)["docx"])


def test_the_section_states_led_and_joined_cases(client_as, session, joint_case):  # noqa: F811
    a, _b = joint_case(), joint_case()
    _resolve(client_as("zhao"), a)
    qingshi = _text(session, "990101002000")
    assert "八、矛盾联调" in qingshi and "九、存在的问题" in qingshi and "十、下一步工作" in qingshi
    assert (
        "主办联调案件2件（已计入上述排查、化解数），化解1件；参与其他区划主办的联调案件0件"
        in qingshi
    )
    liuhe = _text(session, "990101003000")
    assert "主办联调案件0件" in liuhe and "参与其他区划主办的联调案件2件，联调化解1件" in liuhe


def test_no_joint_case_is_said_plainly(session):
    assert "无跨区划、跨部门联合调处的矛盾纠纷" in _text(session, "990101003000")
