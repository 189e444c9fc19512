"""Registration (登记): 一案一码, location → grid → path, encrypted parties, first clock.

do_register is the creating row of the transition table; it shares the event and audit
writing of the other actions. POST /cases with an Idempotency-Key registers through
grassroots.cases.intake, which reuses the checks here and writes the same rows with Core.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Executable, Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import clockwork as clk
from grassroots.cases import schemas as s
from grassroots.cases.action_engine import Ctx, write_event
from grassroots.cases.models import Case, CaseSequence, Category, Party, Source
from grassroots.cases.transitions import TABLE
from grassroots.crypto import keyring
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.geo.locate import locate_point
from grassroots.geo.models import Jurisdiction, Level
from grassroots.geo.queries import current_jurisdiction


@dataclass(frozen=True)
class Place:
    grid_id: int
    grid_code: str
    codes: dict[str, str]  # level → code, grid up to county


def _field_problem(field: str, code: str, message: str) -> Problem:
    return Problem(422, code, message, errors=[{"field": field, "message": message}])


def _path(grid: Jurisdiction) -> Place:
    codes: dict[str, str] = {}
    node: Jurisdiction | None = grid
    while node is not None:
        codes[node.level] = node.code
        node = node.parent
    return Place(grid.id, grid.code, codes)


def locate(session: Session, data: s.NewCase) -> Place:
    """The point decides (geo's locate_point, which knows the whole path); without one,
    the explicit grid code."""
    if data.lat is not None and data.lng is not None:
        found = locate_point(session, data.lat, data.lng)
        if found is None:
            message = "位置不在任何网格内 / outside every grid"
            raise _field_problem("lat", "outside_jurisdiction", message)
        codes: dict[str, str] = {
            Level.grid: found.grid_code, Level.village: found.village_code,
            Level.township: found.township_code, Level.county: found.county_code,
        }  # fmt: skip
        return Place(found.grid_id, found.grid_code, codes)
    assert data.grid_code is not None
    grid = current_jurisdiction(session, data.grid_code)
    if grid is None or grid.level != Level.grid:
        raise _field_problem("grid_code", "unknown_grid", "网格不存在 / unknown grid")
    return _path(grid)


def _check_dictionaries(session: Session, data: s.NewCase) -> None:
    active = session.execute(
        select(
            select(Category.active).where(Category.code == data.category_code).scalar_subquery(),
            select(Source.active).where(Source.code == data.source_code).scalar_subquery(),
        )
    ).one()
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


def party_fields(p: s.PartyIn) -> dict[str, Any]:
    """A party's column values, contact data encrypted with its blind index."""
    ring = keyring()
    phone, id_number = p.phone, p.id_number
    return {
        "role": p.role.value, "name": p.name, "address": p.address,
        "phone_enc": ring.encrypt("phone", phone) if phone else None,
        "phone_bidx": ring.blind_index("phone", phone) if phone else None,
        "id_number_enc": ring.encrypt("id_number", id_number) if id_number else None,
        "id_number_bidx": ring.blind_index("id_number", id_number) if id_number else None,
    }  # fmt: skip


def _party(p: s.PartyIn) -> Party:
    return Party(**party_fields(p))


def _new_case(data: s.NewCase, place: Place, holder: Jurisdiction, ctx: Ctx, code: str) -> Case:
    return Case(
        code=code,
        kind=data.kind.value,
        category_code=data.category_code,
        source_code=data.source_code,
        title=data.title,
        description=data.description,
        lat=data.lat,
        lng=data.lng,
        address=data.address,
        grid_id=place.grid_id,
        county_code=place.codes[Level.county],
        township_code=place.codes.get(Level.township),
        village_code=place.codes.get(Level.village),
        grid_code=place.grid_code,
        state="registered",
        level=holder.level,
        holder=holder,
        registered_by_id=ctx.actor.id,
        people_involved=data.people_involved,
        amount_involved=data.amount_involved,
        violence_risk=data.violence_risk,
        risk_level=data.risk_level,
        registered_at=ctx.moment,
        updated_at=ctx.moment,
        parties=[_party(p) for p in data.parties],
    )


def may_register(actor: User, place: Place, post_prefix: str | None) -> None:
    """The role may register, and the place lies inside the post's jurisdiction."""
    t = TABLE["register"]
    if actor.role not in t.roles:
        raise Problem(403, "role_not_allowed", "您的岗位不能登记案件 / your role may not register")
    if post_prefix is None or not place.grid_code.startswith(post_prefix):
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
    moment = clk.utc(now)
    with transaction(session):
        case = _register(session, data, actor, moment)
    return case


def _register(session: Session, data: s.NewCase, actor: User, moment: datetime) -> Case:
    place = locate(session, data)
    own = actor.jurisdiction
    may_register(actor, place, own.prefix if own else None)
    _check_dictionaries(session, data)
    ctx = Ctx(session, clk.load_calendar(session), moment, clk.local_day(moment), actor)
    code = next_case_code(session, place.codes[Level.county], ctx.today.year)
    case = _new_case(data, place, starting_holder(actor, place, session), ctx, code)
    with session.no_autoflush:  # one INSERT, at version 1
        clk.start_accept_clock(session, ctx.cal, case, ctx.today)
        session.add(case)
        details = {"grid_code": case.grid_code, "parties": len(case.parties)}
        write_event(session, case, "register", ctx, None, data.note, details)
    session.flush()
    return case
