"""The demo's border work (issue 19, docs/border.md): the neighbouring fictional county 石岭县
(code 990201…, prefix 99, a partner outside this deployment, named in meetings and hazards),
two 边界联席会议 a quarter for the last year between 青石镇 and 柳河镇 with 石岭县's centre,
and a handful of 边界隐患 along the boundary, moved through their statuses at backdated
moments. The joint cases themselves are in the history (demo/history/plan.py: 联调 shares).

Made by the REAL actions (do_create_meeting, do_register_hazard, do_move_hazard); places
and matters only. Deterministic for (county, today)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shapely import ops
from shapely.geometry import mapping
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.border.hazards.actions import do_move_hazard, do_register_hazard
from grassroots.border.hazards.schemas import HazardIn, StatusIn
from grassroots.border.meetings.actions import do_create_meeting
from grassroots.border.meetings.models import BorderMeeting
from grassroots.border.meetings.schemas import DecisionIn, MeetingIn, OutsideParty
from grassroots.calendar.today import CHINA_TZ
from grassroots.cases.models import Case, CaseShare
from grassroots.demo.county import Node

NEIGHBOUR = OutsideParty(name="石岭县综治中心", code="990201000000")
FORESTRY = OutsideParty(name="石岭县林业站")
HOSTS = ("zhao", "zhou")  # 青石镇, 柳河镇 centre staff (demo/staff.py)
TOWNSHIPS = ("990101002000", "990101003000")  # 青石镇, 柳河镇 (demo/history/plan.py)
TOPICS = ("交界林地、草场权属争议排查和联合调处", "汛期交界水源分配和防汛协作",
          "春季放牧边界划定和巡查分工", "联调案件办理进展通报")  # fmt: skip
NOTES = "通报上季度联调案件办理情况，研究交界处矛盾纠纷隐患。"
DECISIONS = (
    ("联合现场勘界，补设界桩", "青石镇司法所"),
    ("两地调委会共同回访当事人", "柳河镇综治中心"),
    ("通报交界处放牧安排", "石岭县综治中心"),
)


@dataclass(frozen=True)
class HazardPlan:
    name: str
    kind: str
    risk: str
    area: bool  # a polygon (else a point)
    moves: tuple[tuple[str, int], ...]  # (status, days after registration)
    description: str
    measures: str


HAZARDS = (
    HazardPlan("两镇交界松树坡林地", "forest", "high", True,
               (("preventing", 3), ("controlled", 40)),
               "两镇村民对松树坡林地界线认识不一，多次发生砍伐争执",
               "两镇林业站联合勘界，暂停采伐"),
    HazardPlan("石岭县交界混牧草场", "pasture", "high", True,
               (("preventing", 2), ("resolved", 75)),
               "与石岭县牧户在交界草场混牧，春季放牧时易起冲突", "签订联合放牧公约，错峰放牧"),
    HazardPlan("柳河上游取水口", "water", "medium", False,
               (("preventing", 5), ("resolved", 30)),
               "旱季上下游村组取水分配争议", "制定轮灌表，由两镇水管站共同监督"),
    HazardPlan("两镇插花地", "land", "medium", True, (("preventing", 10),),
               "插花地承包经营权边界不清", "核对二轮承包台账，待确权"),
    HazardPlan("交界山塘", "water", "low", False, (),
               "山塘养殖收益分配有分歧", ""),
)  # fmt: skip


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHINA_TZ)


def _joint_codes(session: Session, before: date, limit: int) -> list[str]:
    """The newest joint cases (shared) registered before the day."""
    rows = session.scalars(
        select(Case.code).where(Case.id.in_(select(CaseShare.case_id)),
                                Case.registered_at < _at(before, 0))
        .order_by(Case.registered_at.desc()).limit(limit)
    )  # fmt: skip
    return list(rows)


def _discussed(session: Session, day: date) -> list[int]:
    """The meetings held within 60 days after the hazard was found (they discussed it)."""
    held = BorderMeeting.held_on.between(day, day + timedelta(days=60))
    return list(session.scalars(select(BorderMeeting.id).where(held)))


def _meeting_days(today: date) -> list[date]:
    """Two a quarter for the four quarters before today's (the 10th and 25th of a month)."""
    first_month = (today.month - 1) // 3 * 3 + 1
    days = []
    for q in range(4, 0, -1):
        month_index = today.year * 12 + first_month - 1 - 3 * q
        year, month = divmod(month_index, 12)
        days += [date(year, month + 1, 10), date(year, month + 2, 25)]
    return days


def _meeting(session: Session, users: dict[str, User], i: int, day: date, today: date) -> int:
    host, codes = HOSTS[i % 2], list(TOWNSHIPS)
    decisions = [DecisionIn(text=text, owner=owner, due_on=day + timedelta(days=20 + 10 * n),
                            done=day + timedelta(days=40) < today)
                 for n, (text, owner) in enumerate(DECISIONS[: 2 + i % 2])]  # fmt: skip
    data = MeetingIn(
        held_on=day, place=("青石镇综治中心会议室", "柳河镇综治中心会议室")[i % 2],
        jurisdiction_codes=codes, outside=[NEIGHBOUR] + ([FORESTRY] if i % 3 == 0 else []),
        topics=TOPICS[i % len(TOPICS)], notes=NOTES,
        case_codes=_joint_codes(session, day, 3), decisions=decisions,
    )  # fmt: skip
    return do_create_meeting(session, data, actor=users[host]).id


def _place(county: Node, n: int, area: bool) -> dict[str, object]:
    """A point on 青石镇's boundary nearest 柳河镇 (moved along it for each hazard), or a small
    area around it."""
    a, b = (next(t for t in county.children if t.code == c) for c in TOWNSHIPS)
    assert a.geometry is not None and b.geometry is not None
    start = ops.nearest_points(a.geometry.boundary, b.geometry)[0]
    edge = a.geometry.boundary
    spot = edge.interpolate(edge.project(start) + 0.01 * n)
    shape = spot.buffer(0.004, quad_segs=2) if area else spot
    return dict(json.loads(json.dumps(mapping(shape))))


def _hazard(
    session: Session, users: dict[str, User], county: Node, n: int, days: tuple[date, date]
) -> int:
    """Hazard n, registered on days[0], moved on as planned until days[1] (today)."""
    plan, host, (day, today) = HAZARDS[n], users[HOSTS[n % 2]], days
    data = HazardIn(
        name=plan.name, kind=plan.kind, risk=plan.risk, geometry=_place(county, n, plan.area),
        jurisdiction_codes=list(TOWNSHIPS), outside=[NEIGHBOUR] if n % 2 else [],
        description=plan.description, measures=plan.measures,
        case_codes=_joint_codes(session, day, 2), meeting_ids=_discussed(session, day),
    )  # fmt: skip
    hazard = do_register_hazard(session, data, actor=host, now=_at(day))
    for to, after in plan.moves:
        if day + timedelta(days=after) >= today:
            break
        note = "两镇联合处置" if to == "preventing" else "经联席会议研究确认"
        do_move_hazard(session, hazard, StatusIn(to=to, note=note), actor=host,
                       now=_at(day + timedelta(days=after), 15))  # fmt: skip
    return hazard.id


def build_demo_border(session: Session, county: Node, today: date) -> tuple[int, int]:
    """Two meetings a quarter for the last four quarters and the hazards; (meetings, hazards).
    Moves that would lie after today are left for the user to make."""
    users = {u.username: u for u in session.scalars(select(User))}
    days = _meeting_days(today)
    meetings = [_meeting(session, users, i, day, today) for i, day in enumerate(days)]
    hazards = [_hazard(session, users, county, n, (days[n] - timedelta(days=5), today))
               for n in range(len(HAZARDS))]  # fmt: skip
    return len(meetings), len(hazards)
