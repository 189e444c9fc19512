"""Where a test's report happens: the grid a named user serves and a point inside it (the
fixtures of the residents' channel and of Open311)."""

from __future__ import annotations

from shapely import from_wkb
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.geo.models import Boundary, Jurisdiction
from tests.cases.conftest import grid_in


def grid_of(session: Session, user: User) -> Jurisdiction:
    """The current row of a grid inside `user`'s jurisdiction."""
    code = grid_in(session, user)
    return session.scalars(
        select(Jurisdiction).where(Jurisdiction.code == code, Jurisdiction.valid_to.is_(None))
    ).one()


def point_inside(session: Session, grid: Jurisdiction) -> tuple[float, float]:
    """(lat, lng) of a point inside the grid's boundary."""
    wkb = session.scalars(select(Boundary.wkb).where(Boundary.jurisdiction_id == grid.id)).one()
    inside = from_wkb(wkb).representative_point()
    return inside.y, inside.x
