"""The login throttle through the real app: per (user, client address) with a growing delay,
Retry-After on every 429, a per-user ceiling over all addresses, and bearer tokens counted on
their own. Time is the app's injected clock (app.state.clock), moved by the test, never slept.
The counts are in the database: two app instances (two server processes) share them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.models import User
from grassroots.app import create_app
from grassroots.config import Settings
from grassroots.db import utcnow
from grassroots.demo.staff import DEMO_PASSWORDS
from tests.accounts.conftest import LOGIN, audit_actions, last_audit_id
from tests.accounts.test_login_csrf import form_token

WRONG = "Wrong-Passw0rd"
PASSWORD = "/api/v1/auth/password"


class Clock:
    """Starts at the real time (sessions opened at it must not look expired to the rest of
    the app), then moves only when the test says."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_app(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path, clock: Clock
) -> Callable[..., FastAPI]:
    """make_app(**settings) → an app on the test's connection, its throttle on `clock`."""

    def make(**overrides: Any) -> FastAPI:
        settings = Settings(
            data_dir=tmp_path, database_url=engine.url.render_as_string(False), **overrides
        )
        app = create_app(
            settings, engine=engine, read_sessions=session_factory, write_sessions=session_factory
        )
        app.state.clock = clock
        return app

    return make


@pytest.fixture
def from_address(make_app) -> Iterator[Callable[..., TestClient]]:  # type: ignore[no-untyped-def]
    """from_address("10.0.0.1") → a client of one app, seen coming from that address."""
    app = make_app()
    clients: list[TestClient] = []

    def make(address: str, on: FastAPI | None = None) -> TestClient:
        c = TestClient(on or app, client=(address, 40000))
        c.__enter__()
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)


def login(c: TestClient, username: str, password: str | None = None) -> Any:
    return c.post(
        LOGIN, json={"username": username, "password": password or DEMO_PASSWORDS[username]}
    )


def fail(c: TestClient, username: str, times: int) -> None:
    assert [login(c, username, WRONG).status_code for _ in range(times)] == [401] * times


def retry_after(r: Any) -> int:
    assert r.status_code == 429, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return int(r.headers["Retry-After"])


def test_failures_from_one_address_do_not_lock_the_others(from_address, clock, session):
    attacker, owner = from_address("10.0.0.1"), from_address("10.0.0.2")
    since = last_audit_id(session)
    fail(attacker, "zhao", 5)
    assert retry_after(login(attacker, "zhao")) == 1  # even the right password waits
    assert login(owner, "zhao").status_code == 200  # the owner, elsewhere, is not locked out
    assert ("login.failed", "zhao", "failed") in audit_actions(session, since)
    clock.advance(1)
    assert login(attacker, "zhao").status_code == 200
    fail(attacker, "zhao", 5)  # a success started the count again
    assert retry_after(login(attacker, "zhao", WRONG)) == 1


def test_the_delay_doubles_up_to_the_cap(make_app, from_address, clock):
    c = from_address("10.0.0.3", make_app(login_rate_limit="100/60"))
    fail(c, "li", 4)
    waits = []
    for _ in range(12):
        assert login(c, "li", WRONG).status_code == 401
        waits.append(retry_after(login(c, "li", WRONG)))  # refused unchecked: not counted
        clock.advance(waits[-1])
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]


def test_unknown_usernames_are_throttled_alike(from_address):
    c = from_address("10.0.0.4")
    fail(c, "zhao", 5)
    fail(c, "nobody-here", 5)
    known, unknown = login(c, "zhao", WRONG), login(c, "nobody-here", WRONG)
    assert known.json() == unknown.json()
    assert retry_after(known) == retry_after(unknown) == 1


def test_the_per_user_ceiling_stops_guessing_from_many_addresses(
    make_app, from_address, clock, session
):
    app = make_app(login_user_ceiling="6/3600")
    since = last_audit_id(session)
    for n in range(6):
        fail(from_address(f"10.1.0.{n}", app), "zhao", 1)
    elsewhere = from_address("10.2.0.1", app)
    assert retry_after(login(elsewhere, "zhao")) == 3600
    assert ("login.lockout", "zhao", "denied") in audit_actions(session, since)
    zhao = session.scalar(select(User).where(User.username == "zhao"))
    assert zhao is not None and zhao.locked_until is not None  # administrators see "locked"
    clock.advance(3600)
    assert login(elsewhere, "zhao").status_code == 200


def test_the_counts_are_shared_by_every_server_process(make_app, from_address):
    one, two = make_app(), make_app()  # as two processes: nothing shared but the database
    fail(from_address("10.0.0.5", one), "zhao", 3)
    fail(from_address("10.0.0.5", two), "zhao", 2)
    assert retry_after(login(from_address("10.0.0.5", one), "zhao")) == 1


def test_the_request_rate_limit_says_when_to_come_back(make_app, from_address):
    c = from_address("10.0.0.6", make_app(login_rate_limit="3/60"))
    fail(c, "zhao", 3)
    r = login(c, "zhao")
    assert r.json()["code"] == "rate_limited" and 1 <= retry_after(r) <= 60


def test_the_login_page_answers_429_with_retry_after(from_address):
    c = from_address("10.0.0.7")
    fail(c, "zhao", 5)
    token = form_token(c.get("/login").text)  # the login form's own CSRF pair
    form = {"username": "zhao", "password": DEMO_PASSWORDS["zhao"], "csrf_token": token}
    page = c.post("/login", data=form)
    assert page.status_code == 429 and page.headers["Retry-After"] == "1"
    assert "text/html" in page.headers["content-type"]


def _token(c: TestClient) -> str:
    csrf = login(c, "zhao").json()["csrf_token"]
    r = c.post(
        "/api/v1/auth/tokens",
        json={"name": "integration", "scopes": ["account.self"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 201, r.text
    return str(r.json()["token"])


def test_a_wrong_current_password_with_a_token_counts_only_against_the_token(from_address, clock):
    c = from_address("10.0.0.8")
    bearer = {"Authorization": f"Bearer {_token(c)}"}
    body = {"current_password": WRONG, "new_password": "Qingshi-Zhen-88"}
    answers = [c.post(PASSWORD, json=body, headers=bearer).status_code for _ in range(5)]
    assert answers == [422] * 5
    assert 0 < retry_after(c.post(PASSWORD, json=body, headers=bearer)) <= 900
    assert login(c, "zhao").status_code == 200  # the human's login is untouched
    clock.advance(900)
    assert c.post(PASSWORD, json=body, headers=bearer).status_code == 422


def test_a_wrong_current_password_in_a_browser_session_counts_per_address(from_address):
    c, elsewhere = from_address("10.0.0.9"), from_address("10.0.0.10")
    csrf = {"X-CSRF-Token": login(c, "zhao").json()["csrf_token"]}
    body = {"current_password": WRONG, "new_password": "Qingshi-Zhen-88"}
    assert [c.post(PASSWORD, json=body, headers=csrf).status_code for _ in range(5)] == [422] * 5
    assert retry_after(c.post(PASSWORD, json=body, headers=csrf)) == 1
    assert retry_after(login(c, "zhao")) == 1
    assert login(elsewhere, "zhao").status_code == 200


def test_the_request_rate_limit_is_shared_by_every_server_process(make_app, from_address):
    """Two apps on one database, as two server processes behind a proxy: a client gets the
    login rate limit once, not once per process (issue 14)."""
    one, two = make_app(login_rate_limit="4/60"), make_app(login_rate_limit="4/60")
    fail(from_address("10.0.0.8", one), "wang", 2)
    fail(from_address("10.0.0.8", two), "zhou", 2)
    r = login(from_address("10.0.0.8", one), "zhao")
    assert r.status_code == 429 and r.json()["code"] == "rate_limited"
    assert login(from_address("10.0.0.9", two), "zhao").status_code == 200
