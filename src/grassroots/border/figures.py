"""边界 figures of a jurisdiction for a period (docs/metrics.md, 边界联调), in the county
report's own words: 召开边界联席会议X次，防范化解边界不稳定隐患问题X起.

- 召开边界联席会议次数 (meetings): meetings held in the period (their date, China calendar)
  in which a jurisdiction of the subtree took part.
- 防范化解边界不稳定隐患问题起数 (hazards_settled): hazards owned by a jurisdiction of the
  subtree whose status reached 化解 (resolved) or 长期管控 (long-term control) in the period
  (a timeline entry into either, China time); each hazard once, however many such moves.
- 边界隐患在册数 (hazards_open): hazards of the subtree not resolved at the end of the
  period's last day that had been registered by then (排查, 防范化解 or 长期管控 then).
Counted straight from the rows (no maintained aggregate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from grassroots.border.hazards.models import BorderHazard, HazardEvent, hazard_place
from grassroots.border.hazards.workflow import RESOLVED, SETTLED
from grassroots.border.meetings.models import BorderMeeting, meeting_place
from grassroots.calendar.today import local_midnight_utc
from grassroots.geo.models import Jurisdiction


@dataclass(frozen=True)
class BorderFigures:
    meetings: int  # 召开边界联席会议次数
    hazards_settled: int  # 防范化解边界不稳定隐患问题起数
    hazards_open: int  # 期末在册（未化解）的边界隐患


def _places(prefix: str) -> ColumnElement[bool]:
    return Jurisdiction.code.startswith(prefix, autoescape=True)


def _owned(prefix: str) -> ColumnElement[bool]:
    return exists(
        select(hazard_place.c.hazard_id)
        .join(Jurisdiction, Jurisdiction.id == hazard_place.c.jurisdiction_id)
        .where(hazard_place.c.hazard_id == BorderHazard.id, _places(prefix))
    )


def _meetings(session: Session, prefix: str, days: tuple[date, date]) -> int:
    took_part = exists(
        select(meeting_place.c.meeting_id)
        .join(Jurisdiction, Jurisdiction.id == meeting_place.c.jurisdiction_id)
        .where(meeting_place.c.meeting_id == BorderMeeting.id, _places(prefix))
    )
    query = (
        select(func.count())
        .select_from(BorderMeeting)
        .where(BorderMeeting.held_on.between(days[0], days[1]), took_part)
    )
    return int(session.scalar(query) or 0)


def _reached(statuses: frozenset[str], start: date | None, end: date) -> ColumnElement[bool]:
    """SQL: the hazard has a timeline entry into `statuses` from `start` (None: ever) to
    `end` (both days included, China time)."""
    conditions = [HazardEvent.hazard_id == BorderHazard.id, HazardEvent.to_status.in_(statuses),
                  HazardEvent.at < local_midnight_utc(end + timedelta(days=1))]  # fmt: skip
    if start is not None:
        conditions.append(HazardEvent.at >= local_midnight_utc(start))
    return exists().where(*conditions)


def _hazards(session: Session, *conditions: ColumnElement[bool]) -> int:
    query = select(func.count()).select_from(BorderHazard).where(*conditions)
    return int(session.scalar(query) or 0)


def border_figures(session: Session, prefix: str, days: tuple[date, date]) -> BorderFigures:
    """The 边界 figures of the subtree `prefix` from days[0] to days[1] (both included)."""
    first, last = days
    registered = _reached(frozenset({"screening"}), None, last)
    return BorderFigures(
        meetings=_meetings(session, prefix, days),
        hazards_settled=_hazards(session, _owned(prefix), _reached(SETTLED, first, last)),
        hazards_open=_hazards(session, _owned(prefix), registered,
                              ~_reached(frozenset({RESOLVED}), None, last)),
    )  # fmt: skip
