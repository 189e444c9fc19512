"""The work report's leads section, on hand-built leads with the figures worked out by hand:
the leads received in the period and the county, 清零率 per issuing body and overall, and
"全面清零" said only at 100 % — in the Word report and the Excel 线索 sheet."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from grassroots.db import transaction
from grassroots.leads.models import Lead
from grassroots.leads.reporting.figures import Figure
from grassroots.reports.content.leads import clearance
from grassroots.reports.render import render
from grassroots.scope import current_jurisdiction
from grassroots.stats.periods import parse_period
from tests.reports.read import docx_text, sheets

TOWNSHIP = "990101002000"
CITY, PROVINCE = "市扫黑办", "省督导组"
TODAY = date(2026, 10, 20)


def _lead(n: int, received: date, state: str, body: str = "", finding: str | None = None) -> Lead:
    return Lead(
        code=f"XS990101-{received.year}-9{n:04d}", source="assigned" if body else "report",
        issuing_body=body, batch="第3批" if body else "", category_code="organised_crime",
        title=f"手工线索{n}", jurisdiction_code=TOWNSHIP, received_on=received,
        due_on=date(2026, 9, 30), due_basis="issuer", state=state, finding=finding,
    )  # fmt: skip


def _build(session: Session) -> None:
    """In 2026-Q3: CITY 2 (both replied), PROVINCE 1 (verified, not replied), a report 1
    (received, overdue since 30 September). Outside it: one in October, one in June."""
    with transaction(session):
        session.add_all([
            _lead(1, date(2026, 7, 10), "replied", CITY, "unfounded"),
            _lead(2, date(2026, 8, 1), "closed", CITY, "substantiated"),
            _lead(3, date(2026, 9, 5), "verified", PROVINCE, "partly"),
            _lead(4, date(2026, 9, 20), "received"),
            _lead(5, date(2026, 10, 2), "replied", PROVINCE, "unfounded"),
            _lead(6, date(2026, 6, 30), "received", PROVINCE),
        ])  # fmt: skip


def _report(session: Session, period: str) -> dict[str, Any]:
    j = current_jurisdiction(session, "990101000000")
    assert j is not None
    return render(session, j, parse_period(period), ["docx", "xlsx"], today=TODAY)


def test_the_section_states_the_figures_and_no_clearance_it_did_not_reach(session: Session):
    _build(session)
    files = _report(session, "2026-Q3")
    text = docx_text(files["docx"])
    assert "七、线索核查" in text
    assert "共接到举报、移送、转办的相关线索4件（上级交办3件、举报1件）" in text
    assert "已核查3件，核查中1件，其中超过核查期限1件" in text
    assert "属实（含部分属实）2件，属实率66.7%" in text
    assert "已核查并反馈2件，清零率50.0%，尚有2件未完成核查反馈，未实现线索全面清零" in text
    assert f"{CITY}交办、移送2件，清零率100.0%，已清零" in text
    assert f"{PROVINCE}交办、移送1件，清零率0.0%，未清零" in text
    assert "实现了线索全面清零" not in text
    sheet = sheets(files["xlsx"])["线索"]
    assert sheet[CITY] == [2, 2, 0, "—", 1, 0, 2, 1.0, "是"]
    assert sheet[PROVINCE] == [1, 1, 0, "—", 1, 0, 0, 0.0, "否"]
    assert sheet["合计（含举报、主动排查发现）"] == [4, 3, 1, 1, 2, 0, 2, 0.5, "否"]


def test_a_period_cleared_to_zero_says_so(session: Session):
    _build(session)
    text = docx_text(_report(session, "2026-07")["docx"])  # July: CITY's one lead, replied
    assert "共接到举报、移送、转办的相关线索1件" in text
    assert "清零率100.0%，已全部核查完毕并反馈，实现了线索全面清零的目标" in text
    empty = docx_text(_report(session, "2026-01")["docx"])
    assert "未接到举报、移送、转办的线索" in empty


def test_the_rate_is_floored_so_only_a_cleared_batch_reads_100() -> None:
    assert clearance(Figure(received=10000, replied=9999, clearance_rate=0.9999)) == "99.9%"
    assert clearance(Figure(received=3, replied=3, clearance_rate=1.0)) == "100.0%"
    assert clearance(Figure()) == "—"
