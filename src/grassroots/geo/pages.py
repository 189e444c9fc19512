"""Pages of the map: the jurisdiction tree, grid boundaries as GeoJSON for Leaflet."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from shapely import from_wkb
from shapely.geometry import mapping
from starlette.responses import HTMLResponse

from grassroots.accounts.models import User
from grassroots.deps import DbSession, requires
from grassroots.geo.labels import UNIT_KIND_LABELS, level_label
from grassroots.geo.models import Jurisdiction, Level
from grassroots.geo.queries import children, with_boundaries
from grassroots.scope import current_jurisdiction
from grassroots.web.templating import register_globals, render

router = APIRouter(include_in_schema=False)
register_globals(level_label=level_label, unit_kind_labels=UNIT_KIND_LABELS)
GeoReader = Annotated[User, requires("geo.read")]
# Levels the map shows as boundaries; provinces/cities have none in the data.
MAP_LEVELS = {Level.county.value, Level.township.value, Level.village.value, Level.grid.value}


def home_node(user: User) -> Jurisdiction | None:
    """The jurisdiction a user's map opens on: their post's node."""
    return user.jurisdiction


def tree_of(session: DbSession, node: Jurisdiction, depth: int) -> dict[str, Any]:
    """{node, children: [...]} down to `depth` levels below `node`."""
    kids = children(session, node) if depth > 0 else []
    return {"node": node, "children": [tree_of(session, k, depth - 1) for k in kids]}


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, session: DbSession, user: GeoReader) -> HTMLResponse:
    node = home_node(user)
    depth = 3 if node is not None and node.level in ("county", "township") else 2
    tree = tree_of(session, node, depth) if node is not None else None
    return render(request, "geo/map.html", {"tree": tree, "home": node}, user=user)


def feature(node: Jurisdiction, parent_code: str | None, wkb: bytes) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": mapping(from_wkb(wkb)),
        "properties": {
            "code": node.code,
            "name": node.name,
            "level": node.level,
            "parent": parent_code,
        },
    }


@router.get("/map/boundaries.geojson")
def boundaries_geojson(
    session: DbSession,
    user: GeoReader,
    level: Annotated[str, Query(pattern="^(county|township|village|grid)$")] = "grid",
    under: Annotated[str | None, Query(pattern=r"^\d{12,15}$")] = None,
) -> JSONResponse:
    """Current boundaries of one level below `under` (default: the user's jurisdiction)."""
    node = current_jurisdiction(session, under) if under else home_node(user)
    rows = with_boundaries(session, level=level, under=node)
    if node is not None and node.level == level:
        rows = with_boundaries(session, level=level, under=node.parent) if node.parent else rows
        rows = [r for r in rows if r[0].id == node.id]
    features = [feature(j, pc, wkb) for j, pc, wkb in rows if wkb is not None]
    return JSONResponse(
        {"type": "FeatureCollection", "features": features},
        headers={"Cache-Control": "private, max-age=300"},
    )
