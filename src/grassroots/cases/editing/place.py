"""Moving a case: a new point or grid, the codes at every level follow, and the holder
follows when the grid lies in another jurisdiction at the level the case is held at
(a village case moved to another village is held by that village; nobody there handles it
yet: unit and assignee are cleared, a registered case goes to the new grid's worker)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.editing.fields import Changes, field_problem, set_value
from grassroots.cases.editing.rules import may_move_to
from grassroots.cases.editing.schemas import CaseEdit
from grassroots.cases.intake.actions import Place, place_of
from grassroots.cases.models import Case, CaseState
from grassroots.errors import Problem
from grassroots.geo.models import Level
from grassroots.geo.posts.queries import case_worker
from grassroots.scope import current_jurisdiction

CODE_FIELDS = {
    Level.county: "county_code",
    Level.township: "township_code",
    Level.village: "village_code",
}


def apply_place(
    session: Session, case: Case, data: CaseEdit, actor: User, today: date, changes: Changes
) -> None:
    """The new point and/or grid (the point decides the grid when both are given)."""
    if data.lat is None and data.grid_code is None:
        return
    place = place_of(session, data.lat, data.lng, data.grid_code)
    if not may_move_to(case, actor, place.grid_code):
        field = "lat" if data.lat is not None else "grid_code"
        message = "新位置不在您的辖区内 / the new place is outside your jurisdiction"
        raise Problem(403, "outside_jurisdiction", message,
                      errors=[{"field": field, "message": message}])  # fmt: skip
    if data.lat is not None:
        set_value(case, "lat", data.lat, changes)
        set_value(case, "lng", data.lng, changes)
    if place.grid_code != case.grid_code:
        _move_grid(session, case, place, today, changes)


def _move_grid(session: Session, case: Case, place: Place, today: date, changes: Changes) -> None:
    set_value(case, "grid_code", place.grid_code, changes)
    case.grid_id = place.grid_id
    for level, field in CODE_FIELDS.items():
        if place.codes.get(level) is not None:
            set_value(case, field, place.codes[level], changes)
    new_code = place.codes.get(Level(case.level)) if case.level in CODE_FIELDS else None
    if new_code is None or new_code == case.holder.code:
        return
    holder = current_jurisdiction(session, new_code)
    if holder is None:
        raise field_problem("grid_code", "unknown_grid", "网格不存在 / unknown grid")
    changes.append({"field": "holder", "old": case.holder.name, "new": holder.name})
    case.holder = holder
    case.unit = None
    worker = case_worker(session, place.grid_id, today)
    keep = worker is not None and case.state == CaseState.registered
    case.assignee = session.get(User, worker.id) if keep and worker else None
