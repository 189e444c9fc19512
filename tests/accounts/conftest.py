"""Fixtures for the accounts tests: apps with other settings, and reaching a client's session
row in the database (tests move its timestamps instead of waiting)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.authn import SESSION_COOKIE
from grassroots.accounts.credentials import digest
from grassroots.accounts.models import AuthSession
from grassroots.app import create_app
from grassroots.audit.models import AuditEntry
from grassroots.config import Settings
from grassroots.demo.staff import DEMO_PASSWORDS
from tests.conftest import clients_logged_in

LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"


@pytest.fixture
def client_with(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> Iterator[Callable[..., TestClient]]:
    """client_with(base_url="https://...", login_rate_limit="3/60") → an anonymous client of
    an app built with those settings (same rolled-back connection as `session`)."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        settings = Settings(
            data_dir=tmp_path, database_url=engine.url.render_as_string(False), **overrides
        )
        app = create_app(
            settings, engine=engine, read_sessions=session_factory, write_sessions=session_factory
        )
        c = TestClient(app, base_url=overrides.get("base_url", "http://testserver"))
        c.__enter__()
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def client_as(app) -> Iterator[Callable[[str], TestClient]]:  # type: ignore[no-untyped-def]
    """client_as("zhao") → a client logged in through the real login endpoints (elsewhere
    tests/conftest.py mints the sessions of staff without a second factor)."""
    yield from clients_logged_in(app)


def login(c: TestClient, username: str, password: str | None = None) -> Any:
    return c.post(
        LOGIN, json={"username": username, "password": password or DEMO_PASSWORDS[username]}
    )


def session_row(session: Session, c: TestClient) -> AuthSession:
    raw = c.cookies.get(SESSION_COOKIE)
    assert raw, "client has no session cookie"
    row = session.scalar(select(AuthSession).where(AuthSession.token_hash == digest(raw)))
    assert row is not None
    return row


def audit_actions(session: Session, since_id: int = 0) -> list[tuple[str, str, str]]:
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.id > since_id).order_by(AuditEntry.id)
    ).all()
    return [(r.action, r.actor_name, r.result) for r in rows]


def last_audit_id(session: Session) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.coalesce(func.max(AuditEntry.id), 0))) or 0
