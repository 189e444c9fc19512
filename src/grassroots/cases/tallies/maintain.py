"""Keeps the aggregate tables exact: a flush listener on Case, in the writer's transaction.

Every INSERT / UPDATE / DELETE of a Case through the ORM fires a mapper event inside the
flush; the listener subtracts
the case's old contribution and adds its new one on the same connection, so the aggregates
commit or roll back with the case change.

Not seen by the listener: Core statements on case_file. The two Core writers of the
platform keep the tables themselves with the same functions: intake and registration insert
with Core and call `count_new_case`; an action's versioned UPDATE (cases.persist) reads
`stored_row` first and calls `count_case_update`. Any other bulk SQL such as
`session.execute(update(Case)...)`, `bulk_update_mappings` or raw SQL is forbidden on
case_file; after such a change, run `grassroots stats rebuild`.

Bulk loads (the demo history) may run their actions under `deferred(session)`: the listener
then leaves the tables alone and the whole set is rebuilt from the cases once at the end —
the same sums, since the listener keeps every table equal to the sum of contributions of the
stored rows (tests/stats/test_deferred.py compares both ways).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Executable,
    Table,
    bindparam,
    column,
    delete,
    event,
    insert,
    inspect,
    literal,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapper, Session, object_session

from grassroots.calendar.workday_index import WorkdayIndex
from grassroots.calendar.workdays import WorkCalendar, load_calendar, read_calendar
from grassroots.cases.models import Case, DeadlineRecord
from grassroots.cases.tallies.contribution import (
    FIELDS,
    Contribution,
    add_into,
    contributions,
    record_contributions,
)
from grassroots.cases.tallies.models import (
    CohortAggregate,
    DueAggregate,
    FigureAggregate,
    GridAggregate,
    GridOpenAggregate,
    OpenAggregate,
    OpenMonthAggregate,
    OverdueDayAggregate,
    OverdueMonthAggregate,
)
from grassroots.cases.tallies.overdue import record_changes
from grassroots.db import insert_rows

TABLES: dict[str, Table] = {
    "cohort": CohortAggregate.__table__,  # type: ignore[dict-item]
    "due": DueAggregate.__table__,  # type: ignore[dict-item]
    "open": OpenAggregate.__table__,  # type: ignore[dict-item]
    "open_month": OpenMonthAggregate.__table__,  # type: ignore[dict-item]
    "figures": FigureAggregate.__table__,  # type: ignore[dict-item]
    "grid": GridAggregate.__table__,  # type: ignore[dict-item]
    "open_grid": GridOpenAggregate.__table__,  # type: ignore[dict-item]
    "overdue_day": OverdueDayAggregate.__table__,  # type: ignore[dict-item]
    "overdue_month": OverdueMonthAggregate.__table__,  # type: ignore[dict-item]
}
_CALENDAR_KEY = "grassroots.stats.workdays"
_OLD_KEY = "grassroots.stats.stored_case_rows"
_DEFERRED_KEY = "grassroots.stats.deferred"
_PLACE_KEY = ("county_code", "township_code", "village_code", "category_code", "kind")
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "cohort": ("month", *_PLACE_KEY),
    "due": ("month", *_PLACE_KEY),
    "open": ("due_day", *_PLACE_KEY),
    "open_month": ("month", *_PLACE_KEY),
    "figures": ("month", "county_code", "township_code", "village_code", "kind", "source_code"),
    "grid": ("month", "county_code", "township_code", "village_code", "grid_code"),
    "open_grid": ("due_day", "county_code", "township_code", "village_code", "grid_code"),
    "overdue_day": ("day", *_PLACE_KEY),
    "overdue_month": ("month", *_PLACE_KEY),
}


def snapshot(case: Case) -> dict[str, Any]:
    return {f: getattr(case, f) for f in FIELDS}


CASE_TABLE = cast(Table, Case.__table__)
_STORED = select(*[CASE_TABLE.c[f] for f in FIELDS]).where(CASE_TABLE.c.id == bindparam("id"))


def stored_row(connection: Connection, case: Case) -> dict[str, Any]:
    """The case's row as stored before this flush's UPDATE/DELETE: the truth the aggregates
    were built from (attribute history can miss values that were never loaded)."""
    row = connection.execute(_STORED, {"id": case.id}).one()
    return dict(zip(FIELDS, row, strict=True))


def is_deferred(session: Session) -> bool:
    """Inside `deferred(session)`: writers with Core leave the aggregates alone too."""
    return bool(session.info.get(_DEFERRED_KEY))


def _deferred(case: Case) -> bool:
    session = object_session(case)
    return session is not None and bool(session.info.get(_DEFERRED_KEY))


def _remember_stored(_mapper: Mapper[Case], connection: Connection, case: Case) -> None:
    if _deferred(case):
        return
    connection.info.setdefault(_OLD_KEY, {})[id(case)] = stored_row(connection, case)


def _recall_stored(connection: Connection, case: Case) -> dict[str, Any]:
    return connection.info[_OLD_KEY].pop(id(case))  # type: ignore[no-any-return]


def apply(connection: Connection, delta: Contribution) -> None:
    """Add `delta` to the tables (upsert), dropping open rows that reach zero. The rows of
    one table that change the same counters go in one executemany (a case's own category
    and the all-categories row): one statement's fixed cost instead of one per row."""
    upserts: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    drops: dict[str, list[dict[str, Any]]] = {}
    for (table_name, key), counters in delta.items():
        changes = {k: v for k, v in counters.items() if v}
        if not changes:
            continue
        keys = dict(zip(KEY_COLUMNS[table_name], key, strict=True))
        upserts.setdefault((table_name, tuple(sorted(changes))), []).append(keys | changes)
        if table_name.startswith("open") and changes.get("open_count", 0) < 0:
            drops.setdefault(table_name, []).append({f"k_{c}": v for c, v in keys.items()})
    dialect = connection.dialect.name
    for (table_name, changed), rows in upserts.items():  # each key once: order is free
        stmt = _upsert(dialect, table_name, changed)
        if len(rows) < 50:  # a case's own rows (BulkInsert's fixed cost pays from about 50)
            connection.execute(stmt, _one_or_many(rows))
        else:  # an import's totals: one driver executemany (grassroots.db.BulkInsert)
            insert_rows(connection, TABLES[table_name], rows, stmt)
    for table_name, emptied in drops.items():  # after every upsert, as each followed its own
        connection.execute(_drop_empty(table_name), _one_or_many(emptied))


def _one_or_many(rows: list[dict[str, Any]]) -> dict[str, Any] | list[dict[str, Any]]:
    return rows[0] if len(rows) == 1 else rows


@lru_cache(maxsize=256)
def _upsert(dialect: str, table_name: str, counters: tuple[str, ...]) -> Executable:
    """INSERT … ON CONFLICT DO UPDATE adding `counters`, built once per shape (building the
    `excluded` alias costs more than running the statement)."""
    table = TABLES[table_name]
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    return stmt.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS[table_name]),
        set_={c: table.c[c] + stmt.excluded[c] for c in counters},
    )


@lru_cache(maxsize=8)
def _drop_empty(table_name: str) -> Executable:
    table = TABLES[table_name]
    where = [table.c[c] == bindparam(f"k_{c}") for c in KEY_COLUMNS[table_name]]
    return delete(table).where(*where, table.c.open_count == 0)


def _days(connection: Connection, case: Case) -> WorkdayIndex:
    """The working-day index of the calendar the case's transaction reads (one read per
    transaction, shared with the action; one index per distinct calendar per process)."""
    session = object_session(case)
    if session is None:
        return WorkdayIndex(read_calendar(connection))
    index = session.info.get(_CALENDAR_KEY)
    if index is None:
        index = session.info[_CALENDAR_KEY] = index_of(load_calendar(session, connection))
    return index  # type: ignore[no-any-return]


_INDEXES: dict[int, tuple[WorkCalendar, WorkdayIndex]] = {}


def index_of(cal: WorkCalendar) -> WorkdayIndex:
    """load_calendar hands out the same WorkCalendar while the entries are unchanged, so
    its index (a pass over each year) is kept with it."""
    kept = _INDEXES.get(id(cal))
    if kept is not None and kept[0] is cal:
        return kept[1]
    if len(_INDEXES) >= 16:
        _INDEXES.clear()
    index = WorkdayIndex(cal)
    _INDEXES[id(cal)] = (cal, index)
    return index


def _after_insert(_mapper: Mapper[Case], connection: Connection, case: Case) -> None:
    if _deferred(case):
        return
    apply(connection, contributions(snapshot(case), _days(connection, case)))


def new_case_delta(case: Case, cal: WorkCalendar) -> Contribution:
    """What a new case adds: the after_insert listener's delta, for a case inserted with Core
    (intake's fast path, grassroots.cases.intake.keyed), which must then apply it itself."""
    return contributions(snapshot(case), index_of(cal))


def count_new_case(connection: Connection, case: Case, cal: WorkCalendar) -> None:
    """Add a case inserted with Core to the aggregates: exactly what the listener adds."""
    apply(connection, new_case_delta(case, cal))


def _after_update(_mapper: Mapper[Case], connection: Connection, case: Case) -> None:
    if _deferred(case):
        return
    count_case_update(connection, case, _recall_stored(connection, case))


def count_case_update(connection: Connection, case: Case, stored: dict[str, Any]) -> None:
    """Move a case from its `stored` row (read before the UPDATE) to its new state in the
    aggregates: what the update listener does, for a case updated with Core
    (grassroots.cases.workflow.persist)."""
    days = _days(connection, case)
    now = snapshot(case)
    delta: Contribution = {}
    add_into(delta, contributions(stored, days), -1)
    add_into(delta, contributions(now, days))
    if any(stored[f] != now[f] for f in (*_RECORD_PLACE, "spam")):  # moved, or marked spam
        _move_records(connection, case.id, stored, now, delta)
    apply(connection, delta)


def _move_records(
    connection: Connection, case_id: int, old: Mapping[str, Any], new: Mapping[str, Any],
    delta: Contribution,
) -> None:  # fmt: skip
    """The overdue spells of the case's superseded deadlines follow its place and category."""
    r = DeadlineRecord
    rows = connection.execute(
        select(r.due, r.ended_at, r.resolved_at).where(r.case_id == case_id)
    ).all()
    for due, ended_at, resolved_at in rows:
        spell = record_changes(due, ended_at, resolved_at)
        add_into(delta, record_contributions(old, spell), -1)
        add_into(delta, record_contributions(new, spell))


def _after_delete(_mapper: Mapper[Case], connection: Connection, case: Case) -> None:
    if _deferred(case):
        return
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


# Fields added by later revisions, with the value a case had before them: a migration of an
# older revision (0006) rebuilds with this code over a case_file that lacks them.
LATER_FIELDS: dict[str, Any] = {"missed_deadlines": 0, "resident_rating": None, "spam": False}


def _rows(session: Session) -> Iterable[Mapping[str, Any]]:
    stored = _columns_of(session.connection(), CASE_TABLE.name)
    absent = {f: v for f, v in LATER_FIELDS.items() if f not in stored}
    columns = [getattr(Case, f) for f in FIELDS if f not in absent]
    result = session.execute(select(*columns).execution_options(yield_per=20_000))
    for row in result:
        yield dict(row._mapping) | absent


def _columns_of(connection: Connection, table: str) -> set[str]:
    return {c["name"] for c in inspect(connection).get_columns(table)}


def compute_all(rows: Iterable[Mapping[str, Any]], days: WorkdayIndex) -> Contribution:
    total: Contribution = {}
    for row in rows:
        add_into(total, contributions(row, days))
    return total


def write_all(connection: Connection, total: Contribution, only: Iterable[str] = TABLES) -> None:
    """Insert fresh aggregate rows (tables assumed empty), in batches."""
    batches: dict[str, list[dict[str, Any]]] = {name: [] for name in only}
    stored = {name: _columns_of(connection, TABLES[name].name) for name in batches}
    for (table_name, key), counters in _fold(total, stored).items():
        if table_name.startswith("open") and counters.get("open_count", 0) == 0:
            continue
        kept = {k: v for k, v in counters.items() if k in stored[table_name]}
        names = [c for c in KEY_COLUMNS[table_name] if c in stored[table_name]]
        batches[table_name].append(dict(zip(names, key, strict=True)) | kept)
    for name, rows in batches.items():
        if not rows:
            continue
        # Only the columns the stored table has (no Python-side defaults of later columns).
        target = table(TABLES[name].name, *(column(c) for c in rows[0]))
        for i in range(0, len(rows), 5000):
            connection.execute(insert(target), rows[i : i + 5000])


def _fold(total: Contribution, stored: dict[str, set[str]]) -> Contribution:
    """The rows of the tables in `stored`, keyed by the key columns the stored table has: a
    migration of an older revision (before the kind column, 0031) sums the kinds together."""
    out: Contribution = {}
    for (table_name, key), counters in total.items():
        if table_name not in stored:
            continue
        cols = KEY_COLUMNS[table_name]
        kept = tuple(v for c, v in zip(cols, key, strict=True) if c in stored[table_name])
        add_into(out, {(table_name, kept): counters})
    return out


def rebuild(session: Session, only: Iterable[str] = TABLES) -> int:
    """Recompute every aggregate row from the cases (caller owns the transaction); `only`:
    the tables to rebuild (a migration names those that exist at its revision)."""
    connection = session.connection()
    for name in only:
        connection.execute(delete(TABLES[name]))
    total = compute_all(_rows(session), WorkdayIndex(read_calendar(connection)))
    if "overdue_day" in only or "overdue_month" in only:
        for part in _record_parts(session):
            add_into(total, part)
    write_all(connection, total, only)
    return len(total)


_RECORD_PLACE = ("county_code", "township_code", "village_code", "category_code", "kind")


def _record_parts(session: Session) -> Iterable[Contribution]:
    """The overdue spells of the superseded deadlines (DeadlineRecord), at their case's place."""
    place = [getattr(Case, f) for f in _RECORD_PLACE]
    has_spam = "spam" in _columns_of(session.connection(), CASE_TABLE.name)  # older revisions
    spam = Case.spam if has_spam else literal(False)
    r = DeadlineRecord
    stmt = select(*place, spam, r.due, r.ended_at, r.resolved_at).select_from(r)
    stmt = stmt.join(Case, Case.id == r.case_id)
    for row in session.execute(stmt.execution_options(yield_per=20_000)):
        n = len(_RECORD_PLACE)
        c = dict(zip(_RECORD_PLACE, row[:n], strict=True)) | {"spam": row[n]}
        yield record_contributions(c, record_changes(*row[n + 1 :]))


def count_record(connection: Connection, case: Case, record: Mapping[str, Any]) -> None:
    """Add a superseded deadline's overdue spell (grassroots.cases.deadlines.history writes
    the record with Core, in the transition's transaction, and calls this)."""
    session = object_session(case)
    if session is not None and is_deferred(session):
        return
    spell = record_changes(record["due"], record["ended_at"], record["resolved_at"])
    apply(connection, record_contributions(snapshot(case), spell))


@contextmanager
def deferred(session: Session) -> Iterator[None]:
    """For bulk loads through the real actions: case changes made with `session` inside
    the block leave the aggregate tables alone; on leaving (also after an error: the tables
    then match whatever was committed) they are rebuilt from the cases in one transaction.
    Only for a session no one else writes cases with meanwhile (the rebuild replaces the
    tables wholesale)."""
    session.info[_DEFERRED_KEY] = True
    try:
        yield
    finally:
        session.info.pop(_DEFERRED_KEY, None)
        session.rollback()  # whatever failed is not half-applied
        rebuild(session)
        session.commit()
