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

from sqlalchemy import Connection, Table, delete, event, inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapper, Session

from grassroots.cases.models import Case
from grassroots.stats.contribution import FIELDS, Contribution, add_into, contributions
from grassroots.stats.models import CohortAggregate, DueAggregate, OpenAggregate

TABLES: dict[str, Table] = {
    "cohort": CohortAggregate.__table__,  # type: ignore[dict-item]
    "due": DueAggregate.__table__,  # type: ignore[dict-item]
    "open": OpenAggregate.__table__,  # type: ignore[dict-item]
}
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "cohort": ("month", "county_code", "township_code", "village_code", "category_code"),
    "due": ("month", "county_code", "township_code", "village_code", "category_code"),
    "open": ("due_day", "county_code", "township_code", "village_code", "category_code"),
}


def snapshot(case: Case) -> dict[str, Any]:
    return {f: getattr(case, f) for f in FIELDS}


def old_snapshot(case: Case) -> dict[str, Any]:
    """The field values as they were loaded, before this flush's changes."""
    attrs = inspect(case).attrs
    old: dict[str, Any] = {}
    for f in FIELDS:
        hist = attrs[f].history
        old[f] = hist.deleted[0] if hist.deleted else getattr(case, f)
    return old


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
        if table_name == "open":
            where = [table.c[c] == v for c, v in zip(key_cols, key, strict=True)]
            connection.execute(delete(table).where(*where, table.c.open_count == 0))


def _after_insert(_mapper: Mapper[Case], connection: Connection, case: Case) -> None:
    apply(connection, contributions(snapshot(case)))


def _after_update(_mapper: Mapper[Case], connection: Connection, case: Case) -> None:
    delta: Contribution = {}
    add_into(delta, contributions(old_snapshot(case)), -1)
    add_into(delta, contributions(snapshot(case)))
    apply(connection, delta)


def _after_delete(_mapper: Mapper[Case], connection: Connection, case: Case) -> None:
    apply(
        connection,
        {k: {c: -n for c, n in v.items()} for k, v in contributions(old_snapshot(case)).items()},
    )


def _load_old_value(target: Any, value: Any, oldvalue: Any, initiator: Any) -> Any:
    return value


def install() -> None:
    """Register the listeners once (idempotent)."""
    if event.contains(Case, "after_insert", _after_insert):
        return
    event.listen(Case, "after_insert", _after_insert)
    event.listen(Case, "after_update", _after_update)
    event.listen(Case, "after_delete", _after_delete)
    # active_history: setting a field loads its old value first, so the old contribution is
    # known even when the attribute had been expired (e.g. after a commit).
    for f in FIELDS:
        event.listen(getattr(Case, f), "set", _load_old_value, active_history=True, retval=True)


def _rows(session: Session) -> Iterable[Mapping[str, Any]]:
    columns = [getattr(Case, f) for f in FIELDS]
    result = session.execute(select(*columns).execution_options(yield_per=20_000))
    for row in result:
        yield dict(row._mapping)


def compute_all(rows: Iterable[Mapping[str, Any]]) -> Contribution:
    total: Contribution = {}
    for row in rows:
        add_into(total, contributions(row))
    return total


def write_all(connection: Connection, total: Contribution) -> None:
    """Insert fresh aggregate rows (tables assumed empty), in batches."""
    batches: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for (table_name, key), counters in total.items():
        if table_name == "open" and counters.get("open_count", 0) == 0:
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
    total = compute_all(_rows(session))
    write_all(connection, total)
    return len(total)
