"""Writes to the jurisdiction tree. Each do_* owns one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from shapely import to_wkb
from shapely.geometry.base import BaseGeometry
from sqlalchemy import update
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem
from grassroots.geo.geojson.overlaps import Gap, import_gaps
from grassroots.geo.geojson.parse import FeatureIn, parse_collection
from grassroots.geo.geojson.validate import Context, check_relations
from grassroots.geo.models import LEVEL_ORDER, Boundary, Jurisdiction, Unit
from grassroots.geo.queries import import_context, jurisdictions_by_id


@dataclass(frozen=True)
class NewNode:
    code: str
    name: str
    level: str
    parent_code: str | None
    geometry: BaseGeometry | None


@dataclass(frozen=True)
class NewUnit:
    code: str
    name: str
    kind: str
    jurisdiction_code: str


def do_create_tree(session: Session, nodes: Iterable[NewNode], units: Iterable[NewUnit]) -> int:
    """Insert already-validated nodes (parents first) and their units; returns nodes added.

    Used by the demo builder, whose geometry is correct by construction. Files from outside
    go through the validating GeoJSON import instead.
    """
    now = utcnow()
    with transaction(session):
        by_code: dict[str, Jurisdiction] = {}
        count = 0
        for node in nodes:
            parent = by_code.get(node.parent_code) if node.parent_code else None
            row = Jurisdiction(
                code=node.code, name=node.name, level=node.level, parent=parent, valid_from=now
            )
            session.add(row)
            by_code[node.code] = row
            if node.geometry is not None:
                session.add(Boundary(jurisdiction=row, wkb=to_wkb(node.geometry), valid_from=now))
            count += 1
        for unit in units:
            session.add(
                Unit(
                    code=unit.code,
                    name=unit.name,
                    kind=unit.kind,
                    jurisdiction=by_code[unit.jurisdiction_code],
                )
            )
    return count


@dataclass
class ImportSummary:
    created: int = 0
    renamed: int = 0
    reshaped: int = 0
    unchanged: int = 0
    # Parts of a village no grid covers (reported, not refused): geo.geojson.overlaps
    gaps: list[Gap] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k != "gaps"}


def validated_features(session: Session, data: Any) -> tuple[list[FeatureIn], Context]:
    """The file's features and the database context, or a 422 Problem listing every error."""
    features, errors = parse_collection(data)
    context = import_context(session, [f for f in features if f.code])
    mentioned = {str(f.code) for f in features if f.code}
    if isinstance(data, dict) and isinstance(data.get("features"), list):
        mentioned |= {
            str(item["properties"].get("code"))
            for item in data["features"]
            if isinstance(item, dict) and isinstance(item.get("properties"), dict)
        }
    errors += check_relations(features, mentioned, context)
    if errors:
        errors.sort(key=lambda e: e.index if e.index is not None else -1)
        n = len(errors)
        raise Problem(
            422,
            "geojson_invalid",
            f"GeoJSON 文件有 {n} 处错误，未导入任何内容 / "
            f"{n} error(s) in the GeoJSON file; nothing was imported",
            errors=[e.as_dict() for e in errors],
        )
    return features, context


def _add_boundary(
    session: Session, row: Jurisdiction, geometry: BaseGeometry, now: datetime
) -> None:
    session.add(Boundary(jurisdiction=row, wkb=to_wkb(geometry), valid_from=now))


def _update_existing(
    session: Session, row: Jurisdiction, f: FeatureIn, ctx: Context, now: datetime
) -> tuple[bool, bool]:
    """Rename and/or replace the boundary (closing the old one); returns (renamed, reshaped)."""
    old = ctx.existing[row.code]
    renamed = f.name is not None and row.name != f.name
    if renamed:
        row.name = str(f.name)
    reshaped = f.geometry is not None and (
        old.geometry is None or not old.geometry.equals(f.geometry)
    )
    if reshaped and f.geometry is not None:
        session.execute(
            update(Boundary)
            .where(Boundary.jurisdiction_id == row.id, Boundary.valid_to.is_(None))
            .values(valid_to=now)
        )
        _add_boundary(session, row, f.geometry, now)
    return renamed, reshaped


def _apply(
    session: Session, features: list[FeatureIn], ctx: Context, now: datetime
) -> ImportSummary:
    summary = ImportSummary()
    loaded = jurisdictions_by_id(session, [n.id for n in ctx.existing.values()])
    rows = {j.code: j for j in loaded.values()}
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    for f in sorted(features, key=lambda f: (rank[f.level] if f.level else 0, f.index)):
        assert f.code is not None and f.level is not None and f.name is not None
        if f.code not in rows:
            parent = rows[f.parent_code] if f.parent_code else None
            row = Jurisdiction(
                code=f.code, name=f.name, level=f.level.value, parent=parent, valid_from=now
            )
            session.add(row)
            rows[f.code] = row
            if f.geometry is not None:
                _add_boundary(session, row, f.geometry, now)
            summary.created += 1
            continue
        renamed, reshaped = _update_existing(session, rows[f.code], f, ctx, now)
        summary.renamed += renamed
        summary.reshaped += reshaped
        summary.unchanged += not (renamed or reshaped)
    return summary


def do_import_geojson(
    session: Session, data: Any, actor: User | None, now: datetime | None = None
) -> ImportSummary:
    """Import a GeoJSON FeatureCollection of jurisdictions: all of it, or nothing.

    New codes are added; a changed boundary closes the old Boundary (valid_to) and adds the
    new one; a changed name is updated; identical features change nothing; codes missing
    from the file are left alone. Every error is listed in one 422 Problem.
    """
    now = now or utcnow()
    with transaction(session):
        features, context = validated_features(session, data)
        summary = _apply(session, features, context, now)
        summary.gaps = import_gaps(
            features, context.village_grids, context.village_outlines(features),
            context.overlap_tolerance_m2,
        )  # fmt: skip
        record_audit(
            session,
            actor=actor,
            action="geo.import",
            object_type="jurisdiction",
            object_id=f"{len(features)} features",
            details=summary.as_dict() | {"gaps": len(summary.gaps)},
        )
    return summary
