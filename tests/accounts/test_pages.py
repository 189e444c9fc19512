"""The HTML login flow: form, redirects, second-factor pages, logout."""

from __future__ import annotations

import re

import pyotp
from fastapi.testclient import TestClient

from grassroots.demo.staff import DEMO_PASSWORDS


def _form_login(c: TestClient, username: str, next_url: str = "/cases"):
    form = {"username": username, "password": DEMO_PASSWORDS[username], "next": next_url}
    form["csrf_token"] = _csrf(c.get("/login").text)  # the login form's own CSRF pair
    return c.post("/login", data=form, follow_redirects=False)


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, html
    return match.group(1)


def test_login_form_renders_in_chinese_first(client):
    r = client.get("/login")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "登录" in r.text and 'name="password"' in r.text and "<!doctype html>" in r.text


def test_staff_login_redirects_to_next(client):
    r = _form_login(client, "zhao")
    assert r.status_code == 303 and r.headers["location"] == "/cases"
    assert client.get("/api/v1/auth/me").status_code == 200


def test_next_cannot_leave_the_site(client):
    r = _form_login(client, "zhao", "//evil.example/x")
    assert r.headers["location"] == "/"


def test_wrong_password_shows_the_form_again(client):
    form = {"username": "zhao", "password": "nope", "csrf_token": _csrf(client.get("/login").text)}
    r = client.post("/login", data=form)
    assert r.status_code == 401 and 'role="alert"' in r.text and 'value="zhao"' in r.text


def test_admin_is_led_through_enrolment_then_verification(client):
    r = _form_login(client, "admin")
    assert r.headers["location"].startswith("/login/totp/enrol")
    start = client.get(r.headers["location"])
    page = client.post(
        "/login/totp/enrol/start", data={"csrf_token": _csrf(start.text), "next": "/cases"}
    )
    assert "<svg" in page.text
    secret = re.search(r"<code>([A-Z2-7]{32})</code>", page.text).group(1)
    done = client.post(
        "/login/totp/enrol",
        data={"csrf_token": _csrf(page.text), "code": pyotp.TOTP(secret).now(), "next": "/cases"},
    )
    codes = re.findall(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code>", done.text)
    assert len(codes) == 10
    assert client.get("/api/v1/users").status_code == 200
    # Next login: the second-factor page, passed with a recovery code.
    r = _form_login(client, "admin")
    assert r.headers["location"].startswith("/login/totp?")
    page = client.get(r.headers["location"])
    wrong = client.post("/login/totp", data={"csrf_token": _csrf(page.text), "code": "000000"})
    assert wrong.status_code == 401 and 'role="alert"' in wrong.text
    ok = client.post(
        "/login/totp",
        data={"csrf_token": _csrf(page.text), "code": codes[0], "next": "/cases"},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/cases"
    assert client.get("/api/v1/users").status_code == 200
