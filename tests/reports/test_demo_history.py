"""The report over clock's demo history (scaled down): figures equal an independent count."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from grassroots.demo.build import county_of
from grassroots.demo.county import build_tree
from grassroots.demo.history.cases import build_history
from grassroots.reports.render import render
from grassroots.scope import current_jurisdiction
from grassroots.stats.periods import parse_period
from tests.reports.independent import count
from tests.reports.read import BAD_TEXT, docx_text, one, sheets

TODAY = date(2026, 10, 15)


@pytest.mark.slow
def test_report_on_the_demo_history(session: Session) -> None:
    build_history(session, county_of(build_tree(2026)), 7, today=TODAY, cases=60, days=120)
    j = current_jurisdiction(session, "990101000000")
    assert j is not None
    period = parse_period("2026-Q3")
    files = render(session, j, period, ["docx", "xlsx"], today=TODAY)
    f = count(session, "990101", 9, period.first, period.months, TODAY)
    assert f.registered > 0
    text = docx_text(files["docx"])
    # disputes and requests apart (issue 15, item 4), then their sum
    shown = one(r"共排查矛盾纠纷(\d+)件、受理群众诉求(\d+)件，合计(\d+)件", text)
    assert [int(n) for n in shown] == [f.by_kind["dispute"], f.by_kind["request"], f.registered]
    assert int(one(r"调解终止(\d+)件", text)) == f.terminated
    assert int(one(r"不予受理、导入其他途径(\d+)件", text)) == f.rejected
    assert int(one(r"；化解(\d+)件", text)) == f.resolved
    assert int(one(r"村（社区）一级化解(\d+)件", text)) == f.by_level["village"]
    assert int(one(r"尚未办结的纠纷(\d+)件", text)) == f.overdue
    total = sheets(files["xlsx"])["统计表"]["合计"]
    assert total[:3] == [f.registered, f.accepted, f.resolved]
    assert total[12:14] == [f.followed_up, f.satisfied]
    assert not any(bad in text for bad in BAD_TEXT)
