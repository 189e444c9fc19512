"""Two centre staff merge the same two cases into each other at the same moment: exactly
one merge happens, the other is refused, and no case is both primary and duplicate. Real
commits on a fresh database, two threads with their own connections (on PostgreSQL both
read both cases before either takes the row locks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_merge_cases
from grassroots.cases.models import Case
from tests.cases.links.test_concurrency import two_cases
from tests.support.race import at_once, before_the_row_lock


def merge_at_once(
    factory: Callable[[], Session], pairs: list[tuple[str, str]], overlap: bool
) -> list[Any]:
    def one(session: Session, pair: tuple[str, str]) -> Any:
        zhao = session.scalars(select(User).where(User.username == "zhao")).one()
        merge = s.Merge(primary_code=pair[1])
        return do_merge_cases(session, pair[0], merge, actor=zhao, expected_version=1).state

    return at_once(factory, one, pairs, before_the_row_lock if overlap else None)


def test_merging_both_ways_at_once_merges_once(world, fresh_engine):
    a, b = two_cases(world)
    overlap = fresh_engine.dialect.name == "postgresql"  # SQLite: one writer, no overlap
    results = merge_at_once(world, [(a, b), (b, a)], overlap)
    assert "closed" in results and len([r for r in results if r == "closed"]) == 1
    refused = next(r for r in results if r != "closed")
    assert refused in ("primary_concluded", "has_duplicates", "conflict"), refused
    with world() as session:
        cases = {c.code: c for c in session.scalars(select(Case).where(Case.code.in_([a, b])))}
        merged = [c for c in cases.values() if c.outcome == "merged"]
        assert len(merged) == 1
        (gone,) = merged
        kept = cases[b if gone.code == a else a]
        assert gone.duplicate_of_id == kept.id and kept.duplicate_of_id is None
        assert kept.state == "registered" and kept.outcome is None
