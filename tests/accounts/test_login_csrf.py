"""Login CSRF (issue 12, item 11; accounts/login/csrf.py), on SQLite and PostgreSQL.

Before: a cross-origin POST to /login signed the browser in. Now the form needs its
pre-session cookie and the matching token, and any login the browser says comes from another
site is refused: 403, no session, no failed attempt counted, nothing in the database.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from grassroots.accounts.authn import SESSION_COOKIE
from grassroots.accounts.login.csrf import LOGIN_COOKIE
from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.demo.staff import DEMO_PASSWORDS

ME = "/api/v1/auth/me"
OWN = "http://testserver"
EVIL = "https://evil.example"


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', html)
    assert match, html
    return match.group(1)


def login_form(c: TestClient, token: str | None, **headers: str) -> Any:
    form = {"username": "zhao", "password": DEMO_PASSWORDS["zhao"], "next": "/cases"}
    if token is not None:
        form["csrf_token"] = token
    return c.post("/login", data=form, headers=headers, follow_redirects=False)


def state(session: Any) -> tuple[int, int]:
    """(audit rows, zhao's failed logins): a refused login changes neither."""
    session.expire_all()
    rows = session.scalar(select(func.count()).select_from(AuditEntry))
    failures = session.scalar(select(User.failed_logins).where(User.username == "zhao"))
    return int(rows), int(failures)


def assert_refused(c: TestClient, r: Any, session: Any, before: tuple[int, int]) -> None:
    assert r.status_code == 403, r.text
    assert SESSION_COOKIE not in r.cookies and c.cookies.get(SESSION_COOKIE) is None
    assert c.get(ME).status_code == 401
    assert state(session) == before


def test_the_real_form_still_signs_in(client):
    token = form_token(client.get("/login").text)
    assert client.cookies.get(LOGIN_COOKIE)
    r = login_form(client, token, origin=OWN, **{"sec-fetch-site": "same-origin"})
    assert r.status_code == 303 and r.headers["location"] == "/cases"
    assert client.get(ME).json()["username"] == "zhao"
    assert LOGIN_COOKIE not in client.cookies  # the pre-session cookie is spent


def test_a_post_without_the_token_is_refused(client, session):
    client.get("/login")  # even with the cookie
    before = state(session)
    r = login_form(client, None)
    assert_refused(client, r, session, before)
    assert "csrf_token" in r.text  # the form again, with a fresh token, to try once more


def test_a_post_without_the_cookie_is_refused(client, session):
    """What another site can send: a token it scraped for its own cookie is useless here."""
    token = form_token(client.get("/login").text)
    client.cookies.clear()
    before = state(session)
    assert_refused(client, login_form(client, token), session, before)


def test_a_token_of_another_browser_is_refused(client, app, session):
    with TestClient(app) as other:
        token = form_token(other.get("/login").text)
    client.get("/login")
    before = state(session)
    assert_refused(client, login_form(client, token), session, before)


@pytest.mark.parametrize(
    "headers",
    [{"origin": EVIL}, {"origin": "null"}, {"sec-fetch-site": "cross-site"},
     {"sec-fetch-site": "same-site"}, {"origin": EVIL, "sec-fetch-site": "same-origin"}],
)  # fmt: skip
def test_a_cross_origin_post_is_refused_even_with_cookie_and_token(client, session, headers):
    token = form_token(client.get("/login").text)
    before = state(session)
    assert_refused(client, login_form(client, token, **headers), session, before)


@pytest.mark.parametrize("headers", [{"origin": EVIL}, {"sec-fetch-site": "cross-site"}])
def test_a_cross_origin_json_login_is_refused(client, session, headers):
    before = state(session)
    body = {"username": "zhao", "password": DEMO_PASSWORDS["zhao"]}
    r = client.post("/api/v1/auth/login", json=body, headers=headers)
    assert r.status_code == 403 and r.json()["code"] == "cross_site"
    assert_refused(client, r, session, before)


def test_scripts_without_browser_headers_still_log_in(client):
    body = {"username": "zhao", "password": DEMO_PASSWORDS["zhao"]}
    r = client.post("/api/v1/auth/login", json=body, headers={"origin": OWN})
    assert r.status_code == 200
    assert client.post("/api/v1/auth/login", json=body).status_code == 200
