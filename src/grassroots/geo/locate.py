"""Point → grid → the whole path of codes, from an in-memory STRtree of the grid boundaries.

The index is built once per process and database from the current grid boundaries and
rebuilt when the jurisdictions or boundaries change, in this process or another: it is
cached with the reference stamp (grassroots.refdata) that every write to them changes.

Edge rule: a point on the boundary of a grid belongs to it (polygons are closed), so a point
on an edge or vertex shared by several grids is covered by all of them; it goes to the one
with the lowest grid code. A point covered by no grid is outside the jurisdiction (None).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots import refdata
from grassroots.geo.models import Boundary, Jurisdiction, Level


@dataclass(frozen=True)
class Located:
    grid_id: int
    grid_code: str
    village_code: str
    township_code: str
    county_code: str
    names: dict[str, str]  # level → name, from the grid up to the root


@dataclass
class GridIndex:
    """The STRtree over grid polygons sorted by grid code (tree index order = code order)."""

    tree: shapely.STRtree
    located: list[Located]

    @property
    def lookup(self) -> list[Located | None]:
        # Index len(located) stands for "no grid": one list lookup per point, no branch.
        return [*self.located, None]


def _located_for(grid_id: int, nodes: dict[int, tuple[str, str, str, int | None]]) -> Located:
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    node_id: int | None = grid_id
    while node_id is not None and node_id in nodes:
        code, name, level, node_id = nodes[node_id]
        codes[level], names[level] = code, name
    return Located(
        grid_id=grid_id,
        grid_code=codes[Level.grid],
        village_code=codes.get(Level.village, ""),
        township_code=codes.get(Level.township, ""),
        county_code=codes.get(Level.county, ""),
        names=names,
    )


def build_index(session: Session) -> GridIndex:
    current = Jurisdiction.valid_to.is_(None)
    nodes = {
        row.id: (row.code, row.name, row.level, row.parent_id)
        for row in session.execute(
            select(
                Jurisdiction.id,
                Jurisdiction.code,
                Jurisdiction.name,
                Jurisdiction.level,
                Jurisdiction.parent_id,
            ).where(current)
        )
    }
    grids = session.execute(
        select(Jurisdiction.id, Boundary.wkb)
        .join(Boundary, Boundary.jurisdiction_id == Jurisdiction.id)
        .where(current, Boundary.valid_to.is_(None), Jurisdiction.level == Level.grid.value)
        .order_by(Jurisdiction.code)
    ).all()
    geometries = shapely.from_wkb([wkb for _, wkb in grids])
    located = [_located_for(grid_id, nodes) for grid_id, _ in grids]
    return GridIndex(shapely.STRtree(geometries), located)


def grid_index(session: Session, stamp: str = "") -> GridIndex:
    """This database's index, rebuilt when its jurisdictions or boundaries have changed (in
    any process: the reference stamp, grassroots.refdata). `stamp`: the reference stamp the
    caller read in this transaction, if it did (spares reading it again)."""
    found = refdata.lookup(session, "grid_index", stamp) if stamp else None
    if found is not None:
        return found  # type: ignore[no-any-return]
    return refdata.cached(session, "grid_index", build_index)


def _best(index: GridIndex, point_idx: np.ndarray, tree_idx: np.ndarray, n: int) -> np.ndarray:
    """Per point, the lowest tree index (= lowest grid code) among its hits, else 'none'."""
    best = np.full(n, len(index.located), dtype=np.intp)
    np.minimum.at(best, point_idx, tree_idx)
    return best


def locate_many(session: Session, lats: ArrayLike, lngs: ArrayLike) -> list[Located | None]:
    """Vectorised locate: one STRtree query for all points (WGS-84 degrees)."""
    index = grid_index(session)
    lat = np.asarray(lats, dtype=np.float64).ravel()
    lng = np.asarray(lngs, dtype=np.float64).ravel()
    if lat.shape != lng.shape:
        raise ValueError("lats and lngs must have the same length")
    points = shapely.points(lng, lat)
    point_idx, tree_idx = index.tree.query(points, predicate="intersects")
    best = _best(index, point_idx, tree_idx, len(points))
    return list(map(index.lookup.__getitem__, best.tolist()))


def locate_point(session: Session, lat: float, lng: float, stamp: str = "") -> Located | None:
    """The grid at (lat, lng) with its path of codes, or None outside every grid (`stamp`:
    as grid_index's)."""
    index = grid_index(session, stamp)
    hits = index.tree.query(shapely.Point(lng, lat), predicate="intersects")
    return index.located[int(hits.min())] if len(hits) else None


def locate_codes(session: Session, points: Sequence[tuple[float, float]]) -> list[str | None]:
    """Grid codes for (lat, lng) pairs; a convenience for callers that only need the code."""
    found = locate_many(session, [p[0] for p in points], [p[1] for p in points])
    return [f.grid_code if f is not None else None for f in found]
