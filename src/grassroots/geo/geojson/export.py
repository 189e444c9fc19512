"""GeoJSON out: the current jurisdictions (one level or all) as a FeatureCollection in the
same shape the import reads, so an export imports back unchanged."""

from __future__ import annotations

from typing import Any

from shapely import from_wkb
from shapely.geometry import mapping
from sqlalchemy.orm import Session

from grassroots.geo.models import Jurisdiction
from grassroots.geo.queries import with_boundaries


def feature(row: Jurisdiction, parent_code: str | None, wkb: bytes | None) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {
            "code": row.code,
            "name": row.name,
            "level": row.level,
            "parent_code": parent_code,
        },
        "geometry": mapping(from_wkb(wkb)) if wkb is not None else None,
    }


def export_collection(
    session: Session, level: str | None = None, under: Jurisdiction | None = None
) -> dict[str, Any]:
    """Current nodes (parents before children), optionally one level and/or one subtree."""
    rows = with_boundaries(session, level=level, under=under)
    return {
        "type": "FeatureCollection",
        "features": [feature(row, parent_code, wkb) for row, parent_code, wkb in rows],
    }
