"""边界 figures on hand-built meetings and hazards (docs/metrics.md, 边界): 召开边界联席会议
次数 and 防范化解边界不稳定隐患问题起数 of March 2026 for 青石镇, 柳河镇 and the county, by
the SQL count, by a recount from the rows in Python, and by hand; with the edges: a meeting a
day outside the month, a hazard resolved ten minutes after midnight China time (still March in
UTC), one settled twice in the month (counted once), one registered after the month."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from grassroots.border.figures import BorderFigures, border_figures
from grassroots.border.hazards.actions import do_move_hazard, do_register_hazard
from grassroots.border.hazards.models import BorderHazard
from grassroots.border.hazards.schemas import HazardIn, StatusIn
from grassroots.border.hazards.workflow import RESOLVED, SETTLED
from grassroots.border.meetings.actions import do_create_meeting
from grassroots.border.meetings.models import BorderMeeting
from grassroots.border.meetings.schemas import MeetingIn
from grassroots.calendar.today import CHINA_TZ
from tests.border.meetings.conftest import LIUHE, QINGSHI

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
POINT = {"type": "Point", "coordinates": [112.41, 30.61]}


def _at(*when: int) -> datetime:
    return datetime(*when, tzinfo=CHINA_TZ)  # type: ignore[arg-type]


def _meeting(session, qian, day: date, *codes: str) -> None:
    data = MeetingIn(held_on=day, place="交界处", jurisdiction_codes=list(codes), topics="边界")
    do_create_meeting(session, data, actor=qian)


def _hazard(session, qian, codes: list[str], *moves: tuple[str, datetime]) -> None:
    """A hazard registered at moves[0]'s moment, then moved to each status at its moment."""
    data = HazardIn(name="交界草场", kind="pasture", risk="high", geometry=POINT,
                    jurisdiction_codes=codes, description="放牧范围争议")  # fmt: skip
    hazard = do_register_hazard(session, data, actor=qian, now=moves[0][1])
    for to, at in moves[1:]:
        do_move_hazard(session, hazard, StatusIn(to=to), actor=qian, now=at)


@pytest.fixture
def built(session, users):
    qian = users["qian"]
    _meeting(session, qian, date(2026, 3, 5), QINGSHI, LIUHE)  # both townships: once each
    _meeting(session, qian, date(2026, 3, 20), LIUHE)
    _meeting(session, qian, date(2026, 2, 28), QINGSHI)  # a day before March
    _meeting(session, qian, date(2026, 4, 1), QINGSHI)  # a day after
    # h1: controlled and then resolved in March: one settled hazard, not two
    _hazard(session, qian, [QINGSHI, LIUHE], ("screening", _at(2026, 2, 10)),
            ("preventing", _at(2026, 2, 20)), ("controlled", _at(2026, 3, 10)),
            ("resolved", _at(2026, 3, 25)))  # fmt: skip
    # h2: worked on in March, not settled: open at the end
    _hazard(session, qian, [QINGSHI], ("screening", _at(2026, 3, 1)),
            ("preventing", _at(2026, 3, 2)))  # fmt: skip
    # h3: under long-term control since February: settled in February, open at March's end
    _hazard(session, qian, [LIUHE], ("screening", _at(2026, 1, 5)),
            ("preventing", _at(2026, 1, 6)), ("controlled", _at(2026, 2, 15)))  # fmt: skip
    # h4: resolved 00:10 on 1 April China time (31 March 16:10 UTC): April's, open at March's end
    _hazard(session, qian, [QINGSHI], ("screening", _at(2026, 3, 30, 23, 30)),
            ("preventing", _at(2026, 3, 31, 9)), ("resolved", _at(2026, 4, 1, 0, 10)))  # fmt: skip
    # h5: registered in April: nowhere in March
    _hazard(session, qian, [LIUHE], ("screening", _at(2026, 4, 2)))
    return session


def _recount(session, prefix: str, days: tuple[date, date]) -> BorderFigures:
    """The definitions applied row by row in Python."""
    first, last = days
    meetings = [m for m in session.scalars(select(BorderMeeting))
                if first <= m.held_on <= last
                and any(j.code.startswith(prefix) for j in m.jurisdictions)]  # fmt: skip
    settled = opened = 0
    for h in session.scalars(select(BorderHazard)):
        if not any(j.code.startswith(prefix) for j in h.jurisdictions):
            continue
        days_of = [(e.to_status, e.at.astimezone(CHINA_TZ).date()) for e in h.events]
        settled += any(s in SETTLED and first <= d <= last for s, d in days_of)
        registered = any(s == "screening" and d <= last for s, d in days_of)
        resolved = any(s == RESOLVED and d <= last for s, d in days_of)
        opened += registered and not resolved
    return BorderFigures(len(meetings), settled, opened)


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("990101002", BorderFigures(meetings=1, hazards_settled=1, hazards_open=2)),  # 青石镇
        ("990101003", BorderFigures(meetings=2, hazards_settled=1, hazards_open=1)),  # 柳河镇
        ("990101", BorderFigures(meetings=2, hazards_settled=1, hazards_open=3)),  # the county
    ],
)
def test_march_by_sql_by_recount_and_by_hand(built, prefix, expected):
    assert border_figures(built, prefix, MARCH) == expected
    assert _recount(built, prefix, MARCH) == expected


def test_february_and_april(built):
    feb, april = (date(2026, 2, 1), date(2026, 2, 28)), (date(2026, 4, 1), date(2026, 4, 30))
    assert border_figures(built, "990101003", feb) == BorderFigures(0, 1, 2)  # h3; h1, h3 open
    assert border_figures(built, "990101002", feb) == BorderFigures(1, 0, 1)  # h1 open
    assert border_figures(built, "990101002", april) == BorderFigures(1, 1, 1)  # h4; h2 open
    for prefix, days in (("990101002", feb), ("990101002", april), ("990101", april)):
        assert border_figures(built, prefix, days) == _recount(built, prefix, days)
