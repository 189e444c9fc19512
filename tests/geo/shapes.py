"""GeoJSON files for the geo tests: a small new county beside the demo one (its city exists
in the seed world and has no boundary), and a real-world-shaped one."""

from __future__ import annotations

import copy
import math
from typing import Any

CITY = "990100000000"
COUNTY = "990102000000"
TOWNSHIP = "990102001000"
VILLAGE = "990102001001"
GRID_A = "990102001001001"
GRID_B = "990102001001002"


def box(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
    }


def feature(code: str, name: str, level: str, parent: str | None, geometry: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "level": level, "parent_code": parent},
        "geometry": geometry,
    }


def small_county() -> dict[str, Any]:
    """county [120,121]×[30,31] › township west half › village its south half › 2 grids."""
    return {
        "type": "FeatureCollection",
        "features": [
            feature(COUNTY, "测试县", "county", CITY, box(120, 30, 121, 31)),
            feature(TOWNSHIP, "测试镇", "township", COUNTY, box(120, 30, 120.5, 31)),
            feature(VILLAGE, "测试村", "village", TOWNSHIP, box(120, 30, 120.5, 30.5)),
            feature(GRID_A, "第一网格", "grid", VILLAGE, box(120, 30, 120.25, 30.5)),
            feature(GRID_B, "第二网格", "grid", VILLAGE, box(120.25, 30, 120.5, 30.5)),
        ],
    }


def edited(data: dict[str, Any], index: int, **changes: Any) -> dict[str, Any]:
    """A copy of `data` with feature `index`'s properties/geometry changed."""
    out = copy.deepcopy(data)
    target = out["features"][index]
    for key, value in changes.items():
        if key == "geometry":
            target["geometry"] = value
        else:
            target["properties"][key] = value
    return out


def ring(cx: float, cy: float, r: float, n: int, clockwise: bool = False) -> list[list[float]]:
    """A closed, slightly wobbly n-vertex ring (a real coastline has many vertices)."""
    step = -2 * math.pi / n if clockwise else 2 * math.pi / n
    points = [
        [
            cx + r * (1 + 0.02 * math.sin(17 * i * step)) * math.cos(i * step),
            cy + r * (1 + 0.02 * math.sin(17 * i * step)) * math.sin(i * step),
        ]
        for i in range(n)
    ]
    return [*points, points[0]]


def real_world_shaped() -> dict[str, Any]:
    """A county that is a MultiPolygon: a 10,000-vertex main part with a lake (hole) and an
    island; a township and a village the same shape, and one grid covering it all."""
    main = [ring(121.5, 30.5, 0.3, 10_000), ring(121.5, 30.5, 0.08, 2_000, clockwise=True)]
    island = [ring(122.1, 30.5, 0.1, 3_000)]
    shape = {"type": "MultiPolygon", "coordinates": [main, island]}
    county, township, village = "990103000000", "990103001000", "990103001001"
    return {
        "type": "FeatureCollection",
        "features": [
            feature(county, "湖岛县", "county", CITY, shape),
            feature(township, "湖岛镇", "township", county, shape),
            feature(village, "湖岛村", "village", township, shape),
            feature(village + "001", "全村网格", "grid", village, shape),
        ],
    }


def with_ancestors(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with the province and city above it (no boundary), for an empty database."""
    out = copy.deepcopy(data)
    out["features"][:0] = [
        feature("990000000000", "示范省", "province", None, None),
        feature(CITY, "示范市", "city", "990000000000", None),
    ]
    return out
