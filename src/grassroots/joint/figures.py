"""联调 figures of a jurisdiction for a period (docs/metrics.md, 联调): the case counts once,
in the figures of the place where it happened (its lead jurisdiction: the ordinary location
figures), and as 参与联调 in those of every other jurisdiction it is shared with.

- 主办联调数 (led): joint cases (shared with at least one centre or unit) located in the
  jurisdiction's subtree, registered in the period.
- 参与联调数 (joined): cases located outside the subtree, registered in the period, shared
  with a jurisdiction in the subtree or with a unit attached to one (role lead or co).
- 联调化解数 (joined_resolved): of those, the ones resolved (outcome 化解).
Merged repeat registrations and spam count nowhere, as in every other figure. Counted straight
from the cases and shares (no maintained aggregate).

Between deployments (信息联通, docs/federation.md): one of our cases shared with a partner
deployment is a joint case led here; a partner's case shared with us counts as 参与联调 (and
联调化解 once the partner reports it resolved) in the jurisdiction asked to handle it, by the
date the partner registered it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from grassroots.calendar.today import local_midnight_utc
from grassroots.cases.models import Case, CaseShare
from grassroots.federation.models import FederationLink
from grassroots.geo.models import Jurisdiction, Unit


@dataclass(frozen=True)
class JointFigures:
    led: int  # 主办联调数
    led_resolved: int  # 主办联调化解数
    joined: int  # 参与联调数
    joined_resolved: int  # 联调化解数


def _located_in(prefix: str) -> ColumnElement[bool]:
    place = func.coalesce(Case.grid_code, Case.village_code, Case.township_code, Case.county_code)
    return place.startswith(prefix, autoescape=True)


def _shared_into(prefix: str) -> ColumnElement[bool]:
    places = select(Jurisdiction.id).where(Jurisdiction.code.startswith(prefix, autoescape=True))
    units = select(Unit.id).where(Unit.jurisdiction_id.in_(places))
    return exists().where(
        CaseShare.case_id == Case.id,
        or_(CaseShare.jurisdiction_id.in_(places), CaseShare.unit_id.in_(units)),
    )


def _partner_cases(session: Session, prefix: str, days: tuple[date, date], resolved: bool) -> int:
    """Partner deployments' cases handled in the subtree, registered in the period."""
    places = select(Jurisdiction.id).where(Jurisdiction.code.startswith(prefix, autoescape=True))
    query = select(func.count()).select_from(FederationLink).where(
        FederationLink.case_id.is_(None), FederationLink.jurisdiction_id.in_(places),
        FederationLink.registered_at >= local_midnight_utc(days[0]),
        FederationLink.registered_at < local_midnight_utc(days[1] + timedelta(days=1)),
        func.coalesce(FederationLink.outcome, "") != "merged",
    )  # fmt: skip
    if resolved:
        query = query.where(FederationLink.outcome == "resolved")
    return int(session.scalar(query) or 0)


def _count(session: Session, *conditions: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(Case).where(*conditions)) or 0)


def joint_figures(session: Session, prefix: str, days: tuple[date, date]) -> JointFigures:
    """The 联调 figures of the subtree `prefix` for the cases registered from days[0] to
    days[1] (both included, China time)."""
    base = and_(
        Case.registered_at >= local_midnight_utc(days[0]),
        Case.registered_at < local_midnight_utc(days[1] + timedelta(days=1)),
        Case.spam.is_(False),
        func.coalesce(Case.outcome, "") != "merged",
    )
    resolved = Case.outcome == "resolved"
    shared = or_(exists().where(CaseShare.case_id == Case.id),
                 exists().where(FederationLink.case_id == Case.id))  # fmt: skip
    led = and_(base, _located_in(prefix), shared)
    joined = and_(base, not_(_located_in(prefix)), _shared_into(prefix))
    return JointFigures(
        led=_count(session, led), led_resolved=_count(session, led, resolved),
        joined=_count(session, joined) + _partner_cases(session, prefix, days, False),
        joined_resolved=_count(session, joined, resolved)
        + _partner_cases(session, prefix, days, True),
    )  # fmt: skip
