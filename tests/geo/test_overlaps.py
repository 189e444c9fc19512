"""Grid data checks of the import: overlapping grids refused with both codes and the area
(beyond the tolerance), gaps inside a village reported; all or nothing as before."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from shapely.geometry import shape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.errors import Problem
from grassroots.geo.actions import do_import_geojson
from grassroots.geo.geojson.overlaps import EARTH_RADIUS_M, area_m2
from grassroots.geo.models import Jurisdiction
from grassroots.scope import current_jurisdiction
from tests.geo.shapes import GRID_A, GRID_B, VILLAGE, box, edited, feature, small_county


def spherical_box_m2(x0: float, y0: float, x1: float, y1: float) -> float:
    """The exact area of a longitude/latitude box on the sphere: R²·Δλ·(sin φ1 − sin φ0)."""
    r = EARTH_RADIUS_M
    return r * r * math.radians(x1 - x0) * (math.sin(math.radians(y1)) - math.sin(math.radians(y0)))


def _errors(session: Session, data: Any, admin: Any) -> list[dict[str, Any]]:
    before = session.scalar(select(func.count()).select_from(Jurisdiction))
    with pytest.raises(Problem) as caught:
        do_import_geojson(session, data, admin)
    assert caught.value.status == 422
    assert session.scalar(select(func.count()).select_from(Jurisdiction)) == before
    return caught.value.errors


def test_area_in_square_metres_agrees_with_the_sphere() -> None:
    for x0, y0, dx, dy in [(120, 30, 0.01, 0.5), (100, 45, 0.002, 0.003), (110, 20, 0.1, 0.1)]:
        expected = spherical_box_m2(x0, y0, x0 + dx, y0 + dy)
        measured = area_m2(shape(box(x0, y0, x0 + dx, y0 + dy)))
        assert measured == pytest.approx(expected, rel=1e-3)


def test_two_overlapping_grids_in_one_file_are_refused_naming_both_and_the_area(
    session: Session, users: dict[str, Any]
) -> None:
    bad = edited(small_county(), 4, geometry=box(120.24, 30, 120.5, 30.5))
    errors = _errors(session, bad, users["admin"])
    assert [(e["index"], e["code"], e["error"]) for e in errors] == [(4, GRID_B, "grid_overlap")]
    expected = spherical_box_m2(120.24, 30, 120.25, 30.5)  # ≈ 53.4 km²
    assert GRID_A in errors[0]["message"]
    found = re.search(r"重叠 (\d+) 平方米", errors[0]["message"])
    assert found is not None and float(found[1]) == pytest.approx(expected, rel=1e-3)
    assert current_jurisdiction(session, VILLAGE) is None


def test_an_overlap_within_the_tolerance_is_accepted(
    session: Session, users: dict[str, Any]
) -> None:
    sliver = 1e-9  # 1e-9° × 0.5° ≈ 5 m², under the default 10 m²
    data = edited(small_county(), 4, geometry=box(120.25 - sliver, 30, 120.5, 30.5))
    summary = do_import_geojson(session, data, users["admin"])
    assert summary.created == 5 and summary.gaps == []


def test_a_new_grid_overlapping_a_stored_one_is_refused(
    session: Session, users: dict[str, Any]
) -> None:
    do_import_geojson(session, small_county(), users["admin"])
    extra = {
        "type": "FeatureCollection",
        "features": [feature(VILLAGE[:12] + "003", "第三网格", "grid", VILLAGE,
                             box(120.2, 30.1, 120.3, 30.2))],
    }  # fmt: skip
    errors = _errors(session, extra, users["admin"])
    assert [e["error"] for e in errors] == ["grid_overlap", "grid_overlap"]
    named = " ".join(e["message"] for e in errors)
    assert GRID_A in named and GRID_B in named  # it overlaps both stored grids
    assert current_jurisdiction(session, VILLAGE[:12] + "003") is None


def test_a_gap_inside_the_village_is_reported_with_its_area_and_grids(
    session: Session, users: dict[str, Any]
) -> None:
    data = edited(small_county(), 4, geometry=box(120.3, 30, 120.5, 30.5))
    summary = do_import_geojson(session, data, users["admin"])
    assert summary.created == 5
    assert [(g.village, g.grids) for g in summary.gaps] == [(VILLAGE, (GRID_A, GRID_B))]
    expected = spherical_box_m2(120.25, 30, 120.3, 30.5)
    assert summary.gaps[0].area_m2 == pytest.approx(expected, rel=1e-3)


def test_the_api_answers_the_gaps(client_as: Any, session: Session) -> None:
    data = edited(small_county(), 4, geometry=box(120.3, 30, 120.5, 30.5))
    r = client_as("admin").post("/api/v1/geo/import", json=data)
    assert r.status_code == 200
    gaps = r.json()["gaps"]
    assert [(g["village"], g["grids"]) for g in gaps] == [(VILLAGE, [GRID_A, GRID_B])]
    assert gaps[0]["area_m2"] > 1_000_000
