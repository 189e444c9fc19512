"""The work report's 边界 sentence (八、矛盾联调) and the Excel workbook's 联调 sheet on
hand-built meetings and hazards (tests/border/test_figures.py's March 2026): 青石镇 held one
meeting and settled one hazard, two still open; with nothing, the sentence says so plainly."""

from __future__ import annotations

from datetime import date

from grassroots.reports.render import render
from grassroots.scope import current_jurisdiction
from grassroots.stats.periods import parse_period
from tests.border.test_figures import built  # noqa: F401 (the fixture)
from tests.reports.read import docx_text, sheets

APRIL_FIRST = date(2026, 4, 1)


def _files(session, code: str) -> dict[str, bytes]:
    j = current_jurisdiction(session, code)
    assert j is not None
    return render(session, j, parse_period("2026-03"), ["docx", "xlsx"], today=APRIL_FIRST)


def test_the_section_and_the_sheet_state_meetings_and_hazards(built):  # noqa: F811
    files = _files(built, "990101002000")
    text = docx_text(files["docx"])
    section = text[text.index("八、矛盾联调") : text.index("九、存在的问题")]
    assert (
        "召开边界联席会议1次，防范化解边界不稳定隐患问题1起（达到化解或长期管控），"
        "期末仍在排查、防范化解或长期管控中的边界隐患2起" in section
    )
    rows = sheets(files["xlsx"])["联调"]
    assert rows["召开边界联席会议（次）"][0] == 1
    assert rows["防范化解边界不稳定隐患问题（起）"][0] == 1
    assert rows["期末在册边界隐患（起）"][0] == 2
    assert rows["参与联调数（件）"][0] == 0 and rows["联调化解数（件）"][0] == 0
    county = sheets(_files(built, "990101000000")["xlsx"])["联调"]
    assert county["召开边界联席会议（次）"][0] == 2 and county["期末在册边界隐患（起）"][0] == 3


def test_no_border_work_is_said_plainly(session):
    text = docx_text(_files(session, "990101003000")["docx"])
    assert "本期柳河镇未召开边界联席会议，无在册的边界不稳定隐患。" in text
