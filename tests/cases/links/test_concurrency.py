"""Two centre staff link the same two cases at the same moment, each from their own side:
exactly one link is made, never a cycle (A duplicate of B and B duplicate of A). Real
commits on a fresh database, two threads with their own connections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_link_cases, do_register
from grassroots.cases.models import Case, CaseLink
from tests.cases.conftest import grid_in
from tests.support.race import at_once, before_the_row_lock


def two_cases(factory: Callable[[], Session]) -> tuple[str, str]:
    with factory() as session:
        wang = session.scalars(select(User).where(User.username == "wang")).one()
        data = s.NewCase(category_code="neighbour", source_code="visit", title="重复登记",
                         description="登记两次", grid_code=grid_in(session, wang))  # fmt: skip
        return do_register(session, data, actor=wang).code, do_register(
            session, data, actor=wang
        ).code


def link_at_once(
    factory: Callable[[], Session], pairs: list[tuple[str, str]], kind: str, overlap: bool
) -> list[Any]:
    """Each thread links its pair. With `overlap`, both have read both cases before either
    takes the row locks (a barrier before the FOR UPDATE) — the race itself."""

    def one(session: Session, pair: tuple[str, str]) -> Any:
        zhao = session.scalars(select(User).where(User.username == "zhao")).one()
        params = s.Link(other_code=pair[1], kind=s.LinkKind(kind))
        return do_link_cases(session, pair[0], params, actor=zhao, expected_version=1).version

    return at_once(factory, one, pairs, before_the_row_lock if overlap else None)


def stored(factory: Callable[[], Session]) -> tuple[int, int]:
    """(links, cases marked duplicate)."""
    with factory() as session:
        links = len(session.scalars(select(CaseLink)).all())
        marked = len(session.scalars(select(Case).where(Case.duplicate_of_id.is_not(None))).all())
        return links, marked


@pytest.mark.parametrize("kind", ["duplicate", "related"])
def test_linking_both_ways_at_once_makes_one_link(world, fresh_engine, kind):
    a, b = two_cases(world)
    overlap = fresh_engine.dialect.name == "postgresql"  # SQLite: one writer, no overlap
    results = link_at_once(world, [(a, b), (b, a)], kind, overlap)
    assert sorted(map(str, results)) == ["2", "already_linked"]
    assert stored(world) == (1, 1 if kind == "duplicate" else 0)
