"""Two leads received at the same instant in one county: both count the same number, the
second insert meets the unique code, rolls back to its savepoint and takes the next
number — both are created, no 500. Real commits from two threads on PostgreSQL (SQLite
has one writer, so there the two never overlap)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.db import make_session_factory, writer_engine
from grassroots.demo.build import build_demo_geography
from grassroots.leads import schemas as s
from grassroots.leads.actions import do_create
from grassroots.leads.models import Lead, LeadEvent
from tests.leads.conftest import handed_down


def test_two_leads_received_at_once_get_two_codes(fresh_engine: Engine) -> None:
    if fresh_engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers: no two numberings overlap")
    factory = make_session_factory(writer_engine(fresh_engine))
    with factory() as session:
        build_demo_geography(session)
    barrier = threading.Barrier(2, timeout=20)

    def after_first_count(state: Any) -> None:
        """Hold each thread after its first numbering count until both have counted."""
        session = state.session
        if "count(" in str(state.statement).lower() and not session.info.get("counted"):
            session.info["counted"] = True
            session.info["pending_wait"] = True

    def one(title: str) -> str:
        with factory() as session:
            event.listen(session, "do_orm_execute", after_first_count)
            event.listen(session, "before_flush", lambda s, *_: _wait(s, barrier))
            qian = session.scalars(select(User).where(User.username == "qian")).one()
            data = s.NewLead.model_validate(handed_down(title=title))
            return do_create(session, data, actor=qian).code

    with ThreadPoolExecutor(2) as pool:
        codes = list(pool.map(one, ["第一件", "第二件"]))
    assert sorted(codes) == [f"XS990101-{codes[0][9:13]}-00001", f"XS990101-{codes[0][9:13]}-00002"]
    with factory() as session:
        assert len(session.scalars(select(Lead)).all()) == 2
        assert len(session.scalars(select(LeadEvent)).all()) == 2


def _wait(session: Session, barrier: threading.Barrier) -> None:
    if session.info.pop("pending_wait", False):
        barrier.wait()
