"""Writes to the jurisdiction tree. Each do_* owns one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shapely import to_wkb
from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from grassroots.db import transaction, utcnow
from grassroots.geo.models import Boundary, Jurisdiction, Unit


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
