"""Password login, session cookies, lockout, timeouts, logout, disabled users."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from grassroots.accounts.authn import CSRF_COOKIE, SESSION_COOKIE
from grassroots.accounts.credentials import digest
from grassroots.accounts.models import AuthSession, LoginThrottle
from grassroots.db import utcnow
from tests.accounts.conftest import ME, audit_actions, last_audit_id, login, session_row

WRONG = "Wrong-Passw0rd"


def _set_cookie_headers(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h.lower() for h in response.headers.get_list("set-cookie")}


def test_login_sets_httponly_lax_cookie_and_me_works(client):
    r = login(client, "zhao")
    assert r.status_code == 200
    body = r.json()
    assert body["username"] == "zhao" and body["second_factor"] is None
    assert "case.act" in body["permissions"]
    cookies = _set_cookie_headers(r)
    assert "httponly" in cookies[SESSION_COOKIE] and "samesite=lax" in cookies[SESSION_COOKIE]
    assert "secure" not in cookies[SESSION_COOKIE]  # http base_url
    assert "httponly" not in cookies[CSRF_COOKIE]  # the page's scripts read it
    assert client.get(ME).json()["username"] == "zhao"


def test_cookie_is_secure_when_served_over_https(client_with):
    c = client_with(base_url="https://grassroots.example")
    r = login(c, "zhao")
    assert r.status_code == 200
    cookies = _set_cookie_headers(r)
    assert "secure" in cookies[SESSION_COOKIE] and "secure" in cookies[CSRF_COOKIE]


def test_only_a_hash_of_the_session_id_is_stored(client, session):
    login(client, "zhao")
    raw = client.cookies.get(SESSION_COOKIE)
    stored = session.scalars(select(AuthSession.token_hash)).all()
    assert raw not in stored and digest(raw) in stored


def test_every_login_gets_a_new_session_id_and_the_old_one_dies(client, session):
    login(client, "zhao")
    first = client.cookies.get(SESSION_COOKIE)
    login(client, "zhao")
    second = client.cookies.get(SESSION_COOKIE)
    assert first != second
    client.cookies.set(SESSION_COOKIE, first)
    assert client.get(ME).status_code == 401


def test_unknown_user_and_wrong_password_answer_alike(client, session):
    since = last_audit_id(session)
    unknown = login(client, "nobody-here", WRONG)
    wrong = login(client, "zhao", WRONG)
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert SESSION_COOKIE not in client.cookies
    actions = audit_actions(session, since)
    assert ("login.failed", "", "ok") in actions or ("login.failed", "", "failed") in actions
    assert ("login.failed", "zhao", "failed") in actions


def test_five_failures_slow_the_address_down_and_say_when_to_retry(client, session):
    since = last_audit_id(session)
    for _ in range(5):
        assert login(client, "zhao", WRONG).status_code == 401
    throttled = login(client, "zhao")  # the right password, while throttled: not checked
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) >= 1
    assert ("login.failed", "zhao", "failed") in audit_actions(session, since)
    # The delay is 1 s (tests/accounts/test_throttle.py moves the clock past it).
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.address == "testclient"))
    assert row is not None and row.failures == 5 and row.blocked_until is not None


def test_four_failures_then_success_resets_the_count(client, session):
    for _ in range(4):
        login(client, "zhao", WRONG)
    assert login(client, "zhao").status_code == 200
    for _ in range(4):
        login(client, "zhao", WRONG)
    assert login(client, "zhao").status_code == 200


def test_idle_session_expires_after_30_minutes(client, session):
    login(client, "zhao")
    row = session_row(session, client)
    row_id = row.id
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    session.commit()
    r = client.get(ME)
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
    session.expire_all()
    assert session.get(AuthSession, row_id) is None


def test_activity_keeps_the_session_alive(client, session):
    login(client, "zhao")
    row = session_row(session, client)
    row.last_seen_at = utcnow() - timedelta(minutes=29)
    session.commit()
    assert client.get(ME).status_code == 200
    session.expire_all()
    assert utcnow() - session.get(AuthSession, row.id).last_seen_at < timedelta(minutes=1)


def test_absolute_lifetime_ends_an_active_session(client, session):
    login(client, "zhao")
    row = session_row(session, client)
    row.created_at = utcnow() - timedelta(hours=12, minutes=1)
    session.commit()
    assert client.get(ME).status_code == 401


def test_timeouts_follow_the_settings(client_with, session):
    c = client_with(session_idle_minutes=5)
    login(c, "zhao")
    row = session_row(session, c)
    row.last_seen_at = utcnow() - timedelta(minutes=6)
    session.commit()
    assert c.get(ME).status_code == 401


def test_logout_ends_the_session(client_as, session):
    c = client_as("zhao")
    since = last_audit_id(session)
    assert c.post("/api/v1/auth/logout").status_code == 204
    assert c.get(ME).status_code == 401
    assert ("logout", "zhao", "ok") in audit_actions(session, since)


def test_disabling_a_user_ends_their_sessions_and_tokens(client_as, client, session):
    wang = client_as("wang")
    token = wang.post("/api/v1/auth/tokens", json={"name": "t", "scopes": ["account.self"]}).json()[
        "token"
    ]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get(ME, headers=bearer).status_code == 200
    admin = client_as("admin")
    assert admin.post("/api/v1/users/wang/disable").status_code == 200
    assert wang.get(ME).status_code == 401
    assert client.get(ME, headers=bearer).status_code == 401
    assert login(client, "wang").status_code == 401
    assert admin.post("/api/v1/users/wang/enable").status_code == 200
    assert login(client, "wang").status_code == 200


def test_login_success_is_audited(client, session):
    since = last_audit_id(session)
    login(client, "li")
    assert ("login.success", "li", "ok") in audit_actions(session, since)


def test_login_is_rate_limited_per_address(client_with):
    c = client_with(login_rate_limit="3/60")
    assert [login(c, "zhao", WRONG).status_code for _ in range(3)] == [401, 401, 401]
    r = login(c, "zhao")
    assert r.status_code == 429 and r.json()["code"] == "rate_limited"
    assert 1 <= int(r.headers["Retry-After"]) <= 60


def test_nothing_but_public_routes_answers_anonymously(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.get(ME).status_code == 401
    assert client.get("/api/v1/users").status_code == 401
    assert client.get("/api/v1/docs").status_code == 401


def test_the_system_user_cannot_log_in(client):
    assert login(client, "system", "anything-Goes-1").status_code == 401


def test_expired_sessions_are_purged(client, client_as, session):
    from grassroots.accounts.jobs import purge_expired_sessions

    login(client, "zhao")
    stale = session_row(session, client)
    stale.last_seen_at = utcnow() - timedelta(minutes=31)
    session.commit()
    fresh = client_as("li")
    assert purge_expired_sessions(session) >= 1
    assert purge_expired_sessions(session) == 0  # idempotent
    assert fresh.get(ME).status_code == 200
