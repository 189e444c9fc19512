"""Where a POSTed request is: lat/long (the grid containing the point), address_id (a grid
code), or address_string naming a village and a grid (geo.address)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from grassroots.geo.address import grid_named_in
from grassroots.open311.formats import Open311Error
from grassroots.open311.schemas import RequestIn

UNPLACED = (
    "无法将地址定位到网格，请提供经纬度 / address_string could not be placed in a grid: "
    "send lat and long"
)


def where(session: Session, data: RequestIn, prefix: str) -> dict[str, object]:
    """NewCase's location fields: the point, else a grid code."""
    if data.lat is not None and data.long is not None:
        return {"lat": data.lat, "lng": data.long}
    if data.address_id is not None:
        return {"grid_code": data.address_id}
    grid = grid_named_in(session, data.address_string, prefix)
    if grid is None:
        raise Open311Error(400, UNPLACED)
    return {"grid_code": grid}
