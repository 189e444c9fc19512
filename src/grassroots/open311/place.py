"""Where a POSTed request is: lat/long (the grid containing the point), address_id (a grid
code), or address_string naming a grid or a village of one grid (names found in the text)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.geo.models import Jurisdiction, Level
from grassroots.open311.formats import Open311Error
from grassroots.open311.schemas import RequestIn

UNPLACED = (
    "无法将地址定位到网格，请提供经纬度 / address_string could not be placed in a grid: "
    "send lat and long"
)


def _named_in(session: Session, text: str, level: Level, prefix: str) -> list[Jurisdiction]:
    query = select(Jurisdiction).where(
        Jurisdiction.level == level.value,
        Jurisdiction.valid_to.is_(None),
        Jurisdiction.code.startswith(prefix, autoescape=True),
    )
    return [j for j in session.scalars(query) if j.name and j.name in text]


def _grids_of(session: Session, village: Jurisdiction) -> list[str]:
    query = select(Jurisdiction.code).where(
        Jurisdiction.parent_id == village.id, Jurisdiction.valid_to.is_(None)
    )
    return list(session.scalars(query))


def grid_for_address(session: Session, text: str, prefix: str) -> str:
    """The one grid the text names (within the village it names, as grid names repeat from
    village to village), or the one grid of the one village it names."""
    villages = _named_in(session, text, Level.village, prefix)
    grids = _named_in(session, text, Level.grid, prefix)
    if villages:
        grids = [g for g in grids if g.parent_id in {v.id for v in villages}]
    if len(grids) == 1:
        return grids[0].code
    if not grids and len(villages) == 1:
        codes = _grids_of(session, villages[0])
        if len(codes) == 1:
            return codes[0]
    raise Open311Error(400, UNPLACED)


def where(session: Session, data: RequestIn, prefix: str) -> dict[str, object]:
    """NewCase's location fields: the point, else a grid code."""
    if data.lat is not None and data.long is not None:
        return {"lat": data.lat, "lng": data.long}
    if data.address_id is not None:
        return {"grid_code": data.address_id}
    return {"grid_code": grid_for_address(session, data.address_string, prefix)}
