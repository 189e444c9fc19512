"""Two centre staff merge the same two cases into each other at the same moment: exactly
one merge happens, the other is refused, and no case is both primary and duplicate. Real
commits on a fresh database, two threads with their own connections (on PostgreSQL both
read both cases before either takes the row locks)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_merge_cases
from grassroots.cases.models import Case
from grassroots.errors import Problem
from tests.cases.links.test_concurrency import two_cases


def merge_at_once(
    factory: Callable[[], Session], pairs: list[tuple[str, str]], overlap: bool
) -> list[Any]:
    barrier = threading.Barrier(2, timeout=10)

    def before_lock(state: Any) -> None:
        if getattr(state.statement, "_for_update_arg", None) is not None:
            barrier.wait()

    def one(pair: tuple[str, str]) -> Any:
        with factory() as session:
            if overlap:
                event.listen(session, "do_orm_execute", before_lock)
            zhao = session.scalars(select(User).where(User.username == "zhao")).one()
            try:
                return do_merge_cases(
                    session, pair[0], s.Merge(primary_code=pair[1]), actor=zhao,
                    expected_version=1,
                ).state  # fmt: skip
            except Problem as problem:
                return problem.code

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(one, pairs))


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
