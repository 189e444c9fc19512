"""Checks between the features of one file and with what the database holds (pure: the
database part comes in as a Context loaded by geo/actions.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry

from grassroots.geo.geojson.errors import LEVEL_ZH, FeatureError, feature_error
from grassroots.geo.geojson.overlaps import check_grids
from grassroots.geo.geojson.parse import FeatureIn
from grassroots.geo.models import SIGNIFICANT_DIGITS, Level, parent_level

# A child may stick out of its parent by this share of its own area (digitising noise).
OUTSIDE_TOLERANCE = 1e-3


@dataclass(frozen=True)
class ExistingNode:
    id: int
    code: str
    name: str
    level: Level
    geometry: BaseGeometry | None


@dataclass
class Context:
    """What the database holds for the codes a file names."""

    existing: dict[str, ExistingNode] = field(default_factory=dict)
    # code → that node's current children in the database that have a boundary
    children: dict[str, list[tuple[str, BaseGeometry]]] = field(default_factory=dict)
    # village code → its current grids with a boundary, for every village the file touches
    village_grids: dict[str, list[tuple[str, BaseGeometry]]] = field(default_factory=dict)
    overlap_tolerance_m2: float = 10.0

    def village_outlines(self, features: list[FeatureIn]) -> dict[str, BaseGeometry]:
        """village code → its boundary after the import (the file's, else the stored one)."""
        out = {c: n.geometry for c, n in self.existing.items() if n.geometry is not None}
        out.update({f.code: f.geometry for f in features if f.code and f.geometry is not None})
        return out


@dataclass(frozen=True)
class ParentView:
    code: str
    level: Level
    geometry: BaseGeometry | None


def outside_share(child: BaseGeometry, parent: BaseGeometry) -> float:
    """Share of the child's area that lies outside the parent (0 when covered)."""
    if parent.covers(child) or child.area == 0:
        return 0.0
    return float(child.difference(parent).area / child.area)


def unique_features(features: list[FeatureIn]) -> tuple[dict[str, FeatureIn], list[FeatureError]]:
    by_code: dict[str, FeatureIn] = {}
    errors: list[FeatureError] = []
    for f in features:
        if f.code is None:
            continue
        if f.code in by_code:
            first = by_code[f.code].index
            errors.append(
                feature_error(f.index, f.code, "duplicate_code", value=f.code, other=first)
            )
            continue
        by_code[f.code] = f
    return by_code, errors


def _parent_view(code: str, by_code: dict[str, FeatureIn], ctx: Context) -> ParentView | None:
    in_file, in_db = by_code.get(code), ctx.existing.get(code)
    if in_file is not None and in_file.level is not None:
        geometry = in_file.geometry or (in_db.geometry if in_db else None)
        return ParentView(code, in_file.level, geometry)
    if in_db is not None:
        return ParentView(code, in_db.level, in_db.geometry)
    return None


def parent_errors(
    f: FeatureIn, by_code: dict[str, FeatureIn], mentioned: set[str], ctx: Context
) -> list[FeatureError]:
    """Parent present, one level up, code extends its prefix, boundary inside it."""
    assert f.code is not None and f.level is not None
    expected = parent_level(f.level)
    if expected is None:
        return [feature_error(f.index, f.code, "unexpected_parent")] if f.parent_code else []
    if f.parent_code is None:
        return [feature_error(f.index, f.code, "missing_parent_code")]
    parent = _parent_view(f.parent_code, by_code, ctx)
    if parent is None:
        if f.parent_code in mentioned:
            return []  # the parent's own errors are listed already
        return [feature_error(f.index, f.code, "parent_not_found", value=f.parent_code)]
    if parent.level is not expected:
        return [
            feature_error(
                f.index,
                f.code,
                "parent_wrong_level",
                value=parent.code,
                parent_zh=LEVEL_ZH[parent.level],
                expected_zh=LEVEL_ZH[expected],
                parent_level=parent.level.value,
                expected=expected.value,
            )
        ]
    prefix = parent.code[: SIGNIFICANT_DIGITS[expected]]
    if not f.code.startswith(prefix):
        return [
            feature_error(f.index, f.code, "code_not_under_parent", value=f.code, prefix=prefix)
        ]
    return _inside_errors(f, parent)


def _inside_errors(f: FeatureIn, parent: ParentView) -> list[FeatureError]:
    if f.geometry is None or parent.geometry is None:
        return []
    share = outside_share(f.geometry, parent.geometry)
    if share > OUTSIDE_TOLERANCE:
        return [feature_error(f.index, f.code, "outside_parent", value=parent.code, share=share)]
    return []


def _level_errors(f: FeatureIn, ctx: Context) -> list[FeatureError]:
    old = ctx.existing.get(f.code or "")
    if old is None or f.level is None or old.level is f.level:
        return []
    return [
        feature_error(
            f.index,
            f.code,
            "level_changed",
            value=f.code,
            old=old.level.value,
            new=f.level.value,
            old_zh=LEVEL_ZH[old.level],
            new_zh=LEVEL_ZH[f.level],
        )
    ]


def _children_errors(
    f: FeatureIn, by_code: dict[str, FeatureIn], ctx: Context
) -> list[FeatureError]:
    """A new boundary must still hold the existing children the file does not replace."""
    if f.geometry is None:
        return []
    errors = []
    for child_code, child_geometry in ctx.children.get(f.code or "", []):
        if child_code in by_code:
            continue  # checked against this new boundary as a feature of the file
        share = outside_share(child_geometry, f.geometry)
        if share > OUTSIDE_TOLERANCE:
            errors.append(
                feature_error(f.index, f.code, "child_outside", value=child_code, share=share)
            )
    return errors


def check_relations(
    features: list[FeatureIn], mentioned: set[str], ctx: Context
) -> list[FeatureError]:
    """Every error between features and against the database, in file order."""
    by_code, errors = unique_features(features)
    for f in by_code.values():
        if f.geometry is not None:
            shapely.prepare(f.geometry)
    for f in by_code.values():
        if f.level is None:
            continue
        errors += _level_errors(f, ctx)
        errors += parent_errors(f, by_code, mentioned, ctx)
        errors += _children_errors(f, by_code, ctx)
    if not errors:  # overlaps only between grids that are otherwise sound
        errors += check_grids(list(by_code.values()), ctx.village_grids, ctx.overlap_tolerance_m2)
    return sorted(errors, key=lambda e: e.index if e.index is not None else -1)
