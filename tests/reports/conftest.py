"""A case history made once per module by the real case actions, rolled back afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.stats import history as h

TODAY = date(2026, 10, 15)  # the reports' "as of" day


@pytest.fixture(scope="module")
def history_factory(engine: Engine) -> Iterator[sessionmaker[Session]]:
    connection = engine.connect()
    outer = connection.begin()
    factory = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    with factory() as session:
        start = datetime(2025, 2, 1, tzinfo=UTC)
        h.build_history(session, 220, seed=2026, first=start, days=605, focus="990101002")
    try:
        yield factory
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def hsession(history_factory: sessionmaker[Session]) -> Iterator[Session]:
    with history_factory() as s:
        yield s
