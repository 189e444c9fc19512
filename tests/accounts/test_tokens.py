"""Bearer API tokens: stored hashed, scoped, expiring, revocable, audited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from grassroots.accounts.models import ApiToken
from grassroots.db import utcnow
from tests.accounts.conftest import ME, audit_actions, last_audit_id

TOKENS = "/api/v1/auth/tokens"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_is_shown_once_and_stored_hashed(client_as, session):
    zhao = client_as("zhao")
    since = last_audit_id(session)
    r = zhao.post(TOKENS, json={"name": "12345 热线", "scopes": ["case.read", "account.self"]})
    assert r.status_code == 201
    raw = r.json()["token"]
    row = session.scalar(select(ApiToken).where(ApiToken.id == r.json()["id"]))
    assert row.token_hash != raw and raw not in row.token_hash
    assert "token" not in zhao.get(TOKENS).json()[0]
    assert ("token.create", "zhao", "ok") in audit_actions(session, since)


def test_token_acts_within_its_scopes_only(client_as, client):
    zhao = client_as("zhao")
    narrow = zhao.post(TOKENS, json={"name": "n", "scopes": ["case.read"]}).json()["token"]
    wide = zhao.post(TOKENS, json={"name": "w", "scopes": ["account.self"]}).json()["token"]
    assert client.get(TOKENS, headers=_bearer(wide)).status_code == 200
    r = client.get(TOKENS, headers=_bearer(narrow))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_scopes_beyond_the_users_role_are_refused(client_as):
    r = client_as("wang").post(TOKENS, json={"name": "x", "scopes": ["users.manage"]})
    assert r.status_code == 422 and r.json()["code"] == "bad_scopes"


def test_token_loses_what_the_role_loses(client_as, client):
    zhao = client_as("zhao")
    token = zhao.post(TOKENS, json={"name": "n", "scopes": ["account.self"]}).json()["token"]
    security = client_as("security")
    assert security.put("/api/v1/users/zhao/role", json={"role": "leader"}).status_code == 200
    assert client.get(ME, headers=_bearer(token)).status_code == 401  # revoked on role change


def test_revoked_token_is_refused(client_as, client, session):
    zhao = client_as("zhao")
    new = zhao.post(TOKENS, json={"name": "n", "scopes": ["account.self"]}).json()
    assert client.get(ME, headers=_bearer(new["token"])).status_code == 200
    since = last_audit_id(session)
    assert zhao.delete(f"{TOKENS}/{new['id']}").status_code == 204
    assert client.get(ME, headers=_bearer(new["token"])).status_code == 401
    assert ("token.revoke", "zhao", "ok") in audit_actions(session, since)
    assert zhao.get(TOKENS).json()[0]["revoked_at"] is not None


def test_expired_token_is_refused(client_as, client, session):
    new = (
        client_as("zhao")
        .post(
            TOKENS,
            json={
                "name": "n",
                "scopes": ["account.self"],
                "expires_at": (utcnow() + timedelta(days=1)).isoformat(),
            },
        )
        .json()
    )
    assert client.get(ME, headers=_bearer(new["token"])).status_code == 200
    row = session.get(ApiToken, new["id"])
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert client.get(ME, headers=_bearer(new["token"])).status_code == 401


def test_someone_elses_token_looks_absent(client_as):
    theirs = client_as("wang").post(TOKENS, json={"name": "n", "scopes": ["account.self"]}).json()
    r = client_as("zhao").delete(f"{TOKENS}/{theirs['id']}")
    assert r.status_code == 404
    assert client_as("zhao").delete(f"{TOKENS}/999999").json() == r.json() | {
        "instance": f"{TOKENS}/999999"
    }


def test_unknown_bearer_token_is_401(client):
    assert client.get(ME, headers=_bearer("grt_not-a-token")).status_code == 401
