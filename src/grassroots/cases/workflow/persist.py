"""Writing an action's change to the case: one versioned UPDATE.

An action changes columns of the loaded Case (and the holder, unit or assignee it points
to). The ORM's flush would write that, but most of its cost is the unit of work around the
one statement (dependency graph, sorting, per-mapper passes: about 0.3 ms per action, more
than the UPDATE itself). `save_case` writes those columns with one Core UPDATE guarded by
the version, does the statistics upkeep the flush listener would have done, and marks the
object as stored, exactly as the flush leaves it.

Anything else pending in the session (a new share, link, sweep mark or event row, another
changed object, a changed collection) goes through the ORM flush as before, so nothing the
unit of work orders is ever written around it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Executable, Table, bindparam, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from grassroots.cases.models import Case
from grassroots.cases.tallies.maintain import count_case_update, is_deferred, stored_row

CASE_TABLE = cast(Table, Case.__table__)
_MAPPER = inspect(Case)
_COLUMN_OF = {prop.key: prop.columns[0].key for prop in _MAPPER.column_attrs}
_FOREIGN_KEY_OF = {"holder": "holder_jurisdiction_id", "unit": "unit_id", "assignee": "assignee_id"}
if any(key != column for key, column in _COLUMN_OF.items()):  # _mark_stored relies on it
    raise RuntimeError("every Case attribute must be named as its column")


def save_case(session: Session, case: Case) -> None:
    """Write the case's changes (one version step). A concurrent change since the case was
    read raises StaleDataError, as the flush's version check does."""
    values = _column_changes(session, case)
    if values is None:
        session.flush()
        return
    connection = session.connection()
    before = None if is_deferred(session) else stored_row(connection, case)
    version = case.version
    result = connection.execute(
        _update_statement(tuple(sorted(values))),
        {**values, "_id": case.id, "_version": version, "version": version + 1},
    )
    if result.rowcount != 1:
        raise StaleDataError(f"case {case.id}: version {version} is no longer current")
    _mark_stored(session, case, values | {"version": version + 1})
    if before is not None:
        count_case_update(connection, case, before)


def _column_changes(session: Session, case: Case) -> dict[str, Any] | None:
    """The changed columns of `case` by column name, or None when the session holds more
    than this case's column changes (the ORM flush then writes everything)."""
    dirty = session.dirty
    if session.new or session.deleted or len(dirty) != 1 or case not in dirty:
        return None
    state = inspect(case)
    values: dict[str, Any] = {}
    changed = set(state.attrs.keys()) - state.unmodified
    for key in sorted(changed, key=lambda k: k in _FOREIGN_KEY_OF):  # the relationship wins
        if key == "version":
            return None  # set by hand: let the ORM's version check say what it means
        if key in _COLUMN_OF:
            values[_COLUMN_OF[key]] = state.dict[key]
        elif key in _FOREIGN_KEY_OF:
            target = state.dict.get(key)
            if target is not None and inspect(target).key is None:
                return None  # points to an object not yet stored
            values[_FOREIGN_KEY_OF[key]] = target.id if target is not None else None
        else:
            return None  # a collection (shares, parties, events) changed
    return values


@lru_cache(maxsize=64)
def _update_statement(columns: tuple[str, ...]) -> Executable:
    """UPDATE case_file SET <columns>, version WHERE id AND version, built once per shape."""
    return (
        update(CASE_TABLE)
        .where(CASE_TABLE.c.id == bindparam("_id"), CASE_TABLE.c.version == bindparam("_version"))
        .values({name: bindparam(name) for name in (*columns, "version")})
    )


def _mark_stored(session: Session, case: Case, written: dict[str, Any]) -> None:
    """Leave the object as a flush leaves it: the written values (foreign keys and version
    included) loaded, no pending history, not in the session's dirty set. The ORM has no
    public call for this (its flush uses the same internal one)."""
    state = inspect(case)
    for column, value in written.items():
        state.dict[column] = value
    state._commit_all(state.dict, session.identity_map)
