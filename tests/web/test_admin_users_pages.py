"""管理 → users and roles through the real HTTP app (SQLite and PostgreSQL), 三权分立 included."""

from __future__ import annotations

from sqlalchemy import select

from grassroots.accounts.login.passwords import verify_password
from grassroots.accounts.models import User

HTML = {"accept": "text/html"}
GOOD_PASSWORD = "Xin-Zhanghu-2026"
NEW_USER = {
    "username": "ma",
    "display_name": "马网格员",
    "role": "grid_worker",
    "jurisdiction_code": "990101001001",
    "unit_code": "",
    "password": GOOD_PASSWORD,
}


def _account(session, username: str) -> User | None:
    session.expire_all()
    return session.scalar(select(User).where(User.username == username))


def _post(client, path: str, data: dict[str, str]):
    return client.post(path, data=data, headers=HTML, follow_redirects=False)


def test_system_admin_creates_an_account_that_can_log_in(client_as, session, client):
    r = _post(client_as("admin"), "/admin/users", NEW_USER)
    assert r.status_code == 303 and r.headers["location"] == "/admin/users/ma"
    user = _account(session, "ma")
    assert user is not None and user.role == "grid_worker"
    assert user.jurisdiction is not None and user.jurisdiction.code == "990101001001"
    assert verify_password(user.password_hash, GOOD_PASSWORD)
    login = client.post("/api/v1/auth/login", json={"username": "ma", "password": GOOD_PASSWORD})
    assert login.status_code == 200


def test_weak_password_is_shown_next_to_the_field_and_input_kept(client_as, session):
    r = _post(client_as("admin"), "/admin/users", {**NEW_USER, "password": "password"})
    assert r.status_code == 422
    assert 'id="password-error"' in r.text and "常见密码" in r.text
    assert 'value="马网格员"' in r.text and 'value="ma"' in r.text
    assert 'password" type="password"\n           value=""' in r.text  # never echoed
    assert _account(session, "ma") is None


def test_bad_username_and_existing_username_are_field_errors(client_as):
    admin = client_as("admin")
    bad = _post(admin, "/admin/users", {**NEW_USER, "username": "Ma Ma"})
    assert bad.status_code == 422 and 'id="username-error"' in bad.text
    taken = _post(admin, "/admin/users", {**NEW_USER, "username": "wang"})
    assert taken.status_code == 422 and 'id="username-error"' in taken.text
    assert "已存在" in taken.text


def test_system_admin_cannot_create_an_administrator(client_as, session):
    r = _post(client_as("admin"), "/admin/users", {**NEW_USER, "role": "auditor"})
    assert r.status_code == 422 and 'id="role-error"' in r.text
    assert _account(session, "ma") is None


def test_disable_enable_and_reset_password(client_as, session):
    admin = client_as("admin")
    assert _post(admin, "/admin/users/wu/disable", {}).status_code == 303
    assert _account(session, "wu").is_active is False
    page = admin.get("/admin/users/wu", headers=HTML)
    assert "已停用" in page.text and "启用账号" in page.text
    assert _post(admin, "/admin/users/wu/enable", {}).status_code == 303
    assert _account(session, "wu").is_active is True
    weak = _post(admin, "/admin/users/wu/password", {"password": "short"})
    assert weak.status_code == 422 and 'id="password-error"' in weak.text
    assert _post(admin, "/admin/users/wu/password", {"password": GOOD_PASSWORD}).status_code == 303
    assert verify_password(_account(session, "wu").password_hash, GOOD_PASSWORD)


def test_system_admin_cannot_reset_an_administrators_password(client_as, session):
    before = _account(session, "security").password_hash
    r = _post(client_as("admin"), "/admin/users/security/password", {"password": GOOD_PASSWORD})
    assert r.status_code == 403
    assert _account(session, "security").password_hash == before


def test_security_admin_changes_a_role_and_resets_a_second_factor(client_as, session):
    security = client_as("security")
    assert _post(security, "/admin/users/wang/role", {"role": "mediator"}).status_code == 303
    assert _account(session, "wang").role == "mediator"
    bad = _post(security, "/admin/users/wang/role", {"role": "emperor"})
    assert bad.status_code == 422 and 'id="role-error"' in bad.text
    client_as("audit")  # enrols the auditor's second factor
    assert _account(session, "audit").totp_enabled_at is not None
    assert _post(security, "/admin/users/audit/totp-reset", {}).status_code == 303
    assert _account(session, "audit").totp_enabled_at is None


def test_own_role_change_is_refused_next_to_the_field(client_as, session):
    r = _post(client_as("security"), "/admin/users/security/role", {"role": "leader"})
    assert r.status_code == 422 and 'id="role-error"' in r.text
    assert _account(session, "security").role == "security_admin"


def test_separation_of_powers_on_the_pages(client_as, session):
    admin, security = client_as("admin"), client_as("security")
    assert _post(admin, "/admin/users/wang/role", {"role": "leader"}).status_code == 403
    assert _post(admin, "/admin/users/wang/totp-reset", {}).status_code == 403
    assert _post(security, "/admin/users", NEW_USER).status_code == 403
    assert _post(security, "/admin/users/wang/disable", {}).status_code == 403
    assert _account(session, "wang").role == "grid_worker" and _account(session, "ma") is None
    assert "新建账号" not in security.get("/admin/users", headers=HTML).text
    assert "修改角色" not in admin.get("/admin/users/wang", headers=HTML).text


def test_business_roles_get_403(client_as):
    zhao = client_as("zhao")
    assert zhao.get("/admin/users", headers=HTML).status_code == 403
    assert zhao.get("/admin/users/wang", headers=HTML).status_code == 403
    assert _post(zhao, "/admin/users", NEW_USER).status_code == 403
    assert _post(zhao, "/admin/users/wang/disable", {}).status_code == 403


def test_forms_without_the_csrf_token_are_refused(app, client_as, session):
    from fastapi.testclient import TestClient

    admin = client_as("admin")
    raw = TestClient(app, cookies=admin.cookies)
    r = raw.post("/admin/users/wu/disable", headers=HTML, follow_redirects=False)
    assert r.status_code == 403
    assert _account(session, "wu").is_active is True
