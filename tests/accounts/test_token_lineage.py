"""Tokens that mint tokens: never more scopes nor a later expiry than their own; revoking a
token revokes what it minted; every token expires (default and maximum lifetime)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import ApiToken, Role, User
from grassroots.accounts.permissions import ROLE_PERMISSIONS
from grassroots.accounts.tokens.actions import do_create_token
from grassroots.db import utcnow
from tests.accounts.conftest import ME, audit_actions, last_audit_id, login

TOKENS = "/api/v1/auth/tokens"
PROBLEM = "application/problem+json"
CENTRE = sorted(ROLE_PERMISSIONS[Role.centre_staff])


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _mint(c: TestClient, scopes: list[str], headers: dict[str, str] | None = None, **more: Any):  # type: ignore[no-untyped-def]
    return c.post(TOKENS, json={"name": "n", "scopes": scopes, **more}, headers=headers or {})


def _in(days: float) -> str:
    return (utcnow() + timedelta(days=days)).isoformat()


def _close(a: datetime | str, b: datetime) -> bool:
    value = datetime.fromisoformat(a) if isinstance(a, str) else a
    return abs(value - b) < timedelta(minutes=5)


def test_an_account_self_token_cannot_mint_a_wider_token(client_as, client):
    first = _mint(client_as("zhao"), ["account.self"]).json()
    r = _mint(client, CENTRE, _bearer(first["token"]))
    assert r.status_code == 403 and r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["code"] == "scope_escalation"
    for extra in set(CENTRE) - {"account.self"}:
        assert extra in r.json()["title"]
    assert len(client_as("zhao").get(TOKENS).json()) == 1  # nothing was made


@pytest.fixture
def zhao(client_as) -> TestClient:  # type: ignore[no-untyped-def]
    return client_as("zhao")  # type: ignore[no-any-return]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(held=st.sets(st.sampled_from(CENTRE)), asked=st.sets(st.sampled_from(CENTRE), min_size=1))
def test_a_token_mints_exactly_the_subsets_of_its_scopes(zhao, client, held, asked):
    held = sorted(held | {"account.self"})
    first = _mint(zhao, held).json()
    r = _mint(client, sorted(asked), _bearer(first["token"]))
    if asked <= set(held):
        assert r.status_code == 201, r.text
        assert r.json()["parent_id"] == first["id"] and set(r.json()["scopes"]) == asked
    else:
        assert r.status_code == 403 and r.json()["code"] == "scope_escalation"
        assert all(p in r.json()["title"] for p in asked - set(held))


def test_a_minted_token_expires_no_later_than_its_parent(client_as, client):
    first = _mint(client_as("zhao"), ["account.self", "case.read"], expires_at=_in(10)).json()
    parent_end = datetime.fromisoformat(first["expires_at"])
    later = _mint(client, ["case.read"], _bearer(first["token"]), expires_at=_in(20))
    assert later.status_code == 403 and later.json()["code"] == "expiry_escalation"
    default = _mint(client, ["case.read"], _bearer(first["token"])).json()
    assert datetime.fromisoformat(default["expires_at"]) == parent_end  # not 90 days
    sooner = _mint(client, ["case.read"], _bearer(first["token"]), expires_at=_in(5))
    assert sooner.status_code == 201


def test_revoking_a_token_revokes_all_it_minted(client_as, client, session: Session):
    zhao = client_as("zhao")
    a = _mint(zhao, ["account.self", "case.read"]).json()
    b = _mint(client, ["account.self", "case.read"], _bearer(a["token"])).json()
    c = _mint(client, ["case.read"], _bearer(b["token"])).json()
    other = _mint(zhao, ["account.self"]).json()
    since = last_audit_id(session)
    assert zhao.delete(f"{TOKENS}/{a['id']}").status_code == 204
    for t in (a, b):
        assert client.get(ME, headers=_bearer(t["token"])).status_code == 401
    assert client.get("/api/v1/cases", headers=_bearer(c["token"])).status_code == 401
    assert client.get(ME, headers=_bearer(other["token"])).status_code == 200
    session.expire_all()
    revoked = {t.id: t.revoked_at for t in session.scalars(select(ApiToken))}
    assert revoked[a["id"]] == revoked[b["id"]] == revoked[c["id"]] is not None
    assert audit_actions(session, since) == [("token.revoke", "zhao", "ok")] * 3


def test_revoking_a_minted_token_leaves_its_parent(client_as, client):
    zhao = client_as("zhao")
    a = _mint(zhao, ["account.self", "case.read"]).json()
    b = _mint(client, ["case.read"], _bearer(a["token"])).json()
    assert zhao.delete(f"{TOKENS}/{b['id']}").status_code == 204
    assert client.get(ME, headers=_bearer(a["token"])).status_code == 200


def test_tokens_get_the_default_lifetime_and_no_more_than_the_maximum(client_as):
    zhao = client_as("zhao")
    made = _mint(zhao, ["account.self"]).json()
    assert _close(made["expires_at"], utcnow() + timedelta(days=90))
    too_late = _mint(zhao, ["account.self"], expires_at=_in(366))
    assert too_late.status_code == 422 and too_late.json()["code"] == "expiry_too_late"
    assert too_late.headers["content-type"].startswith(PROBLEM)
    assert _mint(zhao, ["account.self"], expires_at=_in(364)).status_code == 201


def test_lifetimes_come_from_the_settings(client_with):
    c = client_with(token_default_days=7, token_max_days=30)
    c.headers["X-CSRF-Token"] = login(c, "zhao").json()["csrf_token"]
    made = _mint(c, ["account.self"]).json()
    assert _close(made["expires_at"], utcnow() + timedelta(days=7))
    assert _mint(c, ["account.self"], expires_at=_in(31)).status_code == 422


def test_an_expiry_without_a_time_zone_is_422_not_500(client_as):
    r = _mint(client_as("zhao"), ["account.self"], expires_at="2027-01-01T00:00:00")
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)


def test_a_token_without_expiry_from_before_ends_after_the_maximum(client, session, users):
    token, raw = do_create_token(
        session, users["zhao"], name="old", scopes=["account.self"], actor=None
    )
    token.expires_at, token.created_at = None, utcnow() - timedelta(days=364)
    session.commit()
    assert client.get(ME, headers=_bearer(raw)).status_code == 200
    token.created_at = utcnow() - timedelta(days=366)
    session.commit()
    assert client.get(ME, headers=_bearer(raw)).status_code == 401


def test_the_cli_and_sessions_cannot_exceed_the_maximum_either(session, users):
    zhao: User = users["zhao"]
    token, _ = do_create_token(session, zhao, name="cli", scopes=["account.self"], actor=None)
    assert token.expires_at is not None and _close(token.expires_at, utcnow() + timedelta(90))
