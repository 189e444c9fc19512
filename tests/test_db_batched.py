"""db.batched: many do_* actions, one commit (the demo build); all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.audit.verify import chain_head, verify_chain
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_accept, do_register
from grassroots.cases.models import Case, CaseEvent
from grassroots.db import batched, transaction
from tests.cases.conftest import grid_in

NOW = datetime(2026, 9, 22, 2, 0, tzinfo=UTC)


def register_and_accept(session: Session, users) -> Case:  # type: ignore[no-untyped-def]
    data = s.NewCase(category_code="neighbour", source_code="visit", title="批量",
                     description="批量写入", grid_code=grid_in(session, users["wang"]))  # fmt: skip
    case = do_register(session, data, actor=users["wang"], now=NOW)
    return do_accept(session, case.code, actor=users["zhao"], now=NOW)


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_actions_in_a_batch_land_together_with_their_audit_rows(session: Session, users):
    head, _ = chain_head(session)
    with batched(session):
        first = register_and_accept(session, users)
        second = register_and_accept(session, users)
        assert session.in_transaction() and chain_head(session)[0] == head  # not yet chained
    assert (first.state, second.state) == ("accepted", "accepted")
    assert chain_head(session)[0] == head + 4
    assert verify_chain(session).intact


def test_an_error_in_a_batch_undoes_every_action_in_it(session: Session, users):
    cases, events, head = count(session, Case), count(session, CaseEvent), chain_head(session)
    with pytest.raises(RuntimeError, match="half way"), batched(session):
        register_and_accept(session, users)
        register_and_accept(session, users)
        raise RuntimeError("half way")
    assert (count(session, Case), count(session, CaseEvent)) == (cases, events)
    assert chain_head(session) == head


def test_a_refused_action_undoes_the_batch(session: Session, users):
    cases = count(session, Case)
    with pytest.raises(Exception, match="受理") as refused, batched(session):
        case = register_and_accept(session, users)
        do_accept(session, case.code, actor=users["zhao"], now=NOW)  # accepted already
    assert getattr(refused.value, "status", None) == 409
    assert count(session, Case) == cases


def test_batches_do_not_nest_and_actions_outside_commit_alone(session: Session, users):
    with batched(session), pytest.raises(RuntimeError, match="nest"), batched(session):
        pass
    with transaction(session):
        pass
    case = register_and_accept(session, users)
    assert not session.in_transaction() and case.state == "accepted"
