"""Which cases' parties a user may see.

INTERIM: stands in for core's `grassroots.cases.queries.case_scope` (BRIEF interface) until
branch core provides it; the rule is the same one (DESIGN §7): the jurisdiction subtree of
the user's post, or the cases routed to the user's unit.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_

from grassroots.accounts.models import User
from grassroots.cases.models import Case
from grassroots.geo.models import Level, code_prefix

_CASE_CODE_AT = {
    Level.county: Case.county_code,
    Level.township: Case.township_code,
    Level.village: Case.village_code,
    Level.grid: Case.grid_code,
}


def case_scope(user: User) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    place = user.jurisdiction
    if place is not None:
        level = Level(place.level)
        column = _CASE_CODE_AT.get(level)
        if column is not None:
            conditions.append(column == place.code)
        else:  # province or city: every county under it
            conditions.append(Case.county_code.startswith(code_prefix(level, place.code)))
    if user.unit_id is not None:
        conditions.append(Case.unit_id == user.unit_id)
    return or_(*conditions) if conditions else false()
