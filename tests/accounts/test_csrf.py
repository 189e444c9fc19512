"""CSRF: cookie-authenticated writes need the session's token; bearer requests do not."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.accounts.conftest import audit_actions, last_audit_id, login

TOKENS = "/api/v1/auth/tokens"
BODY = {"name": "n", "scopes": ["account.self"]}


def test_write_without_token_is_refused_and_audited(client: TestClient, session):
    login(client, "zhao")
    since = last_audit_id(session)
    r = client.post(TOKENS, json=BODY)
    assert r.status_code == 403 and r.json()["code"] == "csrf_failed"
    assert ("access.csrf_refused", "zhao", "denied") in audit_actions(session, since)
    assert client.get(TOKENS).json() == []  # nothing was created


def test_write_with_a_wrong_token_is_refused(client: TestClient):
    login(client, "zhao")
    r = client.post(TOKENS, json=BODY, headers={"X-CSRF-Token": "0" * 64})
    assert r.status_code == 403


def test_token_of_another_session_is_refused(client: TestClient, client_as):
    other = client_as("zhao").headers["X-CSRF-Token"]
    login(client, "zhao")
    assert client.post(TOKENS, json=BODY, headers={"X-CSRF-Token": other}).status_code == 403


def test_write_with_the_token_passes(client: TestClient):
    csrf = login(client, "zhao").json()["csrf_token"]
    assert client.post(TOKENS, json=BODY, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert client.cookies.get("grassroots_csrf") == csrf


def test_form_field_token_passes_for_html_forms(client: TestClient):
    csrf = login(client, "zhao").json()["csrf_token"]
    r = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/v1/auth/me").status_code == 401


def test_form_without_token_is_refused(client: TestClient):
    login(client, "zhao")
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403
    assert client.get("/api/v1/auth/me").status_code == 200


def test_bearer_requests_are_exempt(client: TestClient, client_as):
    token = client_as("zhao").post(TOKENS, json=BODY).json()["token"]
    r = client.post(TOKENS, json=BODY, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201
