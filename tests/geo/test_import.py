"""GeoJSON import: every kind of bad input is refused, listed, and writes nothing; good
files import; re-import keeps boundary history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.errors import Problem
from grassroots.geo.actions import do_import_geojson
from grassroots.geo.locate import locate_point
from grassroots.geo.models import Boundary, Jurisdiction
from grassroots.geo.queries import current_boundary
from grassroots.scope import current_jurisdiction
from tests.geo import shapes
from tests.geo.shapes import box, edited, small_county

BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[120, 30], [120.2, 30.2], [120.2, 30], [120, 30.2], [120, 30]]],
}
UNCLOSED = {
    "type": "Polygon",
    "coordinates": [[[120, 30], [120.2, 30], [120.2, 30.2], [120, 30.2]]],
}
SHORT = {"type": "Polygon", "coordinates": [[[120, 30], [120.2, 30], [120, 30]]]}


def _counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Jurisdiction)) or 0,
        session.scalar(select(func.count()).select_from(Boundary)) or 0,
        session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
    )


def _refused(session: Session, data: Any, admin: Any) -> list[dict[str, Any]]:
    before = _counts(session)
    with pytest.raises(Problem) as caught:
        do_import_geojson(session, data, admin)
    assert caught.value.status == 422 and caught.value.code == "geojson_invalid"
    assert _counts(session) == before, "a refused import wrote something"
    for error in caught.value.errors:
        zh, en = error["message"].split(" / ", 1)
        assert zh and en and zh != en
    return caught.value.errors


BAD_FILES: list[tuple[str, Any, int | None, str]] = [
    ("self-intersection", edited(small_county(), 3, geometry=BOWTIE), 3, "self_intersection"),
    ("unclosed ring", edited(small_county(), 3, geometry=UNCLOSED), 3, "ring_not_closed"),
    ("short ring", edited(small_county(), 3, geometry=SHORT), 3, "ring_too_short"),
    (
        "empty",
        edited(small_county(), 2, geometry={"type": "Polygon", "coordinates": []}),
        2,
        "empty_geometry",
    ),
    (
        "point",
        edited(small_county(), 4, geometry={"type": "Point", "coordinates": [120, 30]}),
        4,
        "wrong_geometry_type",
    ),
    (
        "bad coordinates",
        edited(small_county(), 4, geometry=box(120, 30, 200, 30.5)),
        4,
        "bad_coordinates",
    ),
    ("grid without boundary", edited(small_county(), 4, geometry=None), 4, "missing_geometry"),
    ("unknown level", edited(small_county(), 1, level="town"), 1, "unknown_level"),
    ("parent absent", edited(small_county(), 2, parent_code="990102009000"), 2, "parent_not_found"),
    ("parent no parent", edited(small_county(), 2, parent_code=None), 2, "missing_parent_code"),
    (
        "parent two up",
        edited(small_county(), 2, parent_code=shapes.COUNTY),
        2,
        "parent_wrong_level",
    ),
    ("duplicate", edited(small_county(), 4, code=shapes.GRID_A), 4, "duplicate_code"),
    ("short code", edited(small_county(), 1, code="99010200100"), 1, "bad_code"),
    ("letters", edited(small_county(), 1, code="99010200A000"), 1, "bad_code"),
    ("grid code of 12", edited(small_county(), 4, code="990102001002"), 4, "bad_code"),
    ("trailing digits", edited(small_county(), 1, code="990102001007"), 1, "code_trailing_digits"),
    ("zero segment", edited(small_county(), 4, code="990102001001000"), 4, "code_zero_segment"),
    (
        "grid not under village",
        edited(small_county(), 4, code="990102001002002"),
        4,
        "code_not_under_parent",
    ),
    (
        "grid outside village",
        edited(small_county(), 4, geometry=box(120.25, 30.4, 120.5, 30.9)),
        4,
        "outside_parent",
    ),
    ("no name", edited(small_county(), 3, name="  "), 3, "missing_name"),
    # the zero pattern of a code fixes its level: a township's code cannot be a county's
    ("level vs code", edited(small_county(), 0, code="990101001000"), 0, "code_trailing_digits"),
    ("not a collection", {"type": "Feature"}, None, "not_feature_collection"),
    ("no features", {"type": "FeatureCollection", "features": []}, None, "empty_collection"),
]


@pytest.mark.parametrize(
    ("data", "index", "error"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES]
)
def test_bad_input_is_refused_listed_and_writes_nothing(session, users, data, index, error):
    errors = _refused(session, data, users["admin"])
    assert any(e["error"] == error and e["index"] == index for e in errors), errors


def test_every_error_is_listed_at_once(session, users):
    data = edited(small_county(), 3, geometry=BOWTIE)
    data = edited(data, 1, level="town")
    data["features"].append("not a feature")
    errors = _refused(session, data, users["admin"])
    assert [(e["index"], e["error"]) for e in errors] == [
        (1, "unknown_level"),
        (3, "self_intersection"),
        (5, "not_a_feature"),
    ]


def test_new_boundary_must_keep_existing_children(session, users):
    village = current_jurisdiction(session, "990101001001")
    assert village is not None
    feature = shapes.feature(
        village.code, village.name, "village", "990101001000", box(0, 0, 0.001, 0.001)
    )
    data = {"type": "FeatureCollection", "features": [feature]}
    errors = _refused(session, data, users["admin"])
    assert {e["error"] for e in errors} >= {"outside_parent", "child_outside"}


def test_small_county_imports_and_is_located(session, users):
    summary = do_import_geojson(session, small_county(), users["admin"])
    assert summary.created == 5 and summary.unchanged == 0
    grid = current_jurisdiction(session, shapes.GRID_B)
    assert grid is not None and grid.parent is not None and grid.parent.code == shapes.VILLAGE
    found = locate_point(session, 30.25, 120.4)
    assert found is not None and found.grid_code == shapes.GRID_B
    assert found.names["county"] == "测试县"
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "geo.import")).all()
    assert [a.details["created"] for a in audit] == [5]
    assert audit[0].actor_name == "admin"


def test_real_world_shaped_file_imports(session, users):
    summary = do_import_geojson(session, shapes.real_world_shaped(), users["admin"])
    assert summary.created == 4
    grid = current_jurisdiction(session, "990103001001001")
    assert grid is not None
    boundary = current_boundary(session, grid.id)
    assert boundary is not None
    on_main = locate_point(session, 30.5 + 0.2, 121.5)
    in_lake = locate_point(session, 30.5, 121.5)
    on_island = locate_point(session, 30.5, 122.1)
    assert on_main is not None and on_main.grid_code == grid.code
    assert in_lake is None
    assert on_island is not None and on_island.grid_code == grid.code


def test_reimport_keeps_history_renames_and_skips_unchanged(session, users):
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    do_import_geojson(session, small_county(), users["admin"], now=t0)
    moved = edited(small_county(), 3, geometry=box(120, 30, 120.4, 30.5), name="一号网格")
    moved = edited(moved, 4, geometry=box(120.4, 30, 120.5, 30.5))
    t1 = t0 + timedelta(days=30)
    summary = do_import_geojson(session, moved, users["admin"], now=t1)
    assert (summary.created, summary.renamed, summary.reshaped, summary.unchanged) == (0, 1, 2, 3)
    grid = current_jurisdiction(session, shapes.GRID_A)
    assert grid is not None and grid.name == "一号网格"
    history = session.scalars(
        select(Boundary).where(Boundary.jurisdiction_id == grid.id).order_by(Boundary.valid_from)
    ).all()
    assert [(b.valid_from, b.valid_to) for b in history] == [(t0, t1), (t1, None)]
    found = locate_point(session, 30.25, 120.3)
    assert found is not None and found.grid_code == shapes.GRID_A
    assert found.names["grid"] == "一号网格"
    again = do_import_geojson(session, moved, users["admin"], now=t1 + timedelta(days=1))
    assert again.unchanged == 5 and again.created == again.renamed == again.reshaped == 0
