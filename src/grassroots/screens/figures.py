"""What a screen shows, read for its one jurisdiction: the counters, the last hours' new
cases (position and category only) and the alerts (case code, category, place, why).

Nothing here reads a party, a title, a description or an address: the screen hangs in a
room where visitors see it (docs/screens.md). The change stamp is the one small query an
event stream runs per tick; the rest runs only when the stamp moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from grassroots.calendar.today import china_today, local_midnight_utc, local_time
from grassroots.cases.models import OPEN_STATES, Case, CaseEvent
from grassroots.cases.queries import CASE_CODE_COLUMN
from grassroots.db import utcnow
from grassroots.dictionary.queries import categories, dictionary_names
from grassroots.geo.models import Jurisdiction, Level
from grassroots.leads.models import Lead, LeadEvent, LeadState
from grassroots.screens.models import Screen

ALERT_LIMIT = 12
CASE_LIMIT = 300
POINT_DECIMALS = 3
ALERT_COLUMNS = (
    Case.code, Case.category_code, Case.clock_due_on, Case.violence_risk, Case.village_code,
    Case.township_code,
)  # fmt: skip


@dataclass(frozen=True)
class Stamp:
    """What changes when anything the screen shows may have: the last case and lead
    events, and the screen's own session and preset (revoked, re-paired, re-laid out)."""

    events: tuple[int, int]
    session_hash: str | None
    preset: str | None


def stamp(session: Session, screen_id: int) -> Stamp:
    """One query: the newest case and lead event ids and the screen's row."""
    row = session.execute(
        select(
            select(func.max(CaseEvent.id)).scalar_subquery(),
            select(func.max(LeadEvent.id)).scalar_subquery(),
            select(Screen.session_hash).where(Screen.id == screen_id).scalar_subquery(),
            select(Screen.preset).where(Screen.id == screen_id).scalar_subquery(),
        )
    ).one()
    return Stamp((int(row[0] or 0), int(row[1] or 0)), row[2], row[3])


def _located(node: Jurisdiction) -> ColumnElement[bool]:
    """The cases of the screen's subtree (as cases.queries.located_in), the code column
    wrapped so that no database picks its index: every read here goes by state (the open
    cases) or by registration time (today's, the last hours'), the selective indexes, and
    the place filters what those find (a county screen's place matches every case)."""
    column = CASE_CODE_COLUMN.get(Level(node.level))
    place = func.coalesce(column if column is not None else Case.county_code, "")
    where = place == node.code if column is not None else place.startswith(node.prefix)
    return and_(where, Case.spam.is_(False))


def counters(session: Session, node: Jurisdiction, today: date) -> dict[str, int]:
    """今日登记, 在办, 超期, 民转刑风险 (open), 线索在办."""
    place = _located(node)
    registered = select(func.count()).where(place, Case.registered_at >= local_midnight_utc(today))
    row = session.execute(
        select(
            func.count(),
            func.count().filter(Case.clock_due_on < today),
            func.count().filter(Case.violence_risk.is_(True)),
        ).where(place, Case.state.in_(sorted(OPEN_STATES)))
    ).one()
    leads = select(func.count()).where(
        Lead.jurisdiction_code.startswith(node.prefix), Lead.state != LeadState.closed.value
    )
    figures = (session.scalar(registered), *row, session.scalar(leads))
    keys = ("registered_today", "open", "overdue", "risk_open", "leads_open")
    return dict(zip(keys, (int(v or 0) for v in figures), strict=True))


def recent_cases(
    session: Session, node: Jurisdiction, hours: int, names: dict[str, str]
) -> list[dict[str, Any]]:
    """The cases registered in the last `hours`: where they lie (None: registered by grid
    only, listed but not drawn) and what kind they are."""
    since = utcnow() - timedelta(hours=hours)
    rows = session.execute(
        select(Case.id, Case.lat, Case.lng, Case.category_code, Case.registered_at)
        .where(_located(node), Case.registered_at >= since)
        .order_by(Case.registered_at.desc(), Case.id.desc())
        .limit(CASE_LIMIT)
    ).all()
    return [
        {"id": i, "lat": _round(lat), "lng": _round(lng),
         "category": names.get(cat, cat), "at": local_time(at)[-5:]}
        for i, lat, lng, cat, at in rows
    ]  # fmt: skip


def _round(degrees: float | None) -> float | None:
    """To 0.001° (about 100 m): the dot shows the place, not the house."""
    return None if degrees is None else round(degrees, POINT_DECIMALS)


def alerts(
    session: Session, node: Jurisdiction, today: date, names: dict[str, str]
) -> list[dict[str, Any]]:
    """Open cases past their deadline (red) or at risk of turning violent (民转刑), the
    risky ones first, then the longest overdue."""
    live = Case.state.in_(sorted(OPEN_STATES))
    red = Case.clock_due_on < today
    rows = session.execute(
        select(*ALERT_COLUMNS)
        .where(_located(node), live, or_(red, Case.violence_risk.is_(True)))
        .order_by(Case.violence_risk.desc(), Case.clock_due_on.asc().nulls_last(), Case.id)
        .limit(ALERT_LIMIT)
    ).all()
    places = _place_names(session, {str(r[4] or r[5]) for r in rows if r[4] or r[5]})
    return [
        {"code": code, "category": names.get(cat, cat), "risk": bool(risk),
         "days_over": (today - due).days if due is not None and due < today else 0,
         "place": places.get(village or township or "", "")}
        for code, cat, due, risk, village, township in rows
    ]  # fmt: skip


def _place_names(session: Session, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    stmt = select(Jurisdiction.code, Jurisdiction.name).where(
        Jurisdiction.code.in_(sorted(codes)), Jurisdiction.valid_to.is_(None)
    )
    return {code: name for code, name in session.execute(stmt)}


def snapshot(session: Session, screen: Screen, hours: int, locale: str) -> dict[str, Any]:
    """Everything the screen shows at once (its first event and every change after)."""
    today = china_today()
    node = screen.jurisdiction
    names = dictionary_names(categories(session), locale)
    return {
        "counters": counters(session, node, today),
        "cases": recent_cases(session, node, hours, names),
        "alerts": alerts(session, node, today, names),
        "preset": screen.preset,
        "at": local_time(utcnow())[-5:],
    }
