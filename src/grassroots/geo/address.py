"""A written address placed in a grid by the names it contains (village, grid).

Grid names repeat from village to village (第一网格), so a grid counts only inside a village
the text also names; a village with a single grid places the text in that grid. Used by
the channels that receive addresses as text (Open311's address_string, 12345 orders).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.geo.models import Jurisdiction, Level


def _named_in(session: Session, text: str, level: Level, prefix: str) -> list[Jurisdiction]:
    query = select(Jurisdiction).where(
        Jurisdiction.level == level.value,
        Jurisdiction.valid_to.is_(None),
        Jurisdiction.code.startswith(prefix, autoescape=True),
    )
    return [j for j in session.scalars(query) if j.name and j.name in text]


def _grids_of(session: Session, village: Jurisdiction) -> list[str]:
    query = select(Jurisdiction.code).where(
        Jurisdiction.parent_id == village.id, Jurisdiction.valid_to.is_(None)
    )
    return list(session.scalars(query))


def grid_named_in(session: Session, text: str, prefix: str = "") -> str | None:
    """The code of the one grid `text` names within `prefix`, or None."""
    villages = _named_in(session, text, Level.village, prefix)
    grids = _named_in(session, text, Level.grid, prefix)
    if villages:
        grids = [g for g in grids if g.parent_id in {v.id for v in villages}]
    if len(grids) == 1:
        return grids[0].code
    if not grids and len(villages) == 1:
        codes = _grids_of(session, villages[0])
        if len(codes) == 1:
            return codes[0]
    return None
