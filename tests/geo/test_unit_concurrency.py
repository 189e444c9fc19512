"""Two administrators create the same unit code at the same moment: one wins, the other gets
the same 409 as a code already taken (the unique index decides, not a 500)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.db import make_session_factory, writer_engine
from grassroots.demo.build import build_demo_geography
from grassroots.errors import Problem
from grassroots.geo.models import Unit, UnitKind
from grassroots.geo.schemas import UnitIn
from grassroots.geo.units.actions import do_create_unit


@pytest.mark.postgres_only
def test_overlapping_creations_of_one_code_give_one_unit_and_one_conflict(fresh_engine: Engine):
    if fresh_engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers are serialised by BEGIN IMMEDIATE: they cannot overlap")
    factory: Callable[[], Session] = make_session_factory(writer_engine(fresh_engine))
    with factory() as session:
        build_demo_geography(session)
    barrier = threading.Barrier(2, timeout=10)
    data = UnitIn(code="990101002-twice", name="同时新建", kind=UnitKind.court,
                  jurisdiction_code="990101002000")  # fmt: skip

    def create(_: int) -> str:
        with factory() as session:
            # both have checked that the code is free before either inserts
            event.listen(session, "before_flush", lambda *_: barrier.wait())
            admin = session.scalars(select(User).where(User.username == "admin")).one()
            try:
                return do_create_unit(session, data, actor=admin).code
            except Problem as problem:
                return problem.code

    with ThreadPoolExecutor(2) as pool:
        results = sorted(pool.map(create, range(2)))
    assert results == ["990101002-twice", "unit_exists"]
    with factory() as session:
        count = session.scalar(select(func.count()).where(Unit.code == "990101002-twice"))
        assert count == 1
