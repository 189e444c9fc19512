"""JSON routes of 边界隐患: the hazards I see, the map layer, one hazard, register, edit, move
its status. Thin: access_hazard, then do_*."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from grassroots.accounts.models import User
from grassroots.border.hazards import queries as q
from grassroots.border.hazards.actions import (
    do_move_hazard,
    do_register_hazard,
    do_update_hazard,
)  # fmt: skip
from grassroots.border.hazards.schemas import HazardIn, HazardOut, HazardRow, StatusIn
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires

router = APIRouter(tags=["border"])
Reader = Annotated[User, requires("case.read")]
Actor = Annotated[User, requires("case.act")]


@router.get("/border/hazards", response_model=list[HazardRow])
def list_hazards(session: DbSession, user: Reader) -> list[HazardRow]:
    """边界隐患: the hazards any of whose owning jurisdictions lies in your subtree."""
    return [q.row_out(h) for h in q.hazards(session, user)]


@router.get("/border/hazards.geojson")
def hazards_layer(session: DbSession, user: Reader) -> dict[str, Any]:
    """The map layer (GeoJSON FeatureCollection): place, name, kind, risk and status only."""
    return q.feature_collection(q.hazards(session, user))


@router.post("/border/hazards", status_code=201, response_model=HazardOut)
def register_hazard(data: HazardIn, session: DbSession, user: Actor) -> HazardOut:
    """Register a hazard (status 排查): a point or polygon, risk, owners on both sides,
    measures, linked cases and meetings. One owning jurisdiction must be in your subtree."""
    return q.hazard_out(do_register_hazard(session, data, actor=user))


@router.get("/border/hazards/{hazard_id}", response_model=HazardOut)
def get_hazard(hazard_id: DbId, session: DbSession, user: Reader) -> HazardOut:
    return q.hazard_out(q.access_hazard(session, user, hazard_id))


@router.put("/border/hazards/{hazard_id}", response_model=HazardOut)
def update_hazard(hazard_id: DbId, data: HazardIn, session: DbSession, user: Actor) -> HazardOut:
    """Edit a hazard (everything but its status)."""
    hazard = q.access_hazard(session, user, hazard_id)
    return q.hazard_out(do_update_hazard(session, hazard, data, actor=user))


@router.post("/border/hazards/{hazard_id}/status", response_model=HazardOut)
def move_hazard(hazard_id: DbId, data: StatusIn, session: DbSession, user: Actor) -> HazardOut:
    """排查 → 防范化解 → 化解 / 长期管控 (长期管控 may be reopened or resolved); else 409."""
    hazard = q.access_hazard(session, user, hazard_id)
    return q.hazard_out(do_move_hazard(session, hazard, data, actor=user))
