"""三权分立 and account administration: who may manage users, grant roles, read the audit
log, handle cases — checked in the table and over HTTP."""

from __future__ import annotations

import pyotp

from grassroots.accounts.models import Role
from grassroots.accounts.permissions import ADMIN_ROLES, ROLE_PERMISSIONS, granted
from grassroots.accounts.users.actions import do_create_user
from tests.accounts.conftest import audit_actions, last_audit_id, login

USERS = "/api/v1/users"
NEW_USER = {
    "username": "zhangsan",
    "display_name": "张三",
    "role": "centre_staff",
    "jurisdiction_code": "990101002000",
}


def test_no_administrator_can_handle_cases():
    for role in ADMIN_ROLES:
        handling = ("case.", "party.", "lead.")
        assert not any(p.startswith(handling) for p in ROLE_PERMISSIONS[role]), role


def test_the_three_powers_are_held_apart():
    holders = {
        p: {r for r, perms in ROLE_PERMISSIONS.items() if p in perms}
        for p in ("users.manage", "roles.grant", "audit.read")
    }
    assert holders == {
        "users.manage": {Role.system_admin},
        "roles.grant": {Role.security_admin},
        "audit.read": {Role.auditor},
    }
    assert ROLE_PERMISSIONS[Role.auditor] == {"audit.read", "account.self"}
    assert "audit.read" not in granted("system_admin")
    assert not granted("no-such-role")
    assert granted("mediator", ["case.read", "users.manage"]) == {"case.read"}


def test_system_admin_creates_business_accounts_with_a_one_time_password(
    client_as, client, session
):
    since = last_audit_id(session)
    r = client_as("admin").post(USERS, json=NEW_USER)
    assert r.status_code == 201
    password = r.json()["initial_password"]
    assert login(client, "zhangsan", password).status_code == 200
    assert ("user.create", "admin", "ok") in audit_actions(session, since)


def test_system_admin_cannot_create_administrators_or_grant_roles(client_as):
    admin = client_as("admin")
    r = admin.post(USERS, json=NEW_USER | {"role": "auditor"})
    assert r.status_code == 403 and r.json()["code"] == "role_needs_grant"
    assert admin.put(f"{USERS}/wang/role", json={"role": "leader"}).status_code == 403


def test_security_admin_grants_roles_but_cannot_create_or_disable(client_as, session):
    security = client_as("security")
    since = last_audit_id(session)
    r = security.put(f"{USERS}/wang/role", json={"role": "mediator"})
    assert r.status_code == 200 and r.json()["role"] == "mediator"
    assert ("user.role_change", "security", "ok") in audit_actions(session, since)
    assert security.post(USERS, json=NEW_USER).status_code == 403
    assert security.post(f"{USERS}/wang/disable").status_code == 403


def test_nobody_changes_their_own_role(client_as):
    r = client_as("security").put(f"{USERS}/security/role", json={"role": "system_admin"})
    assert r.status_code == 409


def test_role_change_ends_the_users_sessions(client_as):
    wang = client_as("wang")
    client_as("security").put(f"{USERS}/wang/role", json={"role": "mediator"})
    assert wang.get("/api/v1/auth/me").status_code == 401


def test_auditor_cannot_manage_users(client_as):
    audit = client_as("audit")
    assert audit.get(USERS).status_code == 403
    assert audit.post(f"{USERS}/wang/disable").status_code == 403


def test_case_staff_cannot_administer(client_as, session):
    since = last_audit_id(session)
    zhao = client_as("zhao")
    assert zhao.get(USERS).status_code == 403
    assert zhao.put(f"{USERS}/wang/role", json={"role": "leader"}).status_code == 403
    assert ("access.denied", "zhao", "denied") in audit_actions(session, since)


def test_admins_see_only_accounts_in_their_jurisdiction(client_as, session, client):
    do_create_user(
        session,
        username="tadmin",
        display_name="镇管理员",
        role=Role.system_admin,
        jurisdiction_code="990101002000",
        password="Zhen-Guanli-2026",
    )
    c = client
    csrf = login(c, "tadmin", "Zhen-Guanli-2026").json()["csrf_token"]
    secret = c.post("/api/v1/auth/totp/enrol", headers={"X-CSRF-Token": csrf}).json()["secret"]
    csrf = c.post(
        "/api/v1/auth/totp/confirm",
        json={"code": pyotp.TOTP(secret).now()},
        headers={"X-CSRF-Token": csrf},
    ).json()["csrf_token"]
    c.headers["X-CSRF-Token"] = csrf
    names = {u["username"] for u in c.get(USERS).json()}
    assert {"wang", "zhao", "li", "sun"} <= names
    assert not names & {"zhou", "wu", "qian", "chen", "system"}
    inside = c.post(f"{USERS}/wang/disable")
    outside = c.post(f"{USERS}/zhou/disable")
    absent = c.post(f"{USERS}/nobody/disable")
    assert inside.status_code == 200
    assert outside.status_code == absent.status_code == 404
    assert outside.json()["title"] == absent.json()["title"]
    r = c.post(USERS, json=NEW_USER | {"jurisdiction_code": "990101003000"})
    assert r.status_code == 403
