"""The demo county: fictional codes, the right shape, and boundaries that tile exactly."""

from __future__ import annotations

import itertools

import shapely
from sqlalchemy import func, select

from grassroots.demo.county import build_tree, walk
from grassroots.geo.models import Jurisdiction, Level, Unit

TOLERANCE = 1e-9  # relative area


def test_shape_and_codes():
    nodes = walk(build_tree(2026))
    assert all(n.code.startswith("99") for n in nodes)
    county = nodes[2]
    assert county.level is Level.county and county.name == "示范县"
    assert len(county.children) == 8
    assert any(t.name.endswith("街道") for t in county.children)
    for township in county.children:
        assert 8 <= len(township.children) <= 12
        for village in township.children:
            assert village.code.startswith(township.code[:9])
            assert 3 <= len(village.children) <= 6
            for grid in village.children:
                assert len(grid.code) == 15 and grid.code.startswith(village.code)


def test_children_tile_parent_exactly():
    for parent in walk(build_tree(2026)):
        shapes = [c.geometry for c in parent.children if c.geometry is not None]
        if parent.geometry is None or not shapes:
            continue
        area = parent.geometry.area
        assert all(s.is_valid and not s.is_empty for s in shapes)
        gap = parent.geometry.difference(shapely.union_all(shapes)).area
        assert gap / area < TOLERANCE, parent.code
        for a, b in itertools.combinations(shapes, 2):
            assert a.intersection(b).area / area < TOLERANCE, parent.code
        assert abs(sum(s.area for s in shapes) - area) / area < TOLERANCE


def test_deterministic_for_a_seed():
    first = [(n.code, n.name, n.geometry.wkt if n.geometry else "") for n in walk(build_tree(5))]
    again = [(n.code, n.name, n.geometry.wkt if n.geometry else "") for n in walk(build_tree(5))]
    other = [(n.code, n.name) for n in walk(build_tree(6))]
    assert first == again
    assert [x[:2] for x in first] != other


def test_seed_world_in_database(session):
    counts = dict(
        session.execute(select(Jurisdiction.level, func.count()).group_by(Jurisdiction.level)).all()
    )
    assert counts["township"] == 8 and counts["county"] == 1
    assert 64 <= counts["village"] <= 96
    assert session.scalar(select(func.count()).select_from(Unit)) > 8 * 4
