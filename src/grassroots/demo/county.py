"""Builds the demo county's tree: province › city › county › 8 townships › villages › grids.

Boundaries tile their parent exactly: each level is a Voronoi tessellation of random seed
points, clipped to the parent polygon, so children share edges and cover the parent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon
from shapely.geometry.base import BaseGeometry

from grassroots.demo import names
from grassroots.geo.models import Level

COUNTY_CENTRE = (112.40, 30.60)  # lng, lat of the fictional county's middle
PROVINCE_CODE = "990000000000"
CITY_CODE = "990100000000"
COUNTY_CODE = "990101000000"


@dataclass
class Node:
    code: str
    name: str
    level: Level
    parent_code: str | None
    geometry: BaseGeometry | None
    children: list[Node] = field(default_factory=list)


def _county_outline(rng: np.random.Generator) -> Polygon:
    angles = np.linspace(0, 2 * math.pi, 48, endpoint=False)
    radii = 0.22 * (
        1 + 0.12 * np.sin(3 * angles + rng.uniform(0, 6)) + rng.uniform(-0.04, 0.04, 48)
    )
    lng = COUNTY_CENTRE[0] + radii * np.cos(angles) * 1.15
    lat = COUNTY_CENTRE[1] + radii * np.sin(angles)
    return shapely.set_precision(Polygon(np.column_stack([lng, lat])), 1e-7)


def _points_inside(parent: BaseGeometry, n: int, rng: np.random.Generator) -> list[shapely.Point]:
    minx, miny, maxx, maxy = parent.bounds
    points: list[shapely.Point] = []
    inner = parent.buffer(-0.002 * max(maxx - minx, maxy - miny))
    while len(points) < n:
        p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if inner.contains(p) and all(p.distance(q) > 1e-4 for q in points):
            points.append(p)
    return points


def tessellate(parent: BaseGeometry, n: int, rng: np.random.Generator) -> list[BaseGeometry]:
    """n cells that tile `parent`: Voronoi cells of n interior points clipped to it."""
    points = _points_inside(parent, n, rng)
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=parent, ordered=True)
    clipped = [c.intersection(parent) for c in cells.geoms]
    # Order cells west → east, then south → north, so codes read naturally on the map.
    return sorted(clipped, key=lambda g: (round(g.centroid.x, 3), g.centroid.y))


def _village_name(rng: np.random.Generator, used: set[str], community: bool) -> str:
    while True:
        if community:
            name = str(rng.choice(names.COMMUNITY_NAMES)) + "社区"
        else:
            first = names.VILLAGE_FIRST[rng.integers(len(names.VILLAGE_FIRST))]
            second = names.VILLAGE_SECOND[rng.integers(len(names.VILLAGE_SECOND))]
            name = f"{first}{second}村"
        if name not in used:
            used.add(name)
            return name


def _grid_name(index: int) -> str:
    return f"第{names.GRID_NUMERALS[index]}网格"


def build_tree(seed: int = 2026) -> Node:
    """The whole demo tree, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    county_shape = _county_outline(rng)
    province = Node(PROVINCE_CODE, "示范省", Level.province, None, None)
    city = Node(CITY_CODE, "示范市", Level.city, PROVINCE_CODE, None)
    county = Node(COUNTY_CODE, "示范县", Level.county, CITY_CODE, county_shape)
    province.children.append(city)
    city.children.append(county)
    used: set[str] = set()
    for t_index, t_shape in enumerate(tessellate(county_shape, len(names.TOWNSHIPS), rng), 1):
        t_name, subdistrict = names.TOWNSHIPS[t_index - 1]
        t_code = f"{COUNTY_CODE[:6]}{t_index:03d}000"
        township = Node(t_code, t_name, Level.township, COUNTY_CODE, t_shape)
        county.children.append(township)
        n_villages = int(rng.integers(8, 13))
        for v_index, v_shape in enumerate(tessellate(t_shape, n_villages, rng), 1):
            # Statistical codes: 0xx for communities (居委会), 2xx for villages (村委会).
            v_code = f"{t_code[:9]}{(0 if subdistrict else 200) + v_index:03d}"
            v_name = _village_name(rng, used, subdistrict)
            village = Node(v_code, v_name, Level.village, t_code, v_shape)
            township.children.append(village)
            for g_index, g_shape in enumerate(tessellate(v_shape, int(rng.integers(3, 7)), rng)):
                g_code = f"{v_code}{g_index + 1:03d}"
                village.children.append(
                    Node(g_code, _grid_name(g_index), Level.grid, v_code, g_shape)
                )
    return province


def walk(node: Node) -> list[Node]:
    """Parents before children."""
    out = [node]
    for child in node.children:
        out.extend(walk(child))
    return out
