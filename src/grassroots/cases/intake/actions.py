"""Registration (登记): 一案一码, location → grid → path, encrypted parties, first clock.

do_register is the creating row of the transition table. It writes the case, its event and
its parties with Core (case_row, event_row, insert_case: no ORM flush, the cost of which was
most of a registration) and then loads the case into the session. POST /cases with an
Idempotency-Key registers through grassroots.cases.intake.keyed, which reuses the checks,
the rows and the tables here, plus the stored key.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Connection, Executable, Table, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import local_date, utc
from grassroots.calendar.workdays import WorkCalendar
from grassroots.cases import schemas as s
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.deadlines.policies import policy_for
from grassroots.cases.models import Case, CaseEvent, CaseSequence, Party
from grassroots.cases.tallies.maintain import count_new_case, is_deferred
from grassroots.cases.workflow.engine import remember
from grassroots.cases.workflow.transitions import TABLE
from grassroots.crypto import Keyring, keyring
from grassroots.db import transaction
from grassroots.dictionary.models import RESIDENT_SOURCE, ROUND_SOURCE, Category, Source
from grassroots.errors import Problem
from grassroots.geo.locate import locate_point
from grassroots.geo.models import Jurisdiction, Level
from grassroots.geo.posts.queries import Worker, case_worker
from grassroots.scope import current_jurisdiction, within

CASE_TABLE = cast(Table, Case.__table__)
EVENT_TABLE = cast(Table, CaseEvent.__table__)
PARTY_TABLE = cast(Table, Party.__table__)


@dataclass(frozen=True)
class Place:
    grid_id: int
    grid_code: str
    codes: dict[str, str]  # level → code, grid up to county
    worker: Worker | None = None  # who serves the grid that day (geo.posts); None: vacant


def _field_problem(field: str, code: str, message: str) -> Problem:
    return Problem(422, code, message, errors=[{"field": field, "message": message}])


def _path(grid: Jurisdiction) -> Place:
    codes: dict[str, str] = {}
    node: Jurisdiction | None = grid
    while node is not None:
        codes[node.level] = node.code
        node = node.parent
    return Place(grid.id, grid.code, codes)


def locate(session: Session, data: s.NewCase, day: date, stamp: str = "") -> Place:
    """The grid, its path and the worker serving it on `day` (the case's assignee).
    `stamp`: the reference stamp the caller read in this transaction, if it did."""
    place = place_of(session, data.lat, data.lng, data.grid_code, stamp)
    return replace(place, worker=case_worker(session, place.grid_id, day))


def place_of(
    session: Session, lat: float | None, lng: float | None, grid_code: str | None,
    stamp: str = "",
) -> Place:  # fmt: skip
    """The point decides (geo's locate_point, which knows the whole path); without one,
    the explicit grid code (422 naming the field when neither finds a grid)."""
    if lat is not None and lng is not None:
        found = locate_point(session, lat, lng, stamp)
        if found is None:
            message = "位置不在任何网格内 / outside every grid"
            raise _field_problem("lat", "outside_jurisdiction", message)
        codes: dict[str, str] = {
            Level.grid: found.grid_code, Level.village: found.village_code,
            Level.township: found.township_code, Level.county: found.county_code,
        }  # fmt: skip
        return Place(found.grid_id, found.grid_code, codes)
    assert grid_code is not None
    grid = current_jurisdiction(session, grid_code)
    if grid is None or grid.level != Level.grid:
        raise _field_problem("grid_code", "unknown_grid", "网格不存在 / unknown grid")
    return _path(grid)


# Built once: constructing the statement costs about as much as running it.
_DICTIONARIES_ACTIVE = select(
    select(Category.active).where(Category.code == bindparam("category")).scalar_subquery(),
    select(Source.active).where(Source.code == bindparam("source")).scalar_subquery(),
)


def _check_dictionaries(session: Session, data: s.NewCase) -> None:
    params = {"category": data.category_code, "source": data.source_code}
    active = session.execute(_DICTIONARIES_ACTIVE, params).one()
    check_active(data, active[0], active[1])


def check_active(data: s.NewCase, category_active: bool | None, source_active: bool | None) -> None:
    """The category and the source must exist and be active (422 naming the fields)."""
    errors = []
    if not category_active:
        errors.append({"field": "category_code", "message": "未知的纠纷类别 / unknown category"})
    if not source_active:
        errors.append({"field": "source_code", "message": "未知的来源 / unknown source"})
    if errors:
        names = ", ".join(e["field"] for e in errors)
        raise Problem(422, "validation_failed", f"输入有误 / invalid input: {names}", errors=errors)


def starting_level(post_level: str | None) -> Level:
    """The level a case starts at: the registering post's (grid workers: village)."""
    post = Level(post_level) if post_level else Level.county
    level = {Level.grid: Level.village}.get(post, post)
    return level if level in (Level.village, Level.township, Level.county) else Level.county


def starting_holder(actor: User, place: Place, session: Session) -> Jurisdiction:
    """The case starts at the registering post's level (grid workers: their village),
    inside the case's own path."""
    own = actor.jurisdiction
    level = starting_level(own.level if own else None)
    if own is not None and own.valid_to is None and own.code == place.codes[level]:
        return own  # the usual case, without a query
    holder = current_jurisdiction(session, place.codes[level])
    assert holder is not None
    return holder


def next_case_code(session: Session, county_code: str, year: int) -> str:
    """`<6-digit county>-<year>-<6-digit seq>`; the counter row is upserted and incremented in
    the caller's transaction, so concurrent registrations never share a number."""
    county6 = county_code[:6]
    stmt = _next_number(session.get_bind().dialect.name)
    seq = session.connection().execute(stmt, {"county6": county6, "year": year}).scalar_one()
    return f"{county6}-{year}-{seq:06d}"


@lru_cache(maxsize=4)
def _next_number(dialect: str) -> Executable:
    """The counter's upsert (a Core statement: the ORM's bulk path costs more than the
    statement)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = cast(Table, CaseSequence.__table__)
    return (
        insert(table)
        .values(county_code=bindparam("county6"), year=bindparam("year"), last=1)
        .on_conflict_do_update(
            index_elements=["county_code", "year"], set_={"last": table.c.last + 1}
        )
        .returning(table.c.last)
    )


def party_fields(p: s.PartyIn, ring: Keyring | None = None) -> dict[str, Any]:
    """A party's column values, contact data encrypted with its blind index (`ring`: the
    process's keyring, looked up once by a caller with several parties)."""
    ring = ring or keyring()
    phone, id_number = p.phone, p.id_number
    return {
        "role": p.role.value, "name": p.name, "address": p.address,
        "phone_enc": ring.encrypt("phone", phone) if phone else None,
        "phone_bidx": ring.blind_index("phone", phone) if phone else None,
        "id_number_enc": ring.encrypt("id_number", id_number) if id_number else None,
        "id_number_bidx": ring.blind_index("id_number", id_number) if id_number else None,
    }  # fmt: skip


def case_row(
    data: s.NewCase, place: Place, holder_id: int, holder_level: str, actor_id: int,
    moment: datetime, cal: WorkCalendar, accept_days: int,
) -> dict[str, Any]:  # fmt: skip
    """The new case's columns (at version 1, its accept clock started) without its code."""
    today = local_date(moment)
    due = cal.add_working_days(today, accept_days)
    return {
        "kind": data.kind.value, "category_code": data.category_code,
        "source_code": data.source_code, "title": data.title, "description": data.description,
        "lat": data.lat, "lng": data.lng, "address": data.address, "grid_id": place.grid_id,
        "county_code": place.codes[Level.county], "township_code": place.codes.get(Level.township),
        "village_code": place.codes.get(Level.village), "grid_code": place.grid_code,
        "state": "registered", "level": holder_level, "holder_jurisdiction_id": holder_id,
        "registered_by_id": actor_id, "people_involved": data.people_involved,
        "amount_involved": data.amount_involved, "violence_risk": data.violence_risk,
        "risk_level": data.risk_level, "registered_at": moment, "updated_at": moment,
        "accept_due": due, "clock_started_on": today, "clock_due_on": due,
        "clock_yellow_on": clk.yellow_from(cal, today, due), "outcome_note": "",
        "escalation_count": 0, "reopen_count": 0, "missed_deadlines": 0, "version": 1,
        "assignee_id": place.worker.id if place.worker else None,
    }  # fmt: skip


def event_row(row: dict[str, Any], note: str, parties: int) -> dict[str, Any]:
    """The register event of the case `row` (case_row's)."""
    return {
        "action": "register", "actor_id": row["registered_by_id"], "at": row["registered_at"],
        "from_state": None, "to_state": "registered", "level": row["level"],
        "holder_jurisdiction_id": row["holder_jurisdiction_id"], "unit_id": None, "note": note,
        "details": {"grid_code": row["grid_code"], "parties": parties},
    }  # fmt: skip


def capped_row(row: dict[str, Any], source_due_on: date, cal: WorkCalendar) -> dict[str, Any]:
    """case_row's columns with the source's deadline kept and the accept clock capped by it."""
    today = row["clock_started_on"]
    due = clk.capped(row["accept_due"], source_due_on, today)
    yellow = clk.yellow_from(cal, today, due)
    return row | {"source_due_on": source_due_on, "accept_due": due, "clock_due_on": due,
                  "clock_yellow_on": yellow}  # fmt: skip


INSERT_CASE = insert(CASE_TABLE).returning(CASE_TABLE.c.id)
INSERT_EVENT = insert(EVENT_TABLE)
INSERT_PARTY = insert(PARTY_TABLE)


def insert_case(
    connection: Connection, row: dict[str, Any], event: dict[str, Any],
    parties: list[dict[str, Any]],
) -> int:  # fmt: skip
    """The case, its event and its parties in three Core statements: the case's id."""
    case_id: int = connection.execute(INSERT_CASE, row).scalar_one()
    connection.execute(INSERT_EVENT, event | {"case_id": case_id})
    if parties:
        connection.execute(INSERT_PARTY, [p | {"case_id": case_id} for p in parties])
    return case_id


def refuse_round_source(data: s.NewCase) -> None:
    """主动排查发现 is the source of cases registered from a 排查 round only, 群众自报 of a
    resident's own report through the public channel only (422 here)."""
    if data.source_code == ROUND_SOURCE:
        message = "“主动排查发现”由记录排查时登记 / this source is set by recording a round"
        raise _field_problem("source_code", "round_source", message)
    if data.source_code == RESIDENT_SOURCE:
        message = (
            "“群众自报”仅由群众通过公开页面上报 / this source is set by a resident's own report"
        )
        raise _field_problem("source_code", "resident_source", message)


def may_register(actor: User, place: Place, post_prefix: str | None) -> None:
    """The role may register, and the place lies inside the post's jurisdiction."""
    t = TABLE["register"]
    if actor.role not in t.roles:
        raise Problem(403, "role_not_allowed", "您的岗位不能登记案件 / your role may not register")
    if not within(post_prefix, place.grid_code):
        raise Problem(
            403,
            "not_case_handler",
            "只能登记本辖区内的案件 / you may only register cases inside your jurisdiction",
        )


def do_register(
    session: Session, data: s.NewCase, *, actor: User, expected_version: int | None = None,
    now: datetime | None = None,
) -> Case:  # fmt: skip
    """登记 a case: code, location path, parties, accept clock, first event, audit row.
    `expected_version` is accepted for the common signature and must be None."""
    if expected_version is not None:
        raise Problem(422, "no_version", "新案件没有版本号 / a new case has no version")
    refuse_round_source(data)
    moment = utc(now)
    with transaction(session):
        case = _register(session, data, actor, moment)
    return case


def register_within(session: Session, data: s.NewCase, *, actor: User, moment: datetime) -> Case:
    """登记 inside the caller's transaction (a matter found on a 排查 round becomes a case in
    the round's one step): the same checks, rows, statistics and audit row as do_register."""
    return _register(session, data, actor, utc(moment))


def _register(session: Session, data: s.NewCase, actor: User, moment: datetime) -> Case:
    """The rows written with Core (as intake writes them: no ORM flush), the case then
    loaded into the session (the statistics and the caller read it)."""
    place = locate(session, data, local_date(moment))
    own = actor.jurisdiction
    may_register(actor, place, own.prefix if own else None)
    return write_case(session, data, actor, moment, place, starting_holder(actor, place, session))


def write_case(
    session: Session, data: s.NewCase, actor: User, moment: datetime, place: Place,
    holder: Jurisdiction, source_due_on: date | None = None,
) -> Case:  # fmt: skip
    """The case located at `place`, held by `holder`, registered by `actor` (checked by the
    caller): its rows, statistics and audit row in the caller's transaction. Channels that
    do not register as staff (Open311, the 12345 import) call it with their own holder."""
    _check_dictionaries(session, data)
    cal = clk.load_calendar(session)
    code = next_case_code(session, place.codes[Level.county], local_date(moment).year)
    accept = policy_for(
        session, data.category_code, holder.level, data.violence_risk, data.source_code
    )
    row = case_row(data, place, holder.id, holder.level, actor.id, moment, cal, accept.accept_days)
    if source_due_on is not None:
        row = capped_row(row, source_due_on, cal)
    ring = keyring()
    parties = [party_fields(p, ring) for p in data.parties]
    connection = session.connection()
    event = event_row(row, data.note, len(parties))
    case_id = insert_case(connection, row | {"code": code}, event, parties)
    case = session.get_one(Case, case_id)
    set_committed_value(case, "shares", [])  # a new case has none: spare the rule checks a query
    remember(session, case)
    if not is_deferred(session):
        count_new_case(connection, case, cal)
    details = {"from": None, "to": "registered", "level": holder.level}
    record_audit(
        session, actor=actor, action="case.register", object_type="case", object_id=code,
        details=details,
    )  # fmt: skip
    return case
