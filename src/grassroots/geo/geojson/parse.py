"""Parsing one GeoJSON file into features, checking each feature on its own (pure: no DB).

Relations between features and with the database are checked in geo/geojson/validate.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from grassroots.geo.geojson.errors import LEVEL_ZH, FeatureError, feature_error
from grassroots.geo.models import LEVEL_ORDER, SIGNIFICANT_DIGITS, Level

CODE_DIGITS = {level: 15 if level is Level.grid else 12 for level in Level}
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class FeatureIn:
    """One feature of the file; fields that failed their own check are None."""

    index: int
    code: str | None
    name: str | None
    level: Level | None
    parent_code: str | None
    geometry: BaseGeometry | None


def _level(value: Any) -> Level | None:
    return Level(value) if isinstance(value, str) and value in Level.__members__ else None


def code_errors(index: int, code: Any, level: Level) -> list[FeatureError]:
    """The code's own format for its level: digits, trailing zeros, a non-zero own segment."""
    digits = CODE_DIGITS[level]
    label = {"level": level.value, "level_zh": LEVEL_ZH[level]}
    if not isinstance(code, str) or len(code) != digits or not _DIGITS.fullmatch(code):
        return [feature_error(index, str(code), "bad_code", value=code, digits=digits, **label)]
    significant = SIGNIFICANT_DIGITS[level]
    if code[significant:].strip("0"):
        return [
            feature_error(
                index, code, "code_trailing_digits", value=code, digits=significant, **label
            )
        ]
    i = LEVEL_ORDER.index(level)
    start = SIGNIFICANT_DIGITS[LEVEL_ORDER[i - 1]] if i > 0 else 0
    if not code[start:significant].strip("0"):
        return [feature_error(index, code, "code_zero_segment", value=code)]
    return []


def _ring_errors(index: int, code: str | None, ring: Any, number: int) -> list[FeatureError]:
    try:
        coords = np.asarray(ring, dtype=np.float64)
    except (TypeError, ValueError):
        return [feature_error(index, code, "bad_coordinates")]
    if coords.ndim != 2 or coords.shape[1] not in (2, 3) or not np.isfinite(coords).all():
        return [feature_error(index, code, "bad_coordinates")]
    if (np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any():
        return [feature_error(index, code, "bad_coordinates")]
    if len(coords) < 4:
        return [feature_error(index, code, "ring_too_short", ring=number)]
    if not np.array_equal(coords[0], coords[-1]):
        return [feature_error(index, code, "ring_not_closed", ring=number)]
    return []


def _polygons_of(geometry: dict[str, Any]) -> list[Any] | None:
    coords = geometry.get("coordinates")
    if not isinstance(coords, list | tuple):
        return None
    return list(coords) if geometry.get("type") == "MultiPolygon" else [coords]


def _structure_errors(index: int, code: str | None, geometry: Any) -> list[FeatureError]:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        return [feature_error(index, code, "wrong_geometry_type", value=kind)]
    polygons = _polygons_of(geometry)
    if polygons is None:
        return [feature_error(index, code, "bad_coordinates")]
    rings = [ring for polygon in polygons if isinstance(polygon, list | tuple) for ring in polygon]
    if not polygons or not all(isinstance(p, list | tuple) and p for p in polygons) or not rings:
        return [feature_error(index, code, "empty_geometry")]
    errors: list[FeatureError] = []
    for number, ring in enumerate(rings, 1):
        errors += _ring_errors(index, code, ring, number)
    return errors


def parse_geometry(
    index: int, code: str | None, geometry: Any
) -> tuple[BaseGeometry | None, list[FeatureError]]:
    """A valid 2-D (Multi)Polygon from a GeoJSON geometry, or the reasons it is not one."""
    errors = _structure_errors(index, code, geometry)
    if errors:
        return None, errors
    shp = shapely.force_2d(shape(geometry))
    if shp.is_empty:
        return None, [feature_error(index, code, "empty_geometry")]
    if not shp.is_valid:
        reason = shapely.is_valid_reason(shp)
        kind = "self_intersection" if "self-intersection" in reason.lower() else "invalid_geometry"
        return None, [feature_error(index, code, kind, reason=reason)]
    return shp, []


def _text_errors(index: int, code: str | None, name: Any) -> list[FeatureError]:
    if not isinstance(name, str) or not name.strip():
        return [feature_error(index, code, "missing_name")]
    if len(name.strip()) > 100:
        return [feature_error(index, code, "name_too_long")]
    return []


def parse_feature(index: int, item: Any) -> tuple[FeatureIn | None, list[FeatureError]]:
    if not isinstance(item, dict) or item.get("type") != "Feature":
        return None, [feature_error(index, None, "not_a_feature", position=index)]
    props = item.get("properties")
    if not isinstance(props, dict):
        return None, [feature_error(index, None, "missing_properties")]
    raw_code, raw_level = props.get("code"), props.get("level")
    label = str(raw_code) if raw_code is not None else None
    level = _level(raw_level)
    errors = [] if level else [feature_error(index, label, "unknown_level", value=raw_level)]
    if level is not None:
        errors += code_errors(index, raw_code, level)
    code_ok = not errors
    errors += _text_errors(index, label, props.get("name"))
    geometry: BaseGeometry | None = None
    geo_errors: list[FeatureError] = []
    if item.get("geometry") is not None:
        geometry, geo_errors = parse_geometry(index, label, item["geometry"])
    elif level is Level.grid:
        geo_errors = [feature_error(index, label, "missing_geometry")]
    parent = props.get("parent_code")
    feature = FeatureIn(
        index=index,
        code=label if code_ok else None,
        name=props["name"].strip() if isinstance(props.get("name"), str) else None,
        level=level,
        parent_code=str(parent) if parent not in (None, "") else None,
        geometry=geometry,
    )
    return feature, errors + geo_errors


def parse_collection(data: Any) -> tuple[list[FeatureIn], list[FeatureError]]:
    """Every feature of the file, and everything wrong with any feature on its own."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return [], [feature_error(None, None, "not_feature_collection")]
    items = data.get("features")
    if not isinstance(items, list):
        return [], [feature_error(None, None, "not_feature_collection")]
    if not items:
        return [], [feature_error(None, None, "empty_collection")]
    features: list[FeatureIn] = []
    errors: list[FeatureError] = []
    for index, item in enumerate(items):
        feature, found = parse_feature(index, item)
        errors += found
        if feature is not None:
            features.append(feature)
    return features, errors
