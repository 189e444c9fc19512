"""The small demo histories, built once per test process, database kind and "today" by the
real actions (the real sweep included), then only read: tests/demo/test_history.py and
tests/demo/test_queues_history.py read the same one. Their tests are kept on one xdist
worker per database kind (tests/conftest.py: `SHARED_FIXTURES`), so each is built once a run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from grassroots.db import make_engine
from grassroots.demo.build import build_demo_geography, county_of
from grassroots.demo.history.cases import build_history
from tests.support.databases import new_database_url

TODAY = date(2026, 11, 27)  # the demo's "today"
SEED, CASES, DAYS = 11, 200, 200


def build_small_history(engine: Engine, today: date = TODAY, seed: int = SEED,
                        cases: int = CASES, days: int = DAYS) -> None:  # fmt: skip
    with Session(engine, expire_on_commit=False) as session:
        tree = build_demo_geography(session)
        build_history(session, county_of(tree), seed, today=today, cases=cases, days=days)


class DemoHistories:
    """Databases holding a small history, by (database kind, today); read only."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.stack = ExitStack()
        self.tmp = tmp_path_factory
        self.built: dict[tuple[str, date], Engine] = {}

    def get(self, engine: Engine, request: pytest.FixtureRequest, today: date = TODAY) -> Engine:
        """The history up to `today` on a database of `engine`'s kind (built on first use)."""
        kind = "sqlite" if engine.dialect.name == "sqlite" else "postgresql"
        if (kind, today) not in self.built:
            folder = self.tmp.mktemp(f"history-{kind}")
            history = make_engine(new_database_url(kind, folder, self.stack, request, "history"))
            self.stack.callback(history.dispose)  # before the database is dropped
            build_small_history(history, today)
            self.built[kind, today] = history
        return self.built[kind, today]


@pytest.fixture(scope="session")
def demo_histories(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoHistories]:
    histories = DemoHistories(tmp_path_factory)
    with histories.stack:
        yield histories
