"""Grids of one village must not overlap, and should cover it: the checks of an import.

Pure (the database part comes in as the Context). The grids compared are those the village
will hold after the import: the file's grids plus the current grids in the database that the
file does not replace. A pair overlapping by more than the tolerance (square metres, the
setting GRASSROOTS_GRID_OVERLAP_TOLERANCE_M2) refuses the import, naming both grids and the
area; at least one grid of the pair must come from the file (what is already stored was
accepted before). A gap — a part of a village the grids leave uncovered, larger than the
tolerance — does not refuse the import; it is reported with the village, its area and the
grids around it.

Areas in square metres: the WGS-84 coordinates are projected onto a local equirectangular
plane around the village's (or the pair's) latitude on the mean Earth sphere — well under
1 % off for areas of a village's size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from grassroots.geo.geojson.errors import FeatureError, feature_error
from grassroots.geo.geojson.parse import FeatureIn
from grassroots.geo.models import Level

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def area_m2(geometry: BaseGeometry, latitude: float | None = None) -> float:
    """Area in square metres of a small WGS-84 geometry (local equirectangular plane)."""
    if geometry.is_empty:
        return 0.0
    lat = geometry.centroid.y if latitude is None else latitude
    k = math.radians(1) * EARTH_RADIUS_M
    scale = np.array([k * math.cos(math.radians(lat)), k])
    return float(shapely.transform(geometry, lambda xy: xy * scale).area)


@dataclass(frozen=True)
class Grid:
    code: str
    village: str
    geometry: BaseGeometry
    index: int | None  # the feature's index in the file; None: stored in the database


@dataclass(frozen=True)
class Gap:
    village: str
    area_m2: float
    grids: tuple[str, ...]  # the grids around the gap

    def as_dict(self) -> dict[str, object]:
        return {"village": self.village, "area_m2": round(self.area_m2, 1), "grids": self.grids}


def resulting_grids(
    features: list[FeatureIn], stored: dict[str, list[tuple[str, BaseGeometry]]]
) -> dict[str, list[Grid]]:
    """village code → the grids it holds after the import (file first, then stored)."""
    out: dict[str, list[Grid]] = {}
    in_file = set()
    for f in features:
        if f.level is Level.grid and f.code and f.parent_code and f.geometry is not None:
            out.setdefault(f.parent_code, []).append(
                Grid(f.code, f.parent_code, f.geometry, f.index)
            )
            in_file.add(f.code)
    for village, grids in stored.items():
        for code, geometry in grids:
            if code not in in_file:
                out.setdefault(village, []).append(Grid(code, village, geometry, None))
    return out


def _later(a: Grid, b: Grid) -> bool:
    """Whether the error belongs to `a`: the file's grid, or the later of two in the file."""
    return a.index is not None and (b.index is None or a.index > b.index)


def overlap_errors(grids: list[Grid], tolerance_m2: float) -> list[FeatureError]:
    """Every pair of grids (one at least from the file) overlapping by more than the tolerance."""
    tree = shapely.STRtree([g.geometry for g in grids])
    errors = []
    for i, j in tree.query([g.geometry for g in grids], predicate="intersects").T:
        a, b = grids[i], grids[j]
        if i >= j or (a.index is None and b.index is None):
            continue
        shared = area_m2(a.geometry.intersection(b.geometry), a.geometry.centroid.y)
        if shared > tolerance_m2:
            mine, other = (a, b) if _later(a, b) else (b, a)
            errors.append(feature_error(mine.index, mine.code, "grid_overlap", value=other.code,
                                        area=shared, tolerance=tolerance_m2))  # fmt: skip
    return errors


def village_gaps(
    village: str, outline: BaseGeometry, grids: list[Grid], tolerance_m2: float
) -> list[Gap]:
    """The parts of the village no grid covers, larger than the tolerance."""
    uncovered = outline.difference(shapely.union_all([g.geometry for g in grids]))
    gaps = []
    for part in shapely.get_parts(uncovered):
        size = area_m2(part, outline.centroid.y) if part.geom_type == "Polygon" else 0.0
        if size <= tolerance_m2:
            continue
        around = tuple(sorted(g.code for g in grids if g.geometry.intersects(part.buffer(1e-7))))
        gaps.append(Gap(village, size, around))
    return gaps


def check_grids(
    features: list[FeatureIn], stored: dict[str, list[tuple[str, BaseGeometry]]],
    tolerance_m2: float,
) -> list[FeatureError]:  # fmt: skip
    """The overlaps between the grids of the villages the file touches (pooled, so that
    grids of two neighbouring villages in one file are compared too)."""
    pooled = [g for grids in resulting_grids(features, stored).values() for g in grids]
    return overlap_errors(pooled, tolerance_m2) if len(pooled) > 1 else []


def import_gaps(
    features: list[FeatureIn], stored: dict[str, list[tuple[str, BaseGeometry]]],
    outlines: dict[str, BaseGeometry], tolerance_m2: float,
) -> list[Gap]:  # fmt: skip
    """The gaps inside every village the file touches that has an outline and grids."""
    gaps = []
    for village, grids in sorted(resulting_grids(features, stored).items()):
        outline = outlines.get(village)
        if outline is not None and grids:
            gaps += village_gaps(village, outline, grids, tolerance_m2)
    return gaps
