"""Writes of 排查 rounds: do_record_round, one transaction holding the round, its matters,
the cases some of them become (registered as intake registers, source 主动排查发现), the
monthly counters (stats_rounds) and the audit row."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Executable, Table, bindparam, case, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import local_date, utc
from grassroots.cases import schemas as cs
from grassroots.cases.intake.actions import register_within
from grassroots.db import transaction
from grassroots.dictionary.models import Category
from grassroots.errors import Problem
from grassroots.geo.locate import locate_point
from grassroots.geo.models import Jurisdiction
from grassroots.rounds.models import (
    ROUND_COUNTERS,
    ROUND_SOURCE,
    MatterOutcome,
    PatrolRound,
    RoundAggregate,
    RoundMatter,
)
from grassroots.rounds.queries import recordable_grid
from grassroots.rounds.schemas import MatterIn, RoundIn


def _invalid(field: str, message: str) -> Problem:
    return Problem(
        422, "bad_round", f"排查记录有误 / invalid round: {message}",
        errors=[{"field": field, "message": message}],
    )  # fmt: skip


def _check_matter(session: Session, grid: Jurisdiction, n: int, m: MatterIn) -> None:
    """An active category; a point, where given, inside the round's grid."""
    if not session.scalar(select(Category.active).where(Category.code == m.category_code)):
        raise _invalid(f"matters.{n}.category_code", "未知的纠纷类别 / unknown category")
    if m.lat is not None and m.lng is not None:
        found = locate_point(session, m.lat, m.lng)
        if found is None or found.grid_code != grid.code:
            raise _invalid(f"matters.{n}.lat", "地点不在本网格内 / the place is outside the grid")


def _path(grid: Jurisdiction) -> dict[str, str]:
    codes: dict[str, str] = {}
    node: Jurisdiction | None = grid
    while node is not None:
        codes[node.level] = node.code
        node = node.parent
    return codes


def _new_round(grid: Jurisdiction, data: RoundIn, actor: User) -> PatrolRound:
    codes = _path(grid)
    return PatrolRound(
        grid=grid, grid_code=grid.code, county_code=codes.get("county", ""),
        township_code=codes.get("township", ""), village_code=codes.get("village", ""),
        held_on=data.held_on, recorded_by=actor, checks=[c.value for c in data.checks],
        note=data.note,
    )  # fmt: skip


def _as_case(found: PatrolRound, seq: int, m: MatterIn) -> cs.NewCase:
    return cs.NewCase(
        kind=m.kind, category_code=m.category_code, source_code=ROUND_SOURCE, title=m.summary,
        description=m.details or m.summary, grid_code=found.grid_code, lat=m.lat, lng=m.lng,
        note=f"主动排查发现：排查记录 #{found.id} 第 {seq} 项 / found on round #{found.id}",
    )  # fmt: skip


def _record_matter(
    session: Session, found: PatrolRound, seq: int, m: MatterIn, actor: User, moment: datetime
) -> RoundMatter:
    """The matter row; with to_case, the case registered first and linked."""
    case_id = None
    if m.to_case:
        case_id = register_within(session, _as_case(found, seq, m), actor=actor, moment=moment).id
    outcome = MatterOutcome.case if m.to_case else MatterOutcome.noted
    matter = RoundMatter(
        round=found, seq=seq, summary=m.summary, details=m.details,
        category_code=m.category_code, lat=m.lat, lng=m.lng, outcome=outcome.value,
        case_id=case_id,
    )  # fmt: skip
    session.add(matter)
    return matter


AGGREGATE = cast(Table, RoundAggregate.__table__)


@lru_cache(maxsize=4)
def _upsert(dialect: str) -> Executable:
    """Add to the month × grid row of stats_rounds, creating it at the first round."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    keys = ("month", "county_code", "township_code", "village_code", "grid_code")
    values: dict[str, Any] = {
        k: bindparam(k) for k in (*keys, "rounds", "matters", "matters_cased")
    }
    stmt = insert(AGGREGATE).values(values)
    added = {n: AGGREGATE.c[n] + stmt.excluded[n] for n in ("rounds", "matters", "matters_cased")}
    return stmt.on_conflict_do_update(index_elements=list(keys), set_=added)


def count_round(session: Session, found: PatrolRound, matters: int, cased: int) -> None:
    """The round's contribution to stats_rounds, in the round's transaction."""
    params = {
        "month": found.held_on.replace(day=1), "county_code": found.county_code,
        "township_code": found.township_code, "village_code": found.village_code,
        "grid_code": found.grid_code, "rounds": 1, "matters": matters, "matters_cased": cased,
    }  # fmt: skip
    session.connection().execute(_upsert(session.get_bind().dialect.name), params)


def do_record_round(
    session: Session, data: RoundIn, *, actor: User, now: datetime | None = None
) -> PatrolRound:
    """Record a round held on `data.held_on` (not after today) in a grid the actor served
    that day; each matter is noted, or registered as a case (source 主动排查发现) in the
    same transaction. 404 beyond the actor's subtree, 403 not posted, 422 bad input."""
    moment = utc(now)
    if data.held_on > local_date(moment):
        raise _invalid("held_on", "排查日期晚于今天 / the round is in the future")
    with transaction(session):
        grid = recordable_grid(session, actor, data.grid_code, data.held_on)
        for n, m in enumerate(data.matters):
            _check_matter(session, grid, n, m)
        found = _new_round(grid, data, actor)
        session.add(found)
        session.flush()
        for seq, m in enumerate(data.matters, 1):
            _record_matter(session, found, seq, m, actor, moment)
        session.flush()
        cased = sum(1 for m in data.matters if m.to_case)
        count_round(session, found, len(data.matters), cased)
        record_audit(
            session, actor=actor, action="round.record", object_type="round",
            object_id=found.id, details={"grid": grid.code, "held_on": data.held_on,
                                         "matters": len(data.matters), "cased": cased},
        )  # fmt: skip
    return found


def _per_round(session: Session) -> list[Any]:
    """(held_on, county, township, village, grid, matters, cased) of every round."""
    cased = func.sum(case((RoundMatter.outcome == MatterOutcome.case.value, 1), else_=0))
    matters = (
        select(RoundMatter.round_id, func.count().label("n"), cased.label("cased"))
        .group_by(RoundMatter.round_id)
        .subquery()
    )
    r = PatrolRound
    stmt = select(
        r.held_on, r.county_code, r.township_code, r.village_code, r.grid_code,
        func.coalesce(matters.c.n, 0), func.coalesce(matters.c.cased, 0),
    ).outerjoin(matters, matters.c.round_id == r.id)  # fmt: skip
    return list(session.execute(stmt).all())


def rebuild_round_counts(session: Session) -> int:
    """Recompute stats_rounds from the rounds and their matters (the caller owns the
    transaction: `grassroots stats rebuild`). Returns the number of rows written."""
    totals: dict[tuple[Any, ...], list[int]] = {}
    for held_on, *place, n, cased in _per_round(session):
        slot = totals.setdefault((held_on.replace(day=1), *place), [0, 0, 0])
        slot[0], slot[1], slot[2] = slot[0] + 1, slot[1] + int(n), slot[2] + int(cased)
    session.execute(delete(RoundAggregate))
    keys = ("month", "county_code", "township_code", "village_code", "grid_code")
    values = [dict(zip(keys, k, strict=True)) | dict(zip(ROUND_COUNTERS, v, strict=True))
              for k, v in totals.items()]  # fmt: skip
    if values:
        session.execute(insert(RoundAggregate), values)
    return len(values)
