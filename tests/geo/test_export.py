"""Export per level, and an export imports back into an empty database unchanged."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.geo.actions import do_import_geojson
from grassroots.geo.geojson.export import export_collection
from grassroots.geo.models import Jurisdiction, Level


def test_export_one_level(session: Session):
    grids = export_collection(session, level="grid")
    count = session.scalar(
        select(func.count()).select_from(Jurisdiction).where(Jurisdiction.level == "grid")
    )
    assert grids["type"] == "FeatureCollection" and len(grids["features"]) == count
    first = grids["features"][0]
    assert set(first["properties"]) == {"code", "name", "level", "parent_code"}
    assert first["properties"]["parent_code"] == first["properties"]["code"][:12]
    assert first["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_round_trip_into_an_empty_database(session: Session, fresh_engine, users):
    exported = json.loads(json.dumps(export_collection(session)))
    levels = [f["properties"]["level"] for f in exported["features"]]
    assert levels == sorted(levels, key=lambda lv: list(Level).index(Level(lv)))
    with Session(fresh_engine, expire_on_commit=False) as other:
        summary = do_import_geojson(other, exported, None)
        assert summary.created == len(exported["features"])
        again = json.loads(json.dumps(export_collection(other)))
        assert again == exported
        assert do_import_geojson(other, again, None).unchanged == len(exported["features"])
