"""Every figure in a generated report equals the test's own count from the cases table —
county and one township, a month, a quarter and a year, on a history made by real actions."""

from __future__ import annotations

import math
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.reports.office.excel import COLUMNS
from grassroots.reports.render import render
from grassroots.scope import current_jurisdiction
from grassroots.stats.periods import parse_period
from grassroots.stats.queries import children_of
from tests.reports.conftest import TODAY
from tests.reports.independent import Figures, count
from tests.reports.read import BAD_TEXT, all_cells, docx_text, one, sheets, table_rows

pytestmark = pytest.mark.slow  # every test reads the module's history, built in ~10 s

CASES = [
    ("990101000000", "990101", 9),  # the county, by township
    ("990101002000", "990101002", 12),  # 青石镇, by village
]
PERIODS = ["2026-03", "2026-Q1", "2026"]


def _pct(n: int, d: int) -> float | None:
    return None if d == 0 else 100 * n / d


def _check_pct(shown: str, n: int, d: int) -> None:
    expected = _pct(n, d)
    if expected is None:
        assert shown == "—"
    else:
        assert abs(float(shown.rstrip("%")) - expected) <= 0.05 + 1e-9, (shown, n, d)


def _check_docx_totals(text: str, f: Figures) -> None:
    disputes, requests, total = one(
        r"共排查矛盾纠纷(\d+)件、受理群众诉求(\d+)件，合计(\d+)件", text
    )
    assert (int(disputes), int(requests)) == (f.by_kind["dispute"], f.by_kind["request"])
    assert int(total) == f.registered
    _check_outcomes(text, f)
    assert int(one(r"受理(\d+)件", text)) == f.accepted
    assert int(one(r"；化解(\d+)件", text)) == f.resolved
    _check_pct(one(r"化解率([\d.]+%|—)，同比", text), f.resolved, f.registered)
    assert int(one(r"村（社区）一级化解(\d+)件", text)) == f.by_level["village"]
    _check_pct(one(r"就地化解率([\d.]+%|—)", text), f.by_level["village"], f.resolved)
    assert int(one(r"乡镇（街道）一级化解(\d+)件", text)) == f.by_level["township"]
    assert int(one(r"县一级化解(\d+)件", text)) == f.by_level["county"]
    assert int(one(r"上报至县以上(\d+)件", text)) == f.escalated_beyond
    due, on_time = one(r"届满的纠纷(\d+)件，按期办结(\d+)件", text)
    assert (int(due), int(on_time)) == (f.due, f.on_time)
    assert int(one(r"尚未办结的纠纷(\d+)件", text)) == f.overdue
    followed, satisfied = one(r"回访(\d+)件，当事人满意（含基本满意）(\d+)件", text)
    assert (int(followed), int(satisfied)) == (f.followed_up, f.satisfied)
    _check_pct(one(r"满意率([\d.]+%|—)", text), f.satisfied, f.followed_up)
    risk, prevented = one(r"民转刑风险的纠纷(\d+)件，已化解(\d+)件", text)
    assert (int(risk), int(prevented)) == (f.violence_risk, f.violence_resolved)


def _check_outcomes(text: str, f: Figures) -> None:
    assert int(one(r"在办(\d+)件", text)) == f.pending
    terminated, in_time = one(r"调解终止(\d+)件（.*?其中在办理期限内终止(\d+)件）", text)
    assert (int(terminated), int(in_time)) == (f.terminated, f.terminated_in_time)
    assert int(one(r"不予受理、导入其他途径(\d+)件", text)) == f.rejected
    # 办结 by default: resolved, plus terminated within the deadline
    assert int(one(r"办结(\d+)件（口径", text)) == f.resolved + f.terminated_in_time
    assert one(r"涉及金额([\d.]+)元", text) == f"{f.amount_fen / 100:.2f}"
    assert int(one(r"5人以上）(\d+)件", text)) == f.mass


def _check_categories(text: str, f: Figures, names: dict[str, str]) -> None:
    shown = re.findall(r"([\u4e00-\u9fff]+?)纠纷(\d+)件（占", text)
    assert len(shown) == min(5, len(f.by_category))
    by_name = {names[code]: n for code, n in f.by_category.items()}
    for name, n in shown:
        assert by_name[name.lstrip("：；")] == int(n)
    assert [int(n) for _, n in shown] == sorted((int(n) for _, n in shown), reverse=True)


def _check_xlsx(content: bytes, f: Figures, children: dict[str, str]) -> None:
    book = sheets(content)
    main = book["统计表"]
    total = main["合计"]
    assert total[:3] == [f.registered, f.accepted, f.resolved]
    assert total[4:8] == [
        f.by_level["village"],
        f.by_level["township"],
        f.by_level["county"],
        f.escalated_beyond,
    ]
    assert total[8:10] == [f.due, f.on_time]
    assert total[11] == f.overdue
    assert total[12:14] == [f.followed_up, f.satisfied]
    assert total[15:17] == [f.violence_risk, f.violence_resolved]
    for code, name in children.items():
        assert main[name][0] == f.by_child[code], name
        assert main[name][2] == f.resolved_by_child[code], name
    cats = book["类别×层级"]
    assert cats["合计"][:2] == [f.registered, f.resolved]


def _no_bad_text(text: str, cells: list) -> None:  # type: ignore[type-arg]
    for bad in BAD_TEXT:
        assert bad not in text, bad
    for v in cells:
        assert not (isinstance(v, float) and math.isnan(v))
        if isinstance(v, str):
            assert not any(bad in v for bad in BAD_TEXT), v


@pytest.mark.parametrize("code,prefix,child_digits", CASES)
@pytest.mark.parametrize("period_text", PERIODS)
def test_every_report_figure_equals_an_independent_count(
    hsession: Session, code: str, prefix: str, child_digits: int, period_text: str
) -> None:
    from grassroots.dictionary.models import Category

    j = current_jurisdiction(hsession, code)
    assert j is not None
    period = parse_period(period_text)
    files = render(hsession, j, period, ["docx", "xlsx"], today=TODAY)
    f = count(hsession, prefix, child_digits, period.first, period.months, TODAY)
    assert f.registered > 0, "the history reaches this period"
    text = docx_text(files["docx"])
    _check_docx_totals(text, f)
    names = dict(hsession.execute(select(Category.code, Category.name)).all())
    _check_categories(text, f, names)
    children = {c.code[:child_digits]: c.name for c in children_of(hsession, j)}
    rows = table_rows(files["docx"])
    for child_code, name in children.items():
        assert int(rows[name][0]) == f.by_child[child_code]
        assert int(rows[name][1]) == f.resolved_by_child[child_code]
    _check_xlsx(files["xlsx"], f, children)
    _no_bad_text(text, all_cells(files["xlsx"]))


def test_year_to_date_columns_add_up_the_months(hsession: Session) -> None:
    j = current_jurisdiction(hsession, "990101000000")
    assert j is not None
    files = render(hsession, j, parse_period("2026-Q2"), ["xlsx"], today=TODAY)
    ytd = count(hsession, "990101", 9, parse_period("2026-01").first, 6, TODAY)
    total = sheets(files["xlsx"])["统计表"]["合计"]
    first = next(i for i, (group, *_) in enumerate(COLUMNS) if group == "本年累计")
    assert total[first : first + 2] == [ytd.registered, ytd.resolved]
