"""Keeps the aggregate tables exact: a flush listener on Case, in the writer's transaction.

Every INSERT / UPDATE / DELETE of a Case through the ORM (which is what every do_* action in
grassroots.cases.actions does) fires a mapper event inside the flush; the listener subtracts
the case's old contribution and adds its new one on the same connection, so the aggregates
commit or roll back with the case change. No call is needed from case actions.

Not seen by the listener (and therefore forbidden on case_file): bulk SQL such as
`session.execute(update(Case)...)`, `bulk_update_mappings`, raw SQL. After any such change,
run `grassroots stats rebuild`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, delete, event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapper, Session, object_session

from grassroots.cases.models import Case
from grassroots.stats.calendar_days import WorkdayIndex, calendar_from
from grassroots.stats.contribution import FIELDS, Contribution, add_into, contributions
from grassroots.stats.models import (
    CohortAggregate,
    DueAggregate,
    OpenAggregate,
    OpenMonthAggregate,
)

TABLES: dict[str, Table] = {
    "cohort": CohortAggregate.__table__,  # type: ignore[dict-item]
    "due": DueAggregate.__table__,  # type: ignore[dict-item]
    "open": OpenAggregate.__table__,  # type: ignore[dict-item]
    "open_month": OpenMonthAggregate.__table__,  # type: ignore[dict-item]
}
_CALENDAR_KEY = "grassroots.stats.workdays"
_OLD_KEY = "grassroots.stats.stored_case_rows"
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "cohort": ("month", "county_code", "township_code", "village_code", "category_code"),
    "due": ("month", "county_code", "township_code", "village_code", "category_code"),
    "open": ("due_day", "county_code", "township_code", "village_code", "category_code"),
    "open_month": ("month", "county_code", "township_code", "village_code", "category_code"),
}


def snapshot(case: Case) -> dict[str, Any]:
    return {f: getattr(case, f) for f in FIELDS}


def _stored(connection: Connection, case: Case) -> dict[str, Any]:
    """The case's row as stored before this flush's UPDATE/DELETE: the truth the aggregates
    were built from (attribute history can miss values that were never loaded)."""
    table = Case.__table__
    cols = [table.c[f] for f in FIELDS]
    row = connection.execute(select(*cols).where(table.c.id == case.id)).one()
    return dict(zip(FIELDS, row, strict=True))


def _remember_stored(_mapper: Mapper[Case], connection: Connection, case: Case) -> None:
    connection.info.setdefault(_OLD_KEY, {})[id(case)] = _stored(connection, case)


def _recall_stored(connection: Connection, case: Case) -> dict[str, Any]:
    return connection.info[_OLD_KEY].pop(id(case))  # type: ignore[no-any-return]


def apply(connection: Connection, delta: Contribution) -> None:
    """Add `delta` to the tables (upsert), dropping open rows that reach zero."""
    for (table_name, key), counters in delta.items():
        changes = {k: v for k, v in counters.items() if v}
        if not changes:
            continue
        table = TABLES[table_name]
        key_cols = KEY_COLUMNS[table_name]
        values = dict(zip(key_cols, key, strict=True)) | changes
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        stmt = insert(table).values(values)
        stmt = stmt.on_conflict_do_update(
            index_elements=list(key_cols),
            set_={c: table.c[c] + stmt.excluded[c] for c in changes},
        )
        connection.execute(stmt)
        if table_name.startswith("open"):
            where = [table.c[c] == v for c, v in zip(key_cols, key, strict=True)]
            connection.execute(delete(table).where(*where, table.c.open_count == 0))


def _days(connection: Connection, case: Case) -> WorkdayIndex:
    """The working-day index, loaded once per transaction of the case's session."""
    session = object_session(case)
    if session is None:
        return WorkdayIndex(calendar_from(connection))
    index = session.info.get(_CALENDAR_KEY)
    if index is None:
        index = session.info[_CALENDAR_KEY] = WorkdayIndex(calendar_from(connection))
    return index  # type: ignore[no-any-return]


def _after_insert(_mapper: Mapper[Case], connection: Connection, case: Case) -> None:
    apply(connection, contributions(snapshot(case), _days(connection, case)))


def _after_update(_mapper: Mapper[Case], connection: Connection, case: Case) -> None:
    days = _days(connection, case)
    delta: Contribution = {}
    add_into(delta, contributions(_recall_stored(connection, case), days), -1)
    add_into(delta, contributions(snapshot(case), days))
    apply(connection, delta)


def _after_delete(_mapper: Mapper[Case], connection: Connection, case: Case) -> None:
    delta: Contribution = {}
    add_into(delta, contributions(_recall_stored(connection, case), _days(connection, case)), -1)
    apply(connection, delta)


def _forget_calendar(session: Session, _transaction: Any) -> None:
    session.info.pop(_CALENDAR_KEY, None)


def install() -> None:
    """Register the listeners once (idempotent)."""
    if event.contains(Case, "after_insert", _after_insert):
        return
    event.listen(Case, "after_insert", _after_insert)
    event.listen(Case, "before_update", _remember_stored)
    event.listen(Case, "before_delete", _remember_stored)
    event.listen(Case, "after_update", _after_update)
    event.listen(Case, "after_delete", _after_delete)
    event.listen(Session, "after_transaction_end", _forget_calendar)


def _rows(session: Session) -> Iterable[Mapping[str, Any]]:
    columns = [getattr(Case, f) for f in FIELDS]
    result = session.execute(select(*columns).execution_options(yield_per=20_000))
    for row in result:
        yield dict(row._mapping)


def compute_all(rows: Iterable[Mapping[str, Any]], days: WorkdayIndex) -> Contribution:
    total: Contribution = {}
    for row in rows:
        add_into(total, contributions(row, days))
    return total


def write_all(connection: Connection, total: Contribution) -> None:
    """Insert fresh aggregate rows (tables assumed empty), in batches."""
    batches: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for (table_name, key), counters in total.items():
        if table_name.startswith("open") and counters.get("open_count", 0) == 0:
            continue
        row = dict(zip(KEY_COLUMNS[table_name], key, strict=True)) | counters
        batches[table_name].append(row)
    for name, rows in batches.items():
        for i in range(0, len(rows), 5000):
            connection.execute(TABLES[name].insert(), rows[i : i + 5000])


def rebuild(session: Session) -> int:
    """Recompute every aggregate row from the cases (caller owns the transaction)."""
    connection = session.connection()
    for table in TABLES.values():
        connection.execute(delete(table))
    total = compute_all(_rows(session), WorkdayIndex(calendar_from(connection)))
    write_all(connection, total)
    return len(total)
