"""Locate agrees with a brute-force shapely check, including shared edges and outside."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.geo.locate import Located, locate_many, locate_point
from grassroots.geo.models import Boundary, Jurisdiction, Level
from grassroots.scope import current_jurisdiction


def _grids(session: Session) -> tuple[list[str], np.ndarray]:
    rows = session.execute(
        select(Jurisdiction.code, Boundary.wkb)
        .join(Boundary, Boundary.jurisdiction_id == Jurisdiction.id)
        .where(Jurisdiction.level == Level.grid.value, Boundary.valid_to.is_(None))
        .order_by(Jurisdiction.code)
    ).all()
    return [code for code, _ in rows], shapely.from_wkb([wkb for _, wkb in rows])


def brute_force(codes: list[str], polygons: np.ndarray, lat: float, lng: float) -> str | None:
    """The lowest code among grids whose closed polygon covers the point."""
    point = shapely.Point(lng, lat)
    hits = [code for code, poly in zip(codes, polygons, strict=True) if poly.intersects(point)]
    return min(hits) if hits else None


def _special_points(polygons: np.ndarray) -> list[tuple[float, float]]:
    """Shared vertices and edge midpoints of the grid tiling, as (lat, lng)."""
    out: list[tuple[float, float]] = []
    for poly in polygons[:40]:
        ring = np.asarray(shapely.get_coordinates(poly))
        out += [(y, x) for x, y in ring[::3]]
        mids = (ring[:-1] + ring[1:]) / 2
        out += [(y, x) for x, y in mids[::3]]
    return out


def test_a_point_inside_gets_its_whole_path(session: Session):
    codes, polygons = _grids(session)
    inner = polygons[0].representative_point()
    found = locate_point(session, inner.y, inner.x)
    assert isinstance(found, Located)
    assert found.grid_code == codes[0]
    grid = current_jurisdiction(session, codes[0])
    assert grid is not None and found.grid_id == grid.id
    assert found.village_code == codes[0][:12]
    assert found.township_code == codes[0][:9] + "000"
    assert found.county_code == codes[0][:6] + "000000"
    assert found.names["county"] == "示范县" and found.names["grid"] == grid.name


def test_far_away_is_outside(session: Session):
    assert locate_point(session, 0.0, 0.0) is None
    assert locate_many(session, [0.0, 89.0], [0.0, -170.0]) == [None, None]


def test_shared_vertex_goes_to_lowest_code(session: Session):
    codes, polygons = _grids(session)
    # a vertex of the first grid shared with another grid: lies on both closed polygons
    for x, y in shapely.get_coordinates(polygons[0]):
        point = shapely.Point(x, y)
        sharing = [c for c, p in zip(codes, polygons, strict=True) if p.intersects(point)]
        if len(sharing) > 1:
            found = locate_point(session, y, x)
            assert found is not None and found.grid_code == min(sharing)
            return
    raise AssertionError("the demo tiling has no shared vertex on its first grid")


coordinate = st.tuples(st.floats(30.2, 31.0), st.floats(112.0, 112.8))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    random_points=st.lists(coordinate, min_size=1, max_size=200),
    special=st.lists(st.integers(0, 10_000), max_size=60),
)
def test_locate_agrees_with_brute_force(session: Session, random_points, special):
    codes, polygons = _grids(session)
    specials = _special_points(polygons)
    points = random_points + [specials[i % len(specials)] for i in special]
    lats = [p[0] for p in points]
    lngs = [p[1] for p in points]
    many = locate_many(session, lats, lngs)
    for (lat, lng), found in zip(points, many, strict=True):
        expected = brute_force(codes, polygons, lat, lng)
        assert (found.grid_code if found else None) == expected
        assert locate_point(session, lat, lng) == found


def test_index_follows_boundary_changes_written_elsewhere(session: Session, monkeypatch):
    """Another process's import cannot tell this process: the reference stamp, which the
    database changes with every boundary write, makes the next lookup rebuild the index."""
    from shapely.geometry import box

    assert locate_point(session, 10.5, 10.5) is None
    village = current_jurisdiction(session, "990101001001")
    assert village is not None
    grid = Jurisdiction(code="990101001001099", name="新网格", level="grid", parent=village)
    session.add(grid)
    session.add(Boundary(jurisdiction=grid, wkb=shapely.to_wkb(box(10, 10, 11, 11))))
    session.flush()  # written as another writer would
    found = locate_point(session, 10.5, 10.5)
    assert found is not None and found.grid_code == "990101001001099"
    assert found.village_code == village.code


def test_exact_shared_edge_goes_to_lowest_code(session: Session, users):
    """Grids A [120, 120.25] and B [120.25, 120.5] share the line lng = 120.25 exactly."""
    from grassroots.geo.actions import do_import_geojson
    from tests.geo import shapes

    do_import_geojson(session, shapes.small_county(), users["admin"])
    lats = [30.0, 30.1, 30.25, 30.5, 30.25, 30.25]
    lngs = [120.25, 120.25, 120.25, 120.25, 120.2500001, 120.2499999]
    codes = [f.grid_code if f else None for f in locate_many(session, lats, lngs)]
    a, b = shapes.GRID_A, shapes.GRID_B
    assert codes == [a, a, a, a, b, a]
    assert locate_point(session, 30.5000001, 120.25) is None  # just north of the village
    with pytest.raises(ValueError, match="same length"):
        locate_many(session, [30.0, 30.1], [120.0])
