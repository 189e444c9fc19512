"""排查 rounds: who may record one (posted that day, or staff over their subtree), matters
noted or registered as cases (source 主动排查发现) in one step, the audit rows, and the
monthly counters kept in the writer's transaction against the recount from rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.cases.models import Case
from grassroots.errors import Problem
from grassroots.geo.models import Boundary
from grassroots.geo.posts.actions import do_appoint
from grassroots.geo.posts.models import PostKind
from grassroots.geo.posts.schemas import PostIn
from grassroots.reports.content.breakdown import source_groups
from grassroots.rounds.actions import do_record_round, rebuild_round_counts
from grassroots.rounds.models import PatrolRound, RoundAggregate, RoundMatter
from grassroots.rounds.schemas import RoundIn
from grassroots.scope import current_jurisdiction
from grassroots.stats import aggregates, recount
from grassroots.stats.figures.dashboard import period_cards
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.cases.conftest import grid_in

NOW = datetime(2026, 6, 20, 4, 0, tzinfo=UTC)


def post(session: Session, users: dict[str, User], grid: str, who: str = "wang",
         start: date = date(2026, 3, 1)) -> None:  # fmt: skip
    data = PostIn(username=who, kind=PostKind.worker, start_on=start)
    do_appoint(session, grid, data, actor=users["admin"])


def round_in(grid: str, held_on: date = date(2026, 6, 18), **extra: Any) -> RoundIn:
    matters = [
        {"summary": "两户因排水沟起争执", "category_code": "neighbour", "to_case": True},
        {"summary": "村道边坡有松动", "category_code": "other", "details": "已告知村委会"},
    ]
    body = {"grid_code": grid, "held_on": held_on, "checks": ["dispute_hotspot"],
            "matters": matters} | extra  # fmt: skip
    return RoundIn.model_validate(body)


def counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(PatrolRound)) or 0,
        session.scalar(select(func.count()).select_from(RoundMatter)) or 0,
        session.scalar(select(func.count()).select_from(Case)) or 0,
    )


def test_a_posted_worker_records_a_round_and_one_matter_becomes_a_case(
    session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    post(session, users, grid)
    found = do_record_round(session, round_in(grid), actor=users["wang"], now=NOW)
    session.expire_all()
    found = session.get_one(PatrolRound, found.id)
    assert [m.outcome for m in found.matters] == ["case", "noted"]
    case = found.matters[0].case
    assert case is not None and found.matters[1].case is None
    assert (case.source_code, case.grid_code, case.category_code) == (
        "round_found",
        grid,
        "neighbour",
    )
    assert case.registered_by_id == users["wang"].id
    assert case.assignee_id == users["wang"].id  # the grid's worker (geo.posts)
    assert case.title == "两户因排水沟起争执" and f"#{found.id}" in case.events[0].note
    assert (found.grid_code, found.recorded_by_id, found.checks) == (
        grid, users["wang"].id, ["dispute_hotspot"])  # fmt: skip
    assert found.village_code == grid[:12]
    audit = session.scalars(select(AuditEntry.action).where(
        AuditEntry.action.in_(["round.record", "case.register"]))).all()  # fmt: skip
    assert sorted(audit)[-2:] == ["case.register", "round.record"]


def test_only_a_worker_posted_that_day_records_and_a_refusal_writes_nothing(
    session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    before = counts(session)
    with pytest.raises(Problem) as refused:  # not posted at all
        do_record_round(session, round_in(grid), actor=users["wang"], now=NOW)
    assert (refused.value.status, refused.value.code) == (403, "not_posted")
    post(session, users, grid, start=date(2026, 6, 19))
    with pytest.raises(Problem) as early:  # posted from the day after the round
        do_record_round(session, round_in(grid), actor=users["wang"], now=NOW)
    assert early.value.status == 403
    other = grid_in(session, users["wu"])  # another township's grid: not even visible
    with pytest.raises(Problem) as beyond:
        do_record_round(session, round_in(other), actor=users["wang"], now=NOW)
    assert (beyond.value.status, beyond.value.code) == (404, "grid_not_found")
    assert counts(session) == before


def test_staff_above_record_in_their_subtree_only(session: Session, users: dict[str, User]) -> None:
    grid = grid_in(session, users["wang"])  # in zhao's township, no post needed
    found = do_record_round(session, round_in(grid), actor=users["zhao"], now=NOW)
    assert found.recorded_by_id == users["zhao"].id
    with pytest.raises(Problem) as beyond:
        do_record_round(session, round_in(grid), actor=users["zhou"], now=NOW)
    assert beyond.value.status == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"held_on": date(2026, 6, 21)}, "held_on"),
        ({"matters": [{"summary": "x", "category_code": "no-such"}]}, "matters.0.category_code"),
        ({"matters": [{"summary": "x", "category_code": "other", "lat": 0.0, "lng": 0.0}]},
         "matters.0.lat"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    session: Session, users: dict[str, User], change: dict[str, Any], field: str
) -> None:
    grid = grid_in(session, users["wang"])
    post(session, users, grid)
    before = counts(session)
    with pytest.raises(Problem) as bad:
        do_record_round(session, round_in(grid, **change), actor=users["wang"], now=NOW)
    assert bad.value.status == 422 and bad.value.errors[0]["field"] == field
    assert counts(session) == before


def test_a_point_inside_the_grid_is_kept_on_the_matter_and_the_case(
    session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    post(session, users, grid)
    g = current_jurisdiction(session, grid)
    assert g is not None
    shape = session.scalars(select(Boundary).where(Boundary.jurisdiction_id == g.id)).first()
    assert shape is not None
    point = shapely.from_wkb(shape.wkb).representative_point()
    matters = [{"summary": "桥头争执", "category_code": "neighbour", "to_case": True,
                "lat": point.y, "lng": point.x}]  # fmt: skip
    found = do_record_round(session, round_in(grid, matters=matters), actor=users["wang"], now=NOW)
    m = found.matters[0]
    assert (m.lat, m.lng) == (point.y, point.x)
    assert m.case is not None and (m.case.lat, m.case.grid_code) == (point.y, grid)


def test_the_monthly_figures_match_the_recount_and_the_source_is_counted(
    session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    post(session, users, grid)
    do_record_round(session, round_in(grid), actor=users["wang"], now=NOW)
    do_record_round(session, round_in(grid, date(2026, 5, 31), matters=[]),
                    actor=users["wang"], now=NOW)  # fmt: skip
    do_record_round(session, round_in(grid_in(session, users["zhao"])), actor=users["zhao"],
                    now=NOW)  # fmt: skip
    township = users["zhao"].jurisdiction
    assert township is not None
    scope = Scope(township.level, township.code)
    for label in ("2026-06", "2026-05", "2026-Q2", "2026"):
        period = parse_period(label)
        for group in (None, "village_code", "grid_code"):
            kept = aggregates.round_counters(session, scope, period, group)
            assert kept == recount.round_counters(session, scope, period, group), (label, group)
    june = aggregates.round_counters(session, scope, parse_period("2026-06"))[""]
    may = aggregates.round_counters(session, scope, parse_period("2026-05"))[""]
    assert june["rounds"] == 2 and june["matters"] == 4 and june["matters_cased"] == 2
    assert may == {"rounds": 1, "matters": 0, "matters_cased": 0}
    by_source = aggregates.figure_counters(session, scope, parse_period("2026"), "source_code")
    assert by_source == recount.figure_counters(session, scope, parse_period("2026"), "source_code")
    assert by_source["round_found"]["registered"] == 2
    assert ("主动排查", 2) in source_groups(by_source)
    kept_rows = session.execute(select(RoundAggregate.__table__)).all()
    assert rebuild_round_counts(session) == len(kept_rows) > 1  # June and May at least
    assert sorted(session.execute(select(RoundAggregate.__table__)).all()) == sorted(kept_rows)
    cards = {c.key: c.value for c in period_cards(session, township, today=date(2026, 6, 25))}
    assert (cards["rounds"], cards["matters_found"]) == ("2", "4")
