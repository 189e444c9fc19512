"""Authentication writes nothing during a request: the last-used/last-seen times and the
deletion of expired sessions wait in memory and are written together (accounts.touches).
A real server set-up: the app on a database of its own, with real commits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from grassroots.accounts.models import ApiToken, AuthSession, User
from grassroots.accounts.tokens.actions import do_create_token
from grassroots.app import create_app
from grassroots.config import Settings
from grassroots.db import utcnow
from grassroots.demo.build import build_demo_geography
from tests.accounts.conftest import ME
from tests.conftest import log_in

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def served(fresh_engine: Engine, tmp_path: Path) -> FastAPI:
    with Session(fresh_engine, expire_on_commit=False) as session:
        build_demo_geography(session)
    settings = Settings(
        data_dir=tmp_path,
        database_url=fresh_engine.url.render_as_string(False),
        auth_flush_seconds=3600,  # the background thread stays out of the way: flush by hand
    )
    return create_app(settings, engine=fresh_engine)


@pytest.fixture
def writes(fresh_engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            seen.append(statement)

    event.listen(fresh_engine, "before_cursor_execute", record)
    yield seen
    event.remove(fresh_engine, "before_cursor_execute", record)


def test_a_bearer_token_is_used_without_a_write(served, fresh_engine, writes):
    with Session(fresh_engine, expire_on_commit=False) as session:
        wang = session.scalars(select(User).where(User.username == "wang")).one()
        token, raw = do_create_token(session, wang, name="t", scopes=["account.self"], actor=None)
    writes.clear()
    with TestClient(served) as client:
        for _ in range(3):
            assert client.get(ME, headers={"Authorization": f"Bearer {raw}"}).status_code == 200
        assert writes == []
        assert _last_used(fresh_engine, token.id) is None
        assert served.state.auth_touches.flush() == 1
    assert len(writes) == 1
    used = _last_used(fresh_engine, token.id)
    assert used is not None and utcnow() - used < timedelta(minutes=1)


def test_session_activity_and_expiry_are_written_later(served, fresh_engine, writes):
    with TestClient(served) as client:
        log_in(client, "zhao", {})
        row_id = _rewind_sessions(fresh_engine, minutes=10)
        writes.clear()
        assert client.get(ME).status_code == 200
        assert writes == []
        assert served.state.auth_touches.flush() == 1
        assert utcnow() - _last_seen(fresh_engine, row_id) < timedelta(minutes=1)
        _rewind_sessions(fresh_engine, minutes=31)
        writes.clear()
        assert client.get(ME).status_code == 401  # idle: refused at once ...
        assert writes == []
        served.state.auth_touches.flush()  # ... and deleted with the next batch
    with Session(fresh_engine) as session:
        assert session.get(AuthSession, row_id) is None


def test_this_process_reads_its_own_unwritten_activity(served, fresh_engine):
    with TestClient(served) as client:
        log_in(client, "zhao", {})
        _rewind_sessions(fresh_engine, minutes=29)
        assert client.get(ME).status_code == 200  # seen now: kept in memory only
        _rewind_sessions(fresh_engine, minutes=31)  # the database alone would say idle
        assert client.get(ME).status_code == 200


def _rewind_sessions(engine: Engine, minutes: int) -> int:
    with Session(engine) as session:
        at = utcnow() - timedelta(minutes=minutes)
        session.execute(update(AuthSession).values(last_seen_at=at))
        session.commit()
        return int(session.scalars(select(AuthSession.id)).one())


def _last_seen(engine: Engine, row_id: int) -> Any:
    with Session(engine) as session:
        return session.scalar(select(AuthSession.last_seen_at).where(AuthSession.id == row_id))


def _last_used(engine: Engine, token_id: int) -> Any:
    with Session(engine) as session:
        return session.scalar(select(ApiToken.last_used_at).where(ApiToken.id == token_id))
