"""Disputes (矛盾纠纷) and requests (诉求) apart in every figure sent upward (issue 15 item 4):
the rates, the per-category table, the Word text and the Excel sheets, each kind's maintained
aggregates equal to its recount. Hand-built: the five cases of tests/stats/test_figures.py,
all registered 2026-03-10 at the county, every resolve deadline 2026-05-09:

- disputes: 1 resolved 03-10 (followed up: satisfied), 2 mediation ended 03-10 within the
  limit (followed up: unsatisfied), 5 mediation ended 06-18 after the deadline;
- requests: 3 a 12345 request rejected before acceptance (no deadline; followed up:
  satisfied), 4 accepted and still in hand on 07-01.

Over 2026-03..2026-05, figures of 07-01 (the period is over: 超期 at 05-31):
- disputes: 排查 3, 化解 1, 化解率 33.3 %; due 3 (1, 2, 5), 按期 1 + 1 terminated in time →
  按期办结率 66.7 % (33.3 % when 调解终止 does not count); 回访 2, 满意 1 → 50.0 %;
  超期 at 05-31: 1 (case 5), today 0;
- requests: 排查 2, 化解 0, 0.0 %; due 1 (case 4, past and open), 按期 0 → 0.0 %; 回访 1,
  满意 1 → 100.0 %; 超期 at 05-31: 1 (case 4), today 1.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from grassroots.reports.content.context import figures
from grassroots.reports.content.data import gather
from grassroots.reports.office.excel import render_xlsx
from grassroots.scope import current_jurisdiction
from grassroots.stats import aggregates, recount
from grassroots.stats.figures.derived import Rules, derived_values
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.reports.read import sheets
from tests.stats.conftest import COUNTY, assert_agree, nonzero
from tests.stats.test_figures import TODAY, built  # noqa: F401 (the hand-built cases)

PERIOD = parse_period("2026-03..2026-05")
EXPECTED = {
    "dispute": {
        "registered": 3, "accepted": 3, "resolved": 1, "resolved_county": 1, "terminated": 2,
        "followed_up": 2, "satisfied": 1, "due": 3, "on_time": 1, "on_time_terminated": 1,
        "overdue": 1,
    },
    "request": {
        "registered": 2, "accepted": 1, "rejected": 1, "followed_up": 1, "satisfied": 1,
        "due": 1, "overdue": 1, "overdue_today": 1,
    },
}  # fmt: skip
RATES = {  # resolution, on time (terminated in time counts / does not), satisfaction
    "dispute": (1 / 3, 2 / 3, 1 / 3, 1 / 2),
    "request": (0.0, 0.0, 0.0, 1.0),
}


def test_each_kind_has_its_own_counters_and_rates(built: Session) -> None:  # noqa: F811
    county = Scope("county", COUNTY)
    for kind, expected in EXPECTED.items():
        scope = county.of_kind(kind)
        for counted in (aggregates, recount):
            got = nonzero(counted.counters(built, scope, PERIOD, TODAY))[""]
            assert got == expected, (kind, counted.__name__)
        c = aggregates.counters(built, scope, PERIOD, TODAY)[""]
        on, off = derived_values(c, Rules()), derived_values(c, Rules(terminated_concluded=False))
        got_rates = (on["resolution_rate"], on["on_time_rate"], off["on_time_rate"],
                     on["satisfaction_rate"])  # fmt: skip
        assert got_rates == pytest.approx(RATES[kind]), kind
    both = aggregates.counters(built, county, PERIOD, TODAY)[""]
    assert (both["registered"], both["due"], both["overdue"]) == (5, 4, 2)
    by_kind = aggregates.counters(built, county, PERIOD, TODAY, group_by="kind")
    assert {k: v["registered"] for k, v in by_kind.items()} == {"dispute": 3, "request": 2}
    assert_agree(built, county, PERIOD, TODAY)


def test_the_report_and_the_workbook_split_them(built: Session) -> None:  # noqa: F811
    j = current_jurisdiction(built, COUNTY)
    assert j is not None
    data = gather(built, j, PERIOD, TODAY, Rules())
    text = figures(data)
    assert text["kinds_text"] == (
        "矛盾纠纷3件，化解1件，化解率33.3%，按期办结率66.7%，满意率50.0%；"
        "群众诉求2件，办理完成0件，办结率0.0%，按期办结率0.0%，满意率100.0%"
    )
    assert text["categories_by_kind_text"] == (
        "矛盾纠纷中较多的是邻里类3件；群众诉求中较多的是邻里类2件"
    )
    book = sheets(render_xlsx(data))
    main = book["统计表"]
    assert main["合计"][:3] == [5, 4, 1]
    assert main["其中：矛盾纠纷"][:4] == [3, 3, 1, pytest.approx(1 / 3, abs=1e-4)]
    assert main["其中：矛盾纠纷"][8:11] == [3, 2, pytest.approx(2 / 3, abs=1e-4)]
    assert main["其中：群众诉求"][:4] == [2, 1, 0, 0.0]
    assert main["其中：群众诉求"][8:12] == [1, 0, 0.0, 1]  # due, on time, rate, 超期 at 05-31
    kinds = book["分类型"]  # 类型 | 类别 | 排查 化解 化解率 到期 按期办结 按期率 回访 满意 满意率
    assert kinds["矛盾纠纷"] == ["小计", 3, 1, pytest.approx(0.3333), 3, 2,
                                 pytest.approx(0.6667), 2, 1, 0.5]  # fmt: skip
    assert kinds["群众诉求"] == ["小计", 2, 0, 0.0, 1, 0, 0.0, 1, 1, 1.0]
    assert kinds["合计"][1:3] == [5, 1]
