"""Grid posts: appoint, end, hand over, history on a date, vacancies, who may change them,
and the worker a new case goes to (do_register and the keyed fast path, both DBs)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.cases.intake.actions import do_register
from grassroots.cases.intake.idempotency import request_hash
from grassroots.cases.intake.keyed import do_register_once
from grassroots.cases.models import Case
from grassroots.cases.schemas import NewCase
from grassroots.errors import Problem
from grassroots.geo.posts.actions import do_appoint, do_change_post, do_end_post
from grassroots.geo.posts.models import PostKind
from grassroots.geo.posts.queries import case_worker, history, posts_on, vacancies
from grassroots.geo.posts.schemas import PostChange, PostEnd, PostIn
from grassroots.scope import current_jurisdiction
from tests.cases.conftest import grid_in

JAN1 = date(2026, 1, 1)


def _appoint(session: Session, users: dict[str, User], grid: str, who: str, kind: str,
             start: date = JAN1) -> int:  # fmt: skip
    data = PostIn(username=who, kind=PostKind(kind), start_on=start)
    return do_appoint(session, grid, data, actor=users["admin"]).id


def _register(session: Session, users: dict[str, User], grid: str, day: date) -> Case:
    data = NewCase(category_code="neighbour", source_code="visit", title="邻里纠纷",
                   description="院墙排水", grid_code=grid)  # fmt: skip
    moment = datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC)
    return do_register(session, data, actor=users["zhao"], now=moment)


def test_a_new_case_goes_to_the_grid_worker_and_a_vacant_grid_to_nobody(
    session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    assert _register(session, users, grid, date(2026, 3, 2)).assignee_id is None
    _appoint(session, users, grid, "li", "leader")
    assert _register(session, users, grid, date(2026, 3, 2)).assignee_id == users["li"].id
    _appoint(session, users, grid, "wang", "worker")
    case = _register(session, users, grid, date(2026, 3, 3))
    assert case.assignee_id == users["wang"].id  # the 网格员 before the 网格长
    assert case.id in {c.id for c in session.scalars(
        select(Case).where(Case.assignee_id == users["wang"].id))}  # fmt: skip


def test_a_change_mid_month_keeps_old_cases_with_the_old_worker(
    session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    post_id = _appoint(session, users, grid, "wang", "worker")
    before = _register(session, users, grid, date(2026, 6, 12))
    change = PostChange(username="li", on=date(2026, 6, 16))
    new = do_change_post(session, post_id, change, actor=users["admin"])
    assert (new.start_on, new.kind) == (date(2026, 6, 16), "worker")
    on_15th = _register(session, users, grid, date(2026, 6, 15))
    after = _register(session, users, grid, date(2026, 6, 16))
    session.expire_all()
    assert session.get_one(Case, before.id).assignee_id == users["wang"].id
    assert on_15th.assignee_id == users["wang"].id
    assert after.assignee_id == users["li"].id
    g = current_jurisdiction(session, grid)
    assert g is not None
    assert [p.user.username for p in posts_on(session, [g.id], date(2026, 6, 15))] == ["wang"]
    assert [p.user.username for p in posts_on(session, [g.id], date(2026, 6, 16))] == ["li"]
    assert [(p.user.username, p.end_on) for p in history(session, g.id)] == [
        ("li", None), ("wang", date(2026, 6, 15))]  # fmt: skip
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_type == "grid_post")
    ).all()
    assert sorted(actions) == ["grid_post.appoint", "grid_post.appoint", "grid_post.end"]


def test_the_keyed_fast_path_assigns_the_same_worker(
    session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    _appoint(session, users, grid, "wang", "worker")
    data = NewCase(category_code="neighbour", source_code="visit", title="邻里纠纷",
                   description="院墙排水", grid_code=grid)  # fmt: skip
    key = str(uuid.uuid4())
    moment = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)
    digest = request_hash(data.model_dump(mode="json"))
    out = do_register_once(session, data, actor=users["zhao"], key=key, digest=digest, now=moment)
    assert isinstance(out, tuple)
    case, body = out
    assert b'"assignee":"wang"' in body
    session.expire_all()
    stored = session.scalars(select(Case).where(Case.code == case.code)).one()
    assert stored.assignee_id == users["wang"].id


def test_one_leader_per_grid_and_no_double_post(session: Session, users: dict[str, User]) -> None:
    grid = grid_in(session, users["wang"])
    _appoint(session, users, grid, "li", "leader")
    with pytest.raises(Problem) as leader:
        _appoint(session, users, grid, "zhao", "leader", date(2026, 5, 1))
    assert leader.value.status == 409
    _appoint(session, users, grid, "wang", "worker")
    with pytest.raises(Problem) as twice:
        _appoint(session, users, grid, "wang", "worker", date(2026, 2, 1))
    assert twice.value.status == 409
    _appoint(session, users, grid, "zhao", "worker")  # a grid may have several 网格员


def test_a_worker_may_serve_several_grids_but_only_inside_their_post(
    session: Session, users: dict[str, User]
) -> None:
    first = grid_in(session, users["wang"])
    second = first[:12] + f"{int(first[12:]) + 1:03d}"
    assert current_jurisdiction(session, second) is not None
    _appoint(session, users, first, "wang", "worker")
    _appoint(session, users, second, "wang", "worker")
    with pytest.raises(Problem) as outside:
        _appoint(session, users, grid_in(session, users["wu"]), "wang", "worker")
    assert outside.value.status == 422


@pytest.mark.parametrize("who", ["zhao", "wang", "chen", "zhou"])
def test_only_township_and_county_administrators_change_posts(
    session: Session, users: dict[str, User], who: str
) -> None:
    grid = grid_in(session, users["wang"])
    data = PostIn(username="wang", kind=PostKind.worker, start_on=JAN1)
    with pytest.raises(Problem) as refused:
        do_appoint(session, grid, data, actor=users[who])
    assert refused.value.status == 404


def test_ending_a_post_leaves_a_vacancy_listed_for_the_township(
    session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    township = users["zhao"].jurisdiction
    assert township is not None
    _appoint(session, users, grid, "li", "leader")
    post_id = _appoint(session, users, grid, "wang", "worker")
    assert grid not in {v.grid.code for v in vacancies(session, township, date(2026, 7, 1))}
    do_end_post(session, post_id, PostEnd(end_on=date(2026, 6, 30)), actor=users["admin"])
    found = {v.grid.code: v for v in vacancies(session, township, date(2026, 7, 1))}
    assert found[grid].no_worker and not found[grid].no_leader
    g = current_jurisdiction(session, grid)
    assert g is not None
    assert case_worker(session, g.id, date(2026, 6, 30)) is not None
    assert case_worker(session, g.id, date(2026, 7, 1)) is not None  # the 网格长 takes it
    with pytest.raises(Problem) as again:
        do_end_post(session, post_id, PostEnd(end_on=date(2026, 8, 1)), actor=users["admin"])
    assert again.value.status == 409
