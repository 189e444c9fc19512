"""Reads of 边界隐患: the one access function, the list, the views and the map layer.

Who sees a hazard: a user whose subtree (grassroots.scope) contains any jurisdiction that owns
it — the same rule as the meetings. Anyone else is refused as for a missing id (audited)."""

from __future__ import annotations

from typing import Any

from shapely.geometry import shape
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.border.hazards.models import BorderHazard, hazard_place
from grassroots.border.hazards.schemas import EventOut, HazardOut, HazardRow, MeetingRef
from grassroots.border.hazards.workflow import TRANSITIONS
from grassroots.border.meetings.schemas import CaseRef, OutsideParty, PlaceOut
from grassroots.border.places import access_linked, linked_in_scope
from grassroots.border.sealing import unseal

LIST_LIMIT = 500


def hazard_scope(user: User) -> ColumnElement[bool]:
    """SQL: a jurisdiction owning the hazard lies in the user's subtree."""
    return linked_in_scope(user, hazard_place, "hazard_id", BorderHazard.id)


def access_hazard(session: Session, user: User, hazard_id: int) -> BorderHazard:
    """The hazard if the user may see it; otherwise 404 as for a missing id (audited)."""
    return access_linked(session, user, BorderHazard, hazard_id, scope=hazard_scope(user),
                         read_action="border.hazard_read",
                         missing="边界隐患不存在 / no such hazard")  # fmt: skip


def hazards(session: Session, user: User) -> list[BorderHazard]:
    """The hazards the user sees, highest risk and newest first."""
    rows = session.scalars(select(BorderHazard).where(hazard_scope(user))
                           .order_by(BorderHazard.id.desc()).limit(LIST_LIMIT))  # fmt: skip
    order = {"high": 0, "medium": 1, "low": 2}
    return sorted(rows, key=lambda h: order.get(h.risk, 3))


def row_out(h: BorderHazard) -> HazardRow:
    return HazardRow(
        id=h.id, name=h.name, kind=h.kind, risk=h.risk, status=h.status,
        jurisdictions=[PlaceOut(code=j.code, name=j.name)
                       for j in sorted(h.jurisdictions, key=lambda j: j.code)],
        outside=[OutsideParty.model_validate(o) for o in h.outside or []],
    )  # fmt: skip


def hazard_out(h: BorderHazard) -> HazardOut:
    """The whole hazard, unsealed (access_hazard first)."""
    events = [EventOut(at=e.at, actor=e.actor.display_name, from_status=e.from_status,
                       to_status=e.to_status, note=unseal("event_note", e.note_enc))
              for e in h.events]  # fmt: skip
    return HazardOut(
        **row_out(h).model_dump(), geometry=h.geometry,
        description=unseal("description", h.description_enc),
        measures=unseal("measures", h.measures_enc),
        cases=[CaseRef(code=c.code, title=c.title) for c in sorted(h.cases, key=lambda c: c.code)],
        meetings=[MeetingRef(id=m.id, held_on=m.held_on.isoformat(), place=m.place)
                  for m in sorted(h.meetings, key=lambda m: m.held_on)],
        events=events, next_statuses=sorted(TRANSITIONS[h.status]),
    )  # fmt: skip


def feature_collection(rows: list[BorderHazard]) -> dict[str, Any]:
    """The map layer: each hazard's place with its name, kind, risk and status only (no
    description: the layer is for the map, the hazard's page has the rest)."""
    features = [
        {"type": "Feature", "geometry": h.geometry,
         "properties": {"id": h.id, "name": h.name, "kind": h.kind, "risk": h.risk,
                        "status": h.status}}
        for h in rows
    ]  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def centre_of(h: BorderHazard) -> tuple[float, float]:
    """(lat, lng) of a point inside the hazard's place (for the demo and the list)."""
    p = shape(h.geometry).representative_point()
    return (p.y, p.x)
