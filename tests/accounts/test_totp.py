"""TOTP second factor: enrolment required for administrators, verification, replay refusal,
one-time recovery codes, reset by the security admin."""

from __future__ import annotations

import time

import pyotp
from sqlalchemy import select

from grassroots.accounts.models import User
from grassroots.db import utcnow
from tests.accounts.conftest import ME, audit_actions, last_audit_id, login

ENROL, CONFIRM, VERIFY = (
    "/api/v1/auth/totp/enrol",
    "/api/v1/auth/totp/confirm",
    "/api/v1/auth/totp/verify",
)


def _wrong_code(secret: str) -> str:
    """A well-formed code that is valid for none of the steps the server accepts now."""
    totp, now = pyotp.TOTP(secret), time.time()
    valid = {totp.at(now + k * 30) for k in (-2, -1, 0, 1, 2)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in valid)


def _enrol(c, csrf: str) -> tuple[str, list[str], str]:
    """Enrol through the endpoints; returns the secret, the recovery codes and the code used."""
    secret = c.post(ENROL, headers={"X-CSRF-Token": csrf}).json()["secret"]
    code = pyotp.TOTP(secret).now()
    r = c.post(CONFIRM, json={"code": code}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    return secret, r.json()["recovery_codes"], code


def test_admin_cannot_use_the_app_until_enrolled(client):
    me = login(client, "admin").json()
    assert me["second_factor"] == "enrol"
    r = client.get("/api/v1/users")
    assert r.status_code == 401 and r.json()["code"] == "totp_enrolment_required"
    assert client.get(ME).json()["second_factor"] == "enrol"  # the login steps still answer


def test_enrolment_gives_qr_uri_and_recovery_codes_then_access(client, session):
    csrf = login(client, "security").json()["csrf_token"]
    r = client.post(ENROL, headers={"X-CSRF-Token": csrf})
    body = r.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/") and "security" in body["otpauth_uri"]
    assert body["qr_svg"].startswith("<svg")
    wrong = client.post(
        CONFIRM, json={"code": _wrong_code(body["secret"])}, headers={"X-CSRF-Token": csrf}
    )
    assert wrong.status_code == 422
    ok = client.post(
        CONFIRM, json={"code": pyotp.TOTP(body["secret"]).now()}, headers={"X-CSRF-Token": csrf}
    )
    assert ok.status_code == 200
    codes = ok.json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    headers = {"X-CSRF-Token": ok.json()["csrf_token"]}
    assert client.get("/api/v1/users", headers=headers).status_code == 200
    user = session.scalar(select(User).where(User.username == "security"))
    assert user.totp_secret_enc is not None and body["secret"].encode() not in user.totp_secret_enc


def test_confirming_renews_the_session_id(client):
    csrf = login(client, "audit").json()["csrf_token"]
    before = client.cookies.get("grassroots_session")
    _enrol(client, csrf)
    assert client.cookies.get("grassroots_session") != before


def test_wrong_code_refused_and_replayed_code_refused(client, session):
    secret, _, used = _enrol(client, login(client, "admin").json()["csrf_token"])
    csrf = login(client, "admin").json()["csrf_token"]
    assert client.get(ME).json()["second_factor"] == "verify"
    since = last_audit_id(session)
    wrong = client.post(VERIFY, json={"code": _wrong_code(secret)}, headers={"X-CSRF-Token": csrf})
    assert wrong.status_code == 401 and wrong.json()["code"] == "wrong_code"
    assert ("login.second_factor_failed", "admin", "failed") in audit_actions(session, since)
    # The code the enrolment used cannot be used again.
    replay = client.post(VERIFY, json={"code": used}, headers={"X-CSRF-Token": csrf})
    assert replay.status_code == 401
    assert client.get("/api/v1/users").status_code == 401


def test_a_fresh_code_passes_once(client, session):
    secret, _, _ = _enrol(client, login(client, "admin").json()["csrf_token"])
    user = session.scalar(select(User).where(User.username == "admin"))
    user.totp_last_step -= 2  # as if the enrolment were a minute ago (moved, not waited for)
    session.commit()
    code = pyotp.TOTP(secret).now()
    csrf = login(client, "admin").json()["csrf_token"]
    r = client.post(VERIFY, json={"code": code}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["second_factor"] is None
    assert (
        client.get("/api/v1/users", headers={"X-CSRF-Token": r.json()["csrf_token"]}).status_code
        == 200
    )
    csrf = login(client, "admin").json()["csrf_token"]
    again = client.post(VERIFY, json={"code": code}, headers={"X-CSRF-Token": csrf})
    assert again.status_code == 401


def test_recovery_code_works_once(client):
    _, codes, _ = _enrol(client, login(client, "admin").json()["csrf_token"])
    csrf = login(client, "admin").json()["csrf_token"]
    first = client.post(VERIFY, json={"code": codes[0].lower()}, headers={"X-CSRF-Token": csrf})
    assert first.status_code == 200
    csrf = login(client, "admin").json()["csrf_token"]
    again = client.post(VERIFY, json={"code": codes[0]}, headers={"X-CSRF-Token": csrf})
    assert again.status_code == 401
    other = client.post(VERIFY, json={"code": codes[1]}, headers={"X-CSRF-Token": csrf})
    assert other.status_code == 200


def test_wrong_codes_count_towards_the_login_throttle(app, client):
    frozen = utcnow()
    app.state.clock = lambda: frozen  # the 1 s delay must not pass while the test runs
    secret, _, _ = _enrol(client, login(client, "admin").json()["csrf_token"])
    csrf = login(client, "admin").json()["csrf_token"]
    for _ in range(5):
        client.post(VERIFY, json={"code": _wrong_code(secret)}, headers={"X-CSRF-Token": csrf})
    throttled = login(client, "admin")
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "1"


def test_staff_may_enrol_and_then_must_verify(client):
    _enrol(client, login(client, "zhao").json()["csrf_token"])
    assert login(client, "zhao").json()["second_factor"] == "verify"
    assert client.get("/api/v1/auth/tokens").status_code == 401


def test_security_admin_resets_a_lost_second_factor(client_as, client):
    admin = client_as("admin")  # enrols
    assert admin.get("/api/v1/users").status_code == 200
    security = client_as("security")
    r = security.post("/api/v1/users/admin/totp-reset")
    assert r.status_code == 200 and r.json()["totp_enrolled"] is False
    assert admin.get("/api/v1/users").status_code == 401  # sessions ended
    assert login(client, "admin").json()["second_factor"] == "enrol"
