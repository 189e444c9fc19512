"""Reads of the jurisdiction tree, boundaries and units. No writes here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from shapely import from_wkb
from shapely.geometry.base import BaseGeometry
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from grassroots.config import get_settings
from grassroots.errors import Problem
from grassroots.geo.geojson.parse import FeatureIn
from grassroots.geo.geojson.validate import Context, ExistingNode
from grassroots.geo.models import (
    SIGNIFICANT_DIGITS,
    Boundary,
    Jurisdiction,
    Level,
    Unit,
    code_prefix,
)
from grassroots.scope import current_jurisdiction


def is_current() -> ColumnElement[bool]:
    return Jurisdiction.valid_to.is_(None)


def jurisdiction_or_404(session: Session, code: str) -> Jurisdiction:
    row = current_jurisdiction(session, code)
    if row is None:
        raise Problem(404, "jurisdiction_not_found", f"区划 {code} 不存在 / no such jurisdiction")
    return row


def current_boundary(session: Session, jurisdiction_id: int) -> Boundary | None:
    return session.scalar(
        select(Boundary).where(
            Boundary.jurisdiction_id == jurisdiction_id, Boundary.valid_to.is_(None)
        )
    )


def current_geometry(session: Session, jurisdiction_id: int) -> BaseGeometry | None:
    boundary = current_boundary(session, jurisdiction_id)
    return from_wkb(boundary.wkb) if boundary is not None else None


def subtree_condition(node: Jurisdiction) -> ColumnElement[bool]:
    """Every jurisdiction below `node` (by code prefix), excluding the node itself."""
    prefix = code_prefix(Level(node.level), node.code)
    return Jurisdiction.code.startswith(prefix, autoescape=True) & (Jurisdiction.id != node.id)


def jurisdictions_query(
    level: str | None = None, parent: Jurisdiction | None = None, q: str | None = None
) -> Select[Jurisdiction]:
    stmt = select(Jurisdiction).where(is_current())
    if level:
        stmt = stmt.where(Jurisdiction.level == level)
    if parent is not None:
        stmt = stmt.where(Jurisdiction.parent_id == parent.id)
    if q:
        stmt = stmt.where(Jurisdiction.name.contains(q, autoescape=True))
    return stmt


def page(
    session: Session, stmt: Select[Jurisdiction], limit: int, offset: int
) -> tuple[int, Sequence[Jurisdiction]]:
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Jurisdiction.code).limit(limit).offset(offset)).all()
    return total, rows


def children(session: Session, node: Jurisdiction) -> Sequence[Jurisdiction]:
    stmt = jurisdictions_query(parent=node).order_by(Jurisdiction.code)
    return session.scalars(stmt).all()


def parent_codes(session: Session, rows: Sequence[Jurisdiction]) -> dict[int, str]:
    """id → code of the parents of `rows`, in one query."""
    ids = {r.parent_id for r in rows if r.parent_id is not None}
    if not ids:
        return {}
    found = session.execute(
        select(Jurisdiction.id, Jurisdiction.code).where(Jurisdiction.id.in_(ids))
    )
    return {row_id: code for row_id, code in found.all()}


def with_boundaries(
    session: Session, level: str | None = None, under: Jurisdiction | None = None
) -> list[tuple[Jurisdiction, str | None, bytes | None]]:
    """Current nodes (optionally one level, optionally below `under`) with their parent code
    and current boundary WKB (None where no boundary is known), parents first."""
    parent = aliased(Jurisdiction)
    stmt = (
        select(Jurisdiction, parent.code, Boundary.wkb)
        .outerjoin(parent, Jurisdiction.parent_id == parent.id)
        .outerjoin(
            Boundary,
            (Boundary.jurisdiction_id == Jurisdiction.id) & Boundary.valid_to.is_(None),
        )
        .where(is_current())
    )
    if level:
        stmt = stmt.where(Jurisdiction.level == level)
    if under is not None:
        stmt = stmt.where(subtree_condition(under))
    rows: list[tuple[Jurisdiction, str | None, bytes | None]] = [
        (j, pc, wkb) for j, pc, wkb in session.execute(stmt).all()
    ]
    rank = {lv.value: i for i, lv in enumerate(SIGNIFICANT_DIGITS)}
    rows.sort(key=lambda r: (rank[r[0].level], r[0].code))
    return rows


def units(session: Session, jurisdiction: Jurisdiction | None, kind: str | None) -> Sequence[Unit]:
    """Active units, optionally of one jurisdiction and/or one kind, with their jurisdiction."""
    stmt = select(Unit).options(joinedload(Unit.jurisdiction)).where(Unit.active)
    if jurisdiction is not None:
        stmt = stmt.where(Unit.jurisdiction_id == jurisdiction.id)
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    return session.scalars(stmt.order_by(Unit.code)).all()


def _chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def existing_nodes(session: Session, codes: set[str]) -> dict[str, ExistingNode]:
    """Current nodes carrying any of `codes`, with their current boundary."""
    found: dict[str, ExistingNode] = {}
    for chunk in _chunks(sorted(codes)):
        stmt = (
            select(
                Jurisdiction.id,
                Jurisdiction.code,
                Jurisdiction.name,
                Jurisdiction.level,
                Boundary.wkb,
            )
            .outerjoin(
                Boundary,
                (Boundary.jurisdiction_id == Jurisdiction.id) & Boundary.valid_to.is_(None),
            )
            .where(Jurisdiction.code.in_(chunk), is_current())
        )
        for row_id, code, name, level, wkb in session.execute(stmt).all():
            geometry = from_wkb(wkb) if wkb is not None else None
            found[code] = ExistingNode(row_id, code, name, Level(level), geometry)
    return found


def children_with_boundaries(
    session: Session, parents: list[ExistingNode]
) -> dict[str, list[tuple[str, BaseGeometry]]]:
    """parent code → its current children's (code, boundary), for children with a boundary."""
    code_of = {p.id: p.code for p in parents}
    out: dict[str, list[tuple[str, BaseGeometry]]] = {}
    for chunk in _chunks(sorted(code_of)):
        stmt = (
            select(Jurisdiction.parent_id, Jurisdiction.code, Boundary.wkb)
            .join(Boundary, Boundary.jurisdiction_id == Jurisdiction.id)
            .where(Jurisdiction.parent_id.in_(chunk), is_current(), Boundary.valid_to.is_(None))
        )
        for parent_id, code, wkb in session.execute(stmt).all():
            if parent_id is not None:
                out.setdefault(code_of[parent_id], []).append((code, from_wkb(wkb)))
    return out


def import_context(session: Session, features: list[FeatureIn]) -> Context:
    """What the database holds for every code a file names (own codes and parents)."""
    codes = {f.code for f in features if f.code} | {
        f.parent_code for f in features if f.parent_code
    }
    existing = existing_nodes(session, codes)
    reshaped = [existing[f.code] for f in features if f.code in existing and f.geometry is not None]
    villages = {f.parent_code for f in features if f.level is Level.grid and f.parent_code} | {
        f.code for f in features if f.level is Level.village and f.code
    }
    touched = [existing[c] for c in sorted(villages) if c in existing]
    return Context(
        existing=existing,
        children=children_with_boundaries(session, reshaped),
        village_grids=children_with_boundaries(session, touched),
        overlap_tolerance_m2=get_settings().grid_overlap_tolerance_m2,
    )


def jurisdictions_by_id(session: Session, ids: list[int]) -> dict[int, Jurisdiction]:
    out: dict[int, Jurisdiction] = {}
    for chunk in _chunks(ids):
        out.update(
            {
                j.id: j
                for j in session.scalars(select(Jurisdiction).where(Jurisdiction.id.in_(chunk)))
            }
        )
    return out


def names_of(session: Session, codes: Iterable[str | None]) -> dict[str, str]:
    """code → name of the nodes (jurisdictions and grids) carrying `codes`: the current node's
    name, or for a code no longer valid the name it had last (old cases keep their code)."""
    wanted = sorted({c for c in codes if c})
    names: dict[str, str] = {}
    for chunk in _chunks(wanted):
        stmt = select(Jurisdiction.code, Jurisdiction.name).where(Jurisdiction.code.in_(chunk))
        order = (Jurisdiction.valid_to.is_(None), Jurisdiction.valid_from)
        for code, name in session.execute(stmt.order_by(*order)).all():
            names[code] = name  # the current node (sorted last) wins
    return names


def subtree_choices(session: Session, node: Jurisdiction | None) -> list[tuple[str, str]]:
    """(code, "青石镇 / 杨柳村") of `node` and the current jurisdictions below it, grids
    aside, in code order: the options of a jurisdiction picker (none without a post)."""
    if node is None:
        return []
    stmt = jurisdictions_query().where(
        (Jurisdiction.id == node.id) | subtree_condition(node), Jurisdiction.level != Level.grid
    )
    rows = session.scalars(stmt.order_by(Jurisdiction.code)).all()
    by_id = {r.id: r for r in rows}
    return [(r.code, path_label(r, by_id, node.id)) for r in rows]


def nearby_choices(
    session: Session, top: Jurisdiction | None, current: Jurisdiction | None = None
) -> list[tuple[str, str]]:
    """The options of a jurisdiction picker that stays small in a city of thousands of
    villages: `top` (the user's post), the jurisdictions from it down to `current` (the one
    shown), `current`'s siblings (to move sideways) and its children, grids aside; in code
    order, which is the tree's; labelled like subtree_choices. A `current` outside `top`'s
    subtree counts as `top`."""
    if top is None:
        return []
    path: list[Jurisdiction] = []
    node: Jurisdiction | None = current if current is not None else top
    while node is not None and node.id != top.id:
        path.append(node)
        node = node.parent
    if node is None:  # not below top
        path = []
    shown = path[0] if path else top
    near = [*children(session, shown), *(children(session, path[1] if len(path) > 1 else top)
                                        if path else [])]  # fmt: skip
    rows = {r.id: r for r in [top, *path, *near] if r.level != Level.grid.value or r in path}
    by_code = sorted(rows.values(), key=lambda r: r.code)
    return [(r.code, path_label(r, rows, top.id)) for r in by_code]


def path_label(row: Jurisdiction, by_id: dict[int, Jurisdiction], top_id: int) -> str:
    """The names from below the top node down to `row` ("青石镇 / 杨柳村"); the top's own."""
    names = [row.name]
    while row.id != top_id and row.parent_id in by_id and row.parent_id != top_id:
        row = by_id[row.parent_id]
        names.append(row.name)
    return " / ".join(reversed(names))


def unit_choices(session: Session, node: Jurisdiction | None) -> list[tuple[str, str]]:
    """(code, name) of the active units attached to `node` or below it, by name."""
    if node is None:
        return []
    stmt = (
        select(Unit.code, Unit.name)
        .join(Jurisdiction, Unit.jurisdiction_id == Jurisdiction.id)
        .where(Unit.active, Jurisdiction.code.startswith(node.prefix, autoescape=True))
    )
    return [(code, name) for code, name in session.execute(stmt.order_by(Unit.code)).all()]


def unit_names(session: Session, codes: Iterable[str | None]) -> dict[str, str]:
    """code → name of the units carrying `codes` (deactivated ones too)."""
    wanted = sorted({c for c in codes if c})
    names: dict[str, str] = {}
    for chunk in _chunks(wanted):
        found = session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(chunk)))
        names.update({code: name for code, name in found.all()})
    return names


def grid_choices(session: Session, node: Jurisdiction | None) -> list[tuple[str, str]]:
    """(code, "杨柳村 / 第一网格") of the current grids below `node`, in code order: the
    options of a grid picker (none without a post)."""
    if node is None:
        return []
    stmt = jurisdictions_query().where(
        (Jurisdiction.id == node.id) | subtree_condition(node),
        Jurisdiction.level.in_((Level.village, Level.grid)),
    )
    rows = session.scalars(stmt.order_by(Jurisdiction.code)).all()
    by_id = {r.id: r for r in rows}
    return [(r.code, path_label(r, by_id, node.id)) for r in rows if r.level == Level.grid]
