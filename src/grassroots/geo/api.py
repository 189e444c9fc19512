"""JSON routes for jurisdictions, grids, units, locate and import (under /api/v1)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse

from grassroots.accounts.models import User
from grassroots.bounds import Count
from grassroots.deps import DbSession, requires
from grassroots.geo import queries
from grassroots.geo.actions import do_import_geojson
from grassroots.geo.geojson.export import export_collection
from grassroots.geo.locate import locate_point
from grassroots.geo.models import Level, UnitKind
from grassroots.geo.schemas import (
    GapOut,
    ImportSummaryOut,
    JurisdictionOut,
    JurisdictionPage,
    LocateOut,
    UnitIn,
    UnitOut,
    UnitPatch,
)
from grassroots.geo.units.actions import do_create_unit, do_set_unit_active, do_update_unit
from grassroots.web.limits import GEOJSON_LIMIT, body_limit

router = APIRouter(tags=["geo"])
READ = [requires("geo.read")]
Configurer = Annotated[User, requires("config.write")]
GEOJSON = "application/geo+json"


def _out(session: DbSession, rows: Any) -> list[JurisdictionOut]:
    parents = queries.parent_codes(session, rows)
    return [JurisdictionOut.of(r, parents.get(r.parent_id or 0)) for r in rows]


@router.get("/jurisdictions", dependencies=READ, response_model=JurisdictionPage)
def list_jurisdictions(
    session: DbSession,
    level: Level | None = None,
    parent: Annotated[str | None, Query(description="上级代码 / parent code")] = None,
    q: Annotated[str | None, Query(max_length=50, description="名称包含 / name contains")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Count = 0,
) -> JurisdictionPage:
    """区划列表 / current jurisdictions, filtered by level, parent and name."""
    parent_row = queries.jurisdiction_or_404(session, parent) if parent else None
    stmt = queries.jurisdictions_query(level.value if level else None, parent_row, q)
    total, rows = queries.page(session, stmt, limit, offset)
    return JurisdictionPage(items=_out(session, rows), total=total, limit=limit, offset=offset)


@router.get("/jurisdictions/{code}", dependencies=READ, response_model=JurisdictionOut)
def get_jurisdiction(code: str, session: DbSession) -> JurisdictionOut:
    """一个区划 / one current jurisdiction by code."""
    return _out(session, [queries.jurisdiction_or_404(session, code)])[0]


@router.get(
    "/jurisdictions/{code}/children", dependencies=READ, response_model=list[JurisdictionOut]
)
def get_children(code: str, session: DbSession) -> list[JurisdictionOut]:
    """下级区划 / the current children of a jurisdiction."""
    return _out(session, queries.children(session, queries.jurisdiction_or_404(session, code)))


@router.get(
    "/grids.geojson",
    dependencies=READ,
    response_class=JSONResponse,
    responses={200: {"content": {GEOJSON: {}}}},
)
def grids_geojson(
    session: DbSession,
    parent: Annotated[str | None, Query(description="只含该区划下的网格 / grids under")] = None,
) -> JSONResponse:
    """网格边界 / grid boundaries as a GeoJSON FeatureCollection, optionally one subtree."""
    under = queries.jurisdiction_or_404(session, parent) if parent else None
    data = export_collection(session, level=Level.grid.value, under=under)
    return JSONResponse(data, media_type=GEOJSON)


@router.get("/locate", dependencies=READ, response_model=LocateOut)
def locate(
    session: DbSession,
    lat: Annotated[float, Query(ge=-90, le=90, description="纬度 WGS-84")],
    lng: Annotated[float, Query(ge=-180, le=180, description="经度 WGS-84")],
) -> LocateOut:
    """定位 / which grid a point lies in. Outside every grid: 200 with inside=false."""
    return LocateOut.of(lat, lng, locate_point(session, lat, lng))


@router.get("/units", dependencies=READ, response_model=list[UnitOut])
def list_units(
    session: DbSession,
    jurisdiction: Annotated[str | None, Query(description="所属区划代码")] = None,
    kind: UnitKind | None = None,
) -> list[UnitOut]:
    """单位列表 / active organisational units, by jurisdiction and kind."""
    owner = queries.jurisdiction_or_404(session, jurisdiction) if jurisdiction else None
    return [UnitOut.of(u) for u in queries.units(session, owner, kind.value if kind else None)]


@router.post("/units", status_code=201, response_model=UnitOut)
def create_unit(session: DbSession, user: Configurer, data: UnitIn) -> UnitOut:
    """新建单位 / a new unit in the administrator's jurisdiction subtree (409: code taken)."""
    return UnitOut.of(do_create_unit(session, data, actor=user))


@router.patch("/units/{unit_code}", response_model=UnitOut)
def update_unit(session: DbSession, user: Configurer, unit_code: str, data: UnitPatch) -> UnitOut:
    """修改单位 / rename a unit or change its kind."""
    return UnitOut.of(do_update_unit(session, unit_code, data, actor=user))


@router.post("/units/{unit_code}/deactivate", response_model=UnitOut)
def deactivate_unit(session: DbSession, user: Configurer, unit_code: str) -> UnitOut:
    """停用单位 / no longer offered for assignment; 409 while it holds open cases."""
    return UnitOut.of(do_set_unit_active(session, unit_code, False, actor=user))


@router.post("/units/{unit_code}/reactivate", response_model=UnitOut)
def reactivate_unit(session: DbSession, user: Configurer, unit_code: str) -> UnitOut:
    """启用单位 / offer a deactivated unit again."""
    return UnitOut.of(do_set_unit_active(session, unit_code, True, actor=user))


@router.post(
    "/geo/import", response_model=ImportSummaryOut, openapi_extra=body_limit(GEOJSON_LIMIT)
)
def import_geojson(
    session: DbSession,
    user: Annotated[User, requires("geo.write")],
    data: Annotated[dict[str, Any], Body(description="GeoJSON FeatureCollection")],
) -> ImportSummaryOut:
    """导入区划 / import a GeoJSON FeatureCollection: all of it or nothing (422 lists errors)."""
    summary = do_import_geojson(session, data, user)
    gaps = [GapOut.model_validate(g.as_dict()) for g in summary.gaps]
    return ImportSummaryOut(**summary.as_dict(), gaps=gaps)
