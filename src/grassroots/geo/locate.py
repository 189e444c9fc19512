"""Point → grid → the whole path of codes, from an in-memory STRtree of the grid boundaries.

The index is built once per process and database from the current grid boundaries and
rebuilt when they change: a cheap fingerprint of the boundary table is compared at most
every CHECK_INTERVAL_SECONDS, and the GeoJSON import invalidates the index at once.

Edge rule: a point on the boundary of a grid belongs to it (polygons are closed), so a point
on an edge or vertex shared by several grids is covered by all of them; it goes to the one
with the lowest grid code. A point covered by no grid is outside the jurisdiction (None).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from grassroots.geo.models import Boundary, Jurisdiction, Level

CHECK_INTERVAL_SECONDS = 3.0

Fingerprint = tuple[Any, ...]


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
    fingerprint: Fingerprint
    checked_at: float = field(default_factory=time.monotonic)

    @property
    def lookup(self) -> list[Located | None]:
        # Index len(located) stands for "no grid": one list lookup per point, no branch.
        return [*self.located, None]


_CACHE: dict[str, GridIndex] = {}
_LOCK = threading.Lock()


def invalidate() -> None:
    """Forget every index (called by the import after it commits)."""
    with _LOCK:
        _CACHE.clear()


def _database_key(session: Session) -> str:
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    return engine.url.render_as_string(hide_password=True)


def _fingerprint(session: Session) -> Fingerprint:
    row = session.execute(
        select(func.count(Boundary.id), func.max(Boundary.id), func.max(Boundary.valid_from))
        .join(Jurisdiction, Boundary.jurisdiction_id == Jurisdiction.id)
        .where(Boundary.valid_to.is_(None), Jurisdiction.valid_to.is_(None))
    ).one()
    return tuple(row)


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
    fingerprint = _fingerprint(session)
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
    return GridIndex(shapely.STRtree(geometries), located, fingerprint)


def grid_index(session: Session) -> GridIndex:
    """This database's index, rebuilt if its grid boundaries changed since it was built."""
    key = _database_key(session)
    index = _CACHE.get(key)
    now = time.monotonic()
    if index is not None and now - index.checked_at < CHECK_INTERVAL_SECONDS:
        return index
    fingerprint = _fingerprint(session)
    if index is not None and index.fingerprint == fingerprint:
        index.checked_at = now
        return index
    with _LOCK:
        index = build_index(session)
        _CACHE[key] = index
    return index


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


def locate_point(session: Session, lat: float, lng: float) -> Located | None:
    """The grid at (lat, lng) with its path of codes, or None outside every grid."""
    index = grid_index(session)
    hits = index.tree.query(shapely.Point(lng, lat), predicate="intersects")
    return index.located[int(hits.min())] if len(hits) else None


def locate_codes(session: Session, points: Sequence[tuple[float, float]]) -> list[str | None]:
    """Grid codes for (lat, lng) pairs; a convenience for callers that only need the code."""
    found = locate_many(session, [p[0] for p in points], [p[1] for p in points])
    return [f.grid_code if f is not None else None for f in found]
