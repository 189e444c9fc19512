"""The reference: the same counters recounted straight from the cases table by GROUP BY.

Written independently of grassroots.cases.tallies.contribution (SQL CASE expressions rather than
Python), so that comparing the two proves the maintained aggregates — and is the baseline
the benchmark measures the aggregates against. Durations (working days) are summed in
Python over the resolved cases, since the holiday calendar is not in the database.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import Session

from grassroots.calendar.today import local_date, local_midnight_utc
from grassroots.calendar.workday_index import WorkdayIndex
from grassroots.calendar.workdays import read_calendar
from grassroots.cases.models import OPEN_STATES, Case, DeadlineRecord
from grassroots.config import get_settings
from grassroots.rounds.models import PatrolRound, RoundMatter
from grassroots.stats.aggregates import ByGroup, merge
from grassroots.stats.periods import Period
from grassroots.stats.scope import Scope

T = Case.__table__
R = PatrolRound.__table__
M = RoundMatter.__table__
OPEN = sorted(OPEN_STATES)
RUNNING = [s for s in OPEN if s != "suspended"]  # open cases whose clock runs
# A case merged into another (合并重复件) is counted once, as its primary: in no figure but
# the days it was overdue before the merge.
COUNTED = func.coalesce(Case.outcome, "") != "merged"


def counted(scope: Scope) -> ColumnElement[bool]:
    """The cases of `scope` that count: those not marked as spam (grassroots.residents)."""
    return and_(scope.condition(T), Case.spam.is_(False))


def _n(cond: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _local_day(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("Asia/Shanghai", column), Date)
    return func.date(column, "+8 hours")


def _cohort_columns() -> dict[str, Any]:
    resolved = Case.outcome == "resolved"
    cols: dict[str, Any] = {
        "registered": func.count(),
        "accepted": _n(Case.accepted_at.is_not(None)),
        "resolved": _n(resolved),
        "terminated": _n(Case.outcome == "terminated"),
        "rejected": _n(Case.outcome == "rejected"),
        "escalated_beyond": _n(Case.level == "city"),
        "followed_up": _n(Case.satisfaction.is_not(None)),
        "satisfied": _n(Case.satisfaction.in_(["satisfied", "basically_satisfied"])),
        "resident_rated": _n(Case.resident_rating.is_not(None)),
        "resident_satisfied": _n(Case.resident_rating.in_(["satisfied", "basically_satisfied"])),
        "violence_risk": _n(Case.violence_risk.is_(True)),
        "violence_resolved": _n(and_(Case.violence_risk.is_(True), resolved)),
    }
    for level in ("village", "township", "county", "city"):
        cols[f"resolved_{level}"] = _n(and_(resolved, Case.resolved_level == level))
    return cols


def _select(scope: Scope, by_child: bool, cols: dict[str, Any], *where: Any) -> Any:
    group = scope.child_column(T) if by_child else None
    key = func.coalesce(group, "") if group is not None else literal("")
    stmt = select(key.label("g"), *(v.label(k) for k, v in cols.items()))
    stmt = stmt.where(counted(scope), *where)
    return stmt.group_by(key) if group is not None else stmt


def _run(session: Session, stmt: Any, names: list[str]) -> ByGroup:
    out: ByGroup = {}
    for row in session.execute(stmt):
        m = row._mapping
        out[str(m["g"])] = {n: int(m[n] or 0) for n in names}
    return out


def _durations(session: Session, scope: Scope, period: Period, by_child: bool) -> ByGroup:
    group = scope.child_column(T) if by_child else literal("")
    stmt = select(func.coalesce(group, ""), Case.registered_at, Case.resolved_at).where(
        counted(scope), *_registered_in(period), Case.outcome == "resolved"
    )
    out: ByGroup = {}
    index = WorkdayIndex(read_calendar(session))
    for g, registered, resolved in session.execute(stmt):
        days = index.between(local_date(registered), local_date(resolved)) if resolved else 0
        slot = out.setdefault(str(g), {"duration_days": 0})
        slot["duration_days"] += days
    return out


def _registered_in(period: Period) -> list[ColumnElement[bool]]:
    return [
        Case.registered_at >= local_midnight_utc(period.first),
        Case.registered_at < local_midnight_utc(period.after),
    ]


def _due_columns(session: Session) -> dict[str, Any]:
    """按期: ended (resolved, or 调解终止) by the running deadline, and no superseded
    deadline in the case's history missed (case_deadline_record; issue 15 item 2)."""
    missed_none = ~exists().where(
        DeadlineRecord.case_id == Case.id, DeadlineRecord.missed.is_(True)
    )
    on_time = and_(
        Case.outcome == "resolved",
        Case.resolved_at.is_not(None),
        _local_day(session, Case.resolved_at) <= Case.resolve_due,
        missed_none,
    )
    terminated = and_(
        Case.outcome == "terminated",
        Case.closed_at.is_not(None),
        _local_day(session, Case.closed_at) <= Case.resolve_due,
        missed_none,
    )
    return {"due": func.count(), "on_time": _n(on_time), "on_time_terminated": _n(terminated)}


def counters(
    session: Session,
    scope: Scope,
    period: Period,
    today: date,
    by_child: bool = False,
    with_overdue: bool = True,
) -> ByGroup:
    """The same counters as grassroots.stats.aggregates.counters, from the cases table."""
    cohort_cols = _cohort_columns()
    cohort = _run(
        session,
        _select(scope, by_child, cohort_cols, COUNTED, *_registered_in(period)),
        list(cohort_cols),
    )
    due_cols = _due_columns(session)
    due = _run(
        session,
        _select(
            scope,
            by_child,
            due_cols,
            COUNTED,
            Case.resolve_due >= period.first,
            Case.resolve_due <= period.end,
            # not yet due: running and open, deadline today or later (docs/metrics.md)
            not_(and_(Case.state.in_(RUNNING), Case.resolve_due >= today)),
            # a 12345 order returned to the platform (退单) is not ours to end on time
            or_(Case.outcome.is_(None), Case.outcome != "returned"),
        ),
        list(due_cols),
    )
    durations = _durations(session, scope, period, by_child)
    if not with_overdue:
        return merge(cohort, due, durations)
    return merge(cohort, due, _overdue(session, scope, period, today, by_child), durations)


def _overdue(
    session: Session, scope: Scope, period: Period, today: date, by_child: bool
) -> ByGroup:
    """超期数 as of today; for a past period, as of its last day with today's beside it."""
    now = _run(
        session,
        _select(
            scope,
            by_child,
            {"overdue": func.count()},
            Case.state.in_(RUNNING),  # 中止 (suspended): clock stopped, not overdue
            Case.resolve_due < today,
        ),
        ["overdue"],
    )
    if period.end >= today:
        return now
    today_count = {g: {"overdue_today": c["overdue"]} for g, c in now.items()}
    return merge(overdue_at(session, scope, period.end, by_child), today_count)


def overdue_at(session: Session, scope: Scope, day: date, by_child: bool = False) -> ByGroup:
    """超期 at the end of `day`, from the cases and their superseded deadlines: a deadline
    before `day` that the case had not left by the end of `day` (the running one: not
    resolved, terminated, rejected or suspended by then; a superseded one: not escalated,
    referred or — returned for rework — resolved by then). docs/metrics.md."""
    out: ByGroup = {}
    for part in (
        _running_at(session, scope, day, by_child),
        _superseded_at(session, scope, day, by_child),
    ):
        for g, c in part.items():
            out.setdefault(g, {"overdue": 0})["overdue"] += c["overdue"]
    return out


def _running_at(session: Session, scope: Scope, day: date, by_child: bool) -> ByGroup:
    left = case(
        (Case.outcome == "resolved", Case.resolved_at),
        (Case.outcome.in_(["terminated", "rejected", "returned", "merged"]), Case.closed_at),
        (Case.state == "suspended", Case.suspended_at),
        else_=None,
    )
    not_left = or_(left.is_(None), _local_day(session, left) > day)
    cols = {"overdue": func.count()}
    stmt = _select(scope, by_child, cols, Case.resolve_due < day, not_left)
    return _run(session, stmt, ["overdue"])


def _superseded_at(session: Session, scope: Scope, day: date, by_child: bool) -> ByGroup:
    r = DeadlineRecord
    ended = _local_day(session, func.coalesce(r.resolved_at, r.ended_at))
    group = scope.child_column(T) if by_child else None
    key = func.coalesce(group, "") if group is not None else literal("")
    stmt = select(key.label("g"), func.count().label("overdue")).select_from(Case)
    stmt = stmt.join(r, r.case_id == Case.id)
    stmt = stmt.where(counted(scope), r.due < day, ended > day)
    return _run(session, stmt.group_by(key) if group is not None else stmt, ["overdue"])


def _figure_columns(session: Session) -> dict[str, Any]:
    """The counters of grassroots.cases.tallies.figures, as SQL over the cases."""
    outcome = Case.outcome
    satisfied = Case.satisfaction.in_(["satisfied", "basically_satisfied"])
    in_time = and_(
        outcome == "terminated",
        Case.closed_at.is_not(None),
        _local_day(session, Case.closed_at) <= Case.resolve_due,
    )
    amount = case((outcome == "resolved", func.round(Case.amount_involved * 100)), else_=0)
    cols: dict[str, Any] = {
        "registered": func.count(),
        "accepted": _n(Case.accepted_at.is_not(None)),
        "terminated_in_time": _n(in_time),
        "pending": _n(Case.state.in_(OPEN)),
        "amount_fen": func.coalesce(func.sum(amount), 0),
        "mass": _n(Case.people_involved >= get_settings().mass_dispute_min_people),
    }
    for o in ("resolved", "terminated", "rejected"):
        cols[o] = _n(outcome == o)
        cols[f"followed_up_{o}"] = _n(and_(outcome == o, Case.satisfaction.is_not(None)))
        cols[f"satisfied_{o}"] = _n(and_(outcome == o, satisfied))
    return cols


def figure_counters(
    session: Session, scope: Scope, period: Period, group_by: str | None = None
) -> ByGroup:
    """The same counters as grassroots.stats.aggregates.figure_counters, from the cases."""
    cols = _figure_columns(session)
    key = func.coalesce(T.c[group_by], "") if group_by else literal("")
    stmt = select(key.label("g"), *(v.label(k) for k, v in cols.items()))
    stmt = stmt.where(
        counted(Scope(scope.level, scope.code, kind=scope.kind)), COUNTED, *_registered_in(period)
    )
    if group_by:
        stmt = stmt.group_by(key)
    return _run(session, stmt, list(cols))


def round_counters(
    session: Session, scope: Scope, period: Period, group_by: str | None = None
) -> ByGroup:
    """The same counters as grassroots.stats.aggregates.round_counters, from the rounds and
    their matters (a round without matters counts once, with zero matters)."""
    per_round = (
        select(
            R.c.id, R.c.county_code, R.c.township_code, R.c.village_code, R.c.grid_code,
            func.count(M.c.id).label("matters"),
            func.coalesce(func.sum(case((M.c.outcome == "case", 1), else_=0)), 0).label("cased"),
        )
        .select_from(R.outerjoin(M, M.c.round_id == R.c.id))
        .where(R.c.held_on >= period.first, R.c.held_on < period.after)
        .group_by(R.c.id, R.c.county_code, R.c.township_code, R.c.village_code, R.c.grid_code)
        .subquery()
    )  # fmt: skip
    key = per_round.c[group_by] if group_by else literal("")
    stmt = select(
        key.label("g"), func.count().label("rounds"),
        func.coalesce(func.sum(per_round.c.matters), 0).label("matters"),
        func.coalesce(func.sum(per_round.c.cased), 0).label("matters_cased"),
    ).where(Scope(scope.level, scope.code).condition(per_round))  # fmt: skip
    if group_by:
        stmt = stmt.group_by(key)
    return _run(session, stmt, ["rounds", "matters", "matters_cased"])


def grid_counters(
    session: Session, scope: Scope, period: Period, today: date, group_by: str | None = None
) -> ByGroup:
    """The same counters as grassroots.stats.figures.grids.grid_counters, from the cases."""
    place = counted(Scope(scope.level, scope.code))
    key = func.coalesce(T.c[group_by], "") if group_by else literal("")
    resolved = Case.outcome == "resolved"
    cols: dict[str, Any] = {
        "registered": func.count(),
        "found_by_patrol": _n(Case.source_code.in_(["grid_patrol", "round_found"])),
        "resolved": _n(resolved),
        "resolved_in_grid": _n(and_(resolved, Case.resolved_level == "village")),
    }
    stmt = select(key.label("g"), *(v.label(k) for k, v in cols.items()))
    cohort = _run(
        session, stmt.where(place, COUNTED, *_registered_in(period)).group_by(key), list(cols)
    )
    late = select(key.label("g"), func.count().label("overdue")).where(
        place, Case.state.in_(RUNNING), Case.resolve_due < today
    )
    return merge(cohort, _run(session, late.group_by(key), ["overdue"]))
