"""Building the demo history with the statistics deferred (rebuilt once at the end) gives
the same aggregate tables as keeping them at every action through the flush listener."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.cases.tallies.maintain import KEY_COLUMNS, TABLES
from grassroots.db import make_engine
from grassroots.demo.build import build_demo_geography, county_of
from grassroots.demo.history.cases import build_history
from tests.support.databases import new_database_url

TODAY = date(2026, 11, 27)


@pytest.fixture
def second_engine(fresh_engine: Engine, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """Another empty, migrated database of the same kind as fresh_engine."""
    kind = "sqlite" if fresh_engine.dialect.name == "sqlite" else "postgresql"
    with ExitStack() as stack:
        folder = request.getfixturevalue("tmp_path") / "second"
        folder.mkdir()
        engine = make_engine(new_database_url(kind, folder, stack, request))
        stack.callback(engine.dispose)
        yield engine


def _build(engine: Engine, *, live_stats: bool) -> None:
    with Session(engine, expire_on_commit=False) as session:
        tree = build_demo_geography(session)
        build_history(
            session, county_of(tree), 3, today=TODAY, cases=90, days=150, live_stats=live_stats
        )


def _tables(engine: Engine) -> dict[str, set[tuple[Any, ...]]]:
    """Every aggregate row that counts something (a row whose counters are all zero adds
    nothing to any sum: the listener leaves one behind where a case's due month moved)."""
    out: dict[str, set[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for name, table in TABLES.items():
            keys = KEY_COLUMNS[name]
            counters = [c.name for c in table.c if c.name not in keys and c.name != "id"]
            out[name] = {
                tuple(row[c] for c in (*keys, *counters))
                for row in conn.execute(select(table)).mappings()
                if any(row[c] for c in counters)
            }
    return out


@pytest.mark.slow
def test_deferred_statistics_equal_the_listeners(fresh_engine: Engine, second_engine: Engine):
    _build(fresh_engine, live_stats=False)
    _build(second_engine, live_stats=True)
    deferred, live = _tables(fresh_engine), _tables(second_engine)
    assert all(deferred[name] for name in TABLES)  # each table counts something
    assert deferred == live
