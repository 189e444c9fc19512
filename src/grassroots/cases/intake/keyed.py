"""Intake's fast path: POST /cases with an Idempotency-Key (do_register_once).

The same rows, checks, statistics, audit row and response as do_register (intake/actions.py),
plus the stored key, in a few Core statements and with the write transaction kept short:

1. Before any lock the parties are encrypted; ONE preflight SELECT (preflight.py) reads
   everything registration checks against: the stored key, the category and source, the
   registering post, the calendar and the deadline policies (unless cached), the reference
   stamp; on PostgreSQL also the (user, key) advisory lock. Then the point is located (the
   grid index checked against that stamp, without reading it again) and the grid's worker
   read. On SQLite this runs in the request's read transaction (WAL: it holds no writer
   up) while (user, key) is held in the in-flight registry; on PostgreSQL the preflight
   opens the registering transaction.
2. The checks and the computations (holder, deadlines, rows, the response) in Python.
3. The write: the case number, the case, its event, its parties, the key row and the
   statistics (stats.maintain.new_case_delta: what the flush listener adds for an ORM
   insert) — on PostgreSQL one statement, which takes the number last (its row lock is the
   one every intake of the county waits for) — and the audit row, chained at commit. On
   SQLite the write runs on the process's one writer (grassroots.writer), in turn.

The configuration read before SQLite's write lock is as fresh as PostgreSQL's READ COMMITTED
read inside the transaction: a dictionary, policy or calendar change committed after the
read applies from the next intake on.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import (
    Integer,
    LargeBinary,
    Select,
    String,
    Table,
    bindparam,
    case,
    func,
    insert,
    literal,
    select,
    union_all,
)
from sqlalchemy import cast as cast_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import local_date, utc
from grassroots.calendar.workdays import WorkCalendar
from grassroots.cases import schemas as s
from grassroots.cases.deadlines.policies import policy_from_rows
from grassroots.cases.intake.actions import (  # the same Core tables as do_register
    CASE_TABLE,
    EVENT_TABLE,
    PARTY_TABLE,
    Place,
    case_row,
    check_active,
    event_row,
    insert_case,
    locate,
    may_register,
    next_case_code,
    party_fields,
    refuse_round_source,
    starting_level,
)
from grassroots.cases.intake.idempotency import (
    Replay,
    check_key,
    check_stored,
    finish_key,
    in_flight,
    in_progress,
)
from grassroots.cases.intake.preflight import Holder, Preflight, preflight
from grassroots.cases.models import Case, CaseSequence
from grassroots.cases.responses import case_out
from grassroots.cases.tallies.contribution import Contribution
from grassroots.cases.tallies.maintain import KEY_COLUMNS, count_new_case, new_case_delta
from grassroots.cases.tallies.maintain import TABLES as STATS_TABLES
from grassroots.crypto import keyring
from grassroots.db import transaction
from grassroots.geo.models import Level
from grassroots.scope import current_jurisdiction

_SEQ = cast(Table, CaseSequence.__table__)


@dataclass(frozen=True)
class Plan:
    case_row: dict[str, Any]
    event_row: dict[str, Any]
    party_rows: list[dict[str, Any]]
    holder: Holder
    cal: WorkCalendar
    today: date
    assignee: Any = None  # the grid's worker (id, username) the case is assigned to, or None


def do_register_once(
    session: Session, data: s.NewCase, *, actor: User, key: str, digest: str,
    now: datetime | None = None,
) -> Replay | tuple[Case, bytes]:  # fmt: skip
    """登记 under an Idempotency-Key: the new case (a detached copy of what was stored) with
    the response bytes stored for replays, or the Replay of the first response."""
    check_key(key)
    refuse_round_source(data)
    moment = utc(now)
    ring = keyring()
    parties = [party_fields(p, ring) for p in data.parties]  # encrypted before any lock
    if session.get_bind().dialect.name == "postgresql":
        with transaction(session):
            return _register_postgresql(session, data, actor, key, digest, moment, parties)
    with in_flight(actor.id, key):
        return _register_sqlite(session, data, actor, key, digest, moment, parties)


def _register_sqlite(
    session: Session, data: s.NewCase, actor: User, key: str, digest: str, moment: datetime,
    parties: list[dict[str, Any]],
) -> Replay | tuple[Case, bytes]:  # fmt: skip
    # Read in the request's read transaction (a WAL snapshot: it holds no writer up) ...
    pre = preflight(session, actor, key, data)
    place = locate(session, data, local_date(moment), pre.stamp)
    taken_over = check_stored(pre.stored, digest, moment)
    if isinstance(taken_over, Replay):
        return taken_over
    plan = _plan(session, data, actor, pre, place, moment, parties)
    with transaction(session):  # ... then the one writer (grassroots.writer), in turn
        code = next_case_code(session, place.codes[Level.county], plan.today.year)
        return _write(session, plan, actor, code, key, digest, moment, taken_over)


def _register_postgresql(
    session: Session, data: s.NewCase, actor: User, key: str, digest: str, moment: datetime,
    parties: list[dict[str, Any]],
) -> Replay | tuple[Case, bytes]:  # fmt: skip
    pre = preflight(session, actor, key, data)
    place = locate(session, data, local_date(moment), pre.stamp)
    if not pre.locked:
        raise in_progress()
    taken_over = check_stored(pre.stored, digest, moment)
    if isinstance(taken_over, Replay):
        session.rollback()  # the case number taken by the preflight goes back
        return taken_over
    plan = _plan(session, data, actor, pre, place, moment, parties)
    county6 = place.codes[Level.county][:6]
    return _write_postgresql(session, plan, actor, county6, key, digest, moment, taken_over)


def _plan(
    session: Session, data: s.NewCase, actor: User, pre: Preflight, place: Place,
    moment: datetime, parties: list[dict[str, Any]],
) -> Plan:  # fmt: skip
    may_register(actor, place, pre.post.prefix if pre.post else None)
    check_active(data, pre.category_active, pre.source_active)
    holder = _holder(session, pre.post, place)
    today = local_date(moment)
    policy = policy_from_rows(
        pre.policies.get(holder.level, {}),
        data.category_code,
        holder.level,
        data.violence_risk,
        data.source_code,
    )
    row = case_row(data, place, holder.id, holder.level, actor.id, moment, pre.cal,
                   policy.accept_days)  # fmt: skip
    worker = SimpleNamespace(**vars(place.worker)) if place.worker else None
    return Plan(
        row, event_row(row, data.note, len(parties)), parties, holder, pre.cal, today, worker
    )


def _holder(session: Session, post: Holder | None, place: Place) -> Holder:
    """registration.starting_holder over the post the preflight read: the usual case (the
    post itself) needs no query."""
    level = starting_level(post.level if post else None)
    if post is not None and post.current and post.code == place.codes[level]:
        return post
    found = current_jurisdiction(session, place.codes[level])
    assert found is not None
    return Holder(found.id, found.code, found.name, found.level)


def _write(
    session: Session, plan: Plan, actor: User, code: str, key: str, digest: str,
    moment: datetime, taken_over: datetime | None,
) -> tuple[Case, bytes]:  # fmt: skip
    case = _detached_case(plan, code)
    body = case_out(case, plan.cal, plan.today).model_dump_json().encode()
    key_row = {
        "user_id": actor.id, "key": key, "request_hash": digest, "state": "done",
        "started_at": moment, "response_status": 201, "response_body": body,
        "taken_over": taken_over,
    }  # fmt: skip
    connection = session.connection()
    row = plan.case_row | {"code": code}
    case.id = insert_case(connection, row, plan.event_row, plan.party_rows)
    finished = connection.execute(_finish_sqlite(), key_row | {"case_id": case.id})
    if finished.first() is None:
        raise in_progress()  # another request registered under the key meanwhile
    count_new_case(connection, cast(Case, case), plan.cal)
    _audit(session, actor, code, plan)
    return cast(Case, case), body


def _audit(session: Session, actor: User, code: str, plan: Plan) -> None:
    details = {"from": None, "to": "registered", "level": plan.holder.level}
    record_audit(
        session, actor=actor, action="case.register", object_type="case", object_id=code,
        details=details,
    )  # fmt: skip


def _write_postgresql(
    session: Session, plan: Plan, actor: User, county6: str, key: str, digest: str,
    moment: datetime, taken_over: datetime | None,
) -> tuple[Case, bytes]:  # fmt: skip
    """_write in one statement that also takes the case number, last: the number's row lock
    (every intake of the county waits for it) is then held only from that statement to the
    commit, not while this process builds the rows. The response is built before, around a
    stand-in for the code that the statement (and then this function) replaces."""
    stand_in = f"{county6}-{plan.today.year}-{uuid.uuid4().hex}"
    case = _detached_case(plan, stand_in)
    template = case_out(case, plan.cal, plan.today).model_dump_json().encode()
    key_row = {
        "user_id": actor.id, "key": key, "request_hash": digest, "state": "done",
        "started_at": moment, "response_status": 201, "response_body": template,
        "taken_over": taken_over, "stand_in": stand_in, "county6": county6,
        "year": plan.today.year,
    }  # fmt: skip
    delta = new_case_delta(cast(Case, case), plan.cal)
    case.id, case.code = _insert_all_postgresql(session, plan, plan.case_row, key_row, delta)
    _audit(session, actor, case.code, plan)
    return cast(Case, case), template.replace(stand_in.encode(), case.code.encode())


@lru_cache(maxsize=1)
def _finish_sqlite() -> Any:
    return finish_key("sqlite")


def _insert_all_postgresql(
    session: Session, plan: Plan, case_row: dict[str, Any], key_row: dict[str, Any],
    delta: Contribution,
) -> tuple[int, str]:  # fmt: skip
    """The case number, the case, its event, its parties, the key row and the statistics in
    one statement (data-modifying CTEs; the foreign keys are checked at its end); returns the
    case's id and code. The statistics are
    maintain.apply's upserts; its removal of open rows that reach zero has nothing to do
    for a new case (every count goes up)."""
    stats = [(table, tuple(sorted(k for k, v in counts.items() if v)))
             for (table, _), counts in delta.items()]  # fmt: skip
    stats = [(table, counters) for table, counters in stats if counters]
    params = {f"c_{k}": v for k, v in case_row.items()}
    i = 0
    for (table, key), counts in delta.items():
        if any(counts.values()):  # every column given (a default would be an unnamed param)
            keys = dict(zip(KEY_COLUMNS[table], key, strict=True))
            columns = STATS_TABLES[table].c.keys()
            params |= {f"s{i}_{c}": keys[c] if c in keys else counts.get(c, 0) for c in columns}
            i += 1
    params |= {f"e_{k}": v for k, v in plan.event_row.items()}
    for i, party in enumerate(plan.party_rows):
        params |= {f"p{i}_{k}": v for k, v in party.items()}
    stmt = _all_in_one(tuple(sorted(case_row)), tuple(sorted(plan.event_row)),
                       tuple(sorted(plan.party_rows[0])) if plan.party_rows else (),
                       len(plan.party_rows), tuple(stats))  # fmt: skip
    row = session.connection().execute(stmt, params | key_row).one()
    if row[1] is None:
        raise in_progress()  # another request registered under the key meanwhile
    return int(row[0]), str(row[2])


def insert_values(table: Table, prefix: str, columns: tuple[str, ...]) -> dict[str, Any]:
    """The values of an INSERT inside the statement below: a parameter for each given column
    and, for each column left out, its default (omitted_defaults). SQLAlchemy applies column
    defaults to a top-level INSERT only: inside a CTE it names a left-out column with a NULL
    parameter, and a NOT NULL column with a default fails."""
    given = {c: bindparam(f"{prefix}{c}", type_=table.c[c].type) for c in columns}
    left_out = omitted_defaults(table, columns)
    return {c: literal(v, type_=table.c[c].type) for c, v in left_out.items()} | given


def omitted_defaults(table: Table, given: Iterable[str]) -> dict[str, Any]:
    """The scalar default of each column of `table` that `given` leaves out and that has one:
    what a plain INSERT writes there. A left-out column whose default is computed (a function,
    a SQL expression) is refused: the caller's rows must give it."""
    named = set(given)
    values: dict[str, Any] = {}
    for column in table.c:
        if column.key in named or column.default is None:
            continue
        if not isinstance(column.default, ScalarElementColumnDefault):
            raise ValueError(f"{table.name}.{column.key}: its default is computed, give a value")
        values[column.key] = column.default.arg
    return values


@lru_cache(maxsize=64)
def _all_in_one(
    case_cols: tuple[str, ...], event_cols: tuple[str, ...], party_cols: tuple[str, ...], n: int,
    stats: tuple[tuple[str, tuple[str, ...]], ...],
) -> Select[Any]:  # fmt: skip
    code = select(_next_code().c.code).scalar_subquery()
    new_case = insert(CASE_TABLE).values(
        insert_values(CASE_TABLE, "c_", case_cols) | {"code": code}
    )
    new_case_cte = new_case.returning(CASE_TABLE.c.id).cte("new_case")
    case_id = select(new_case_cte.c.id).scalar_subquery()
    event = insert_values(EVENT_TABLE, "e_", event_cols) | {"case_id": case_id}
    ctes = [insert(EVENT_TABLE).values(event).cte("new_event")]
    if n:  # INSERT … SELECT … UNION ALL: ids in the parties' order (multi-VALUES is not cached)
        values = [insert_values(PARTY_TABLE, f"p{i}_", party_cols) for i in range(n)]
        rows = [select(*v.values(), case_id) for v in values]
        source = rows[0] if n == 1 else union_all(*rows)
        parties = insert(PARTY_TABLE).from_select([*values[0], "case_id"], source)
        ctes.append(parties.cte("new_parties"))
    for i, (table_name, counters) in enumerate(stats):
        table = STATS_TABLES[table_name]
        upsert = pg_insert(table).values(insert_values(table, f"s{i}_", tuple(table.c.keys())))
        upsert = upsert.on_conflict_do_update(
            index_elements=list(KEY_COLUMNS[table_name]),
            set_={c: table.c[c] + upsert.excluded[c] for c in counters},
        )
        ctes.append(upsert.cte(f"stats_{i}"))
    body = func.convert_to(
        func.replace(func.convert_from(bindparam("response_body", type_=LargeBinary), "UTF8"),
                     bindparam("stand_in", type_=String), code), "UTF8",
    )  # fmt: skip
    new_key = finish_key("postgresql", case_id, body).cte("new_key")
    return select(new_case_cte.c.id, select(new_key.c.key).scalar_subquery(), code).add_cte(*ctes)


def _next_code() -> Any:
    """The next case number of (county, year), taken (INSERT … ON CONFLICT DO UPDATE: the
    row stays locked until the commit) and written as the code: 990101-2026-000123."""
    seq = (
        pg_insert(_SEQ)
        .values(county_code=bindparam("county6"), year=bindparam("year"), last=1)
        .on_conflict_do_update(
            index_elements=["county_code", "year"], set_={"last": _SEQ.c.last + 1}
        )
        .returning(_SEQ.c.last)
        .cte("next_number")
    )
    number = cast_(seq.c.last, String)
    six = case((seq.c.last < 1_000_000, func.lpad(number, 6, "0")), else_=number)
    year = cast_(bindparam("year", type_=Integer), String)
    return select((bindparam("county6", type_=String) + "-" + year + "-" + six).label("code")).cte(
        "next_code"
    )


def _detached_case(plan: Plan, code: str) -> Any:
    """The stored case as a plain object with a Case's attributes (no ORM instance: nothing
    can cascade into a session, and it costs less): what case_out and the statistics read."""
    h = plan.holder
    holder = SimpleNamespace(id=h.id, code=h.code, name=h.name, level=h.level)
    parties = [SimpleNamespace(**p) for p in plan.party_rows]
    later = dict.fromkeys(LATER, None)  # set by the actions after registration
    stored = omitted_defaults(CASE_TABLE, plan.case_row) | later | plan.case_row
    return SimpleNamespace(**stored, code=code, id=None, holder=holder, parties=parties,
                           unit=None, assignee=plan.assignee)  # fmt: skip


LATER = ("unit_id", "accepted_at", "resolved_at", "closed_at", "resolve_due", "follow_up_due",
         "suspended_at", "outcome", "resolved_level", "satisfaction", "performance",
         "performance_route", "duplicate_of_id", "resident_rating")  # fmt: skip
