"""After logging in through the form, every seed role lands on a page it may open (no 403).

Staff start on 工作台 (the dashboard), the system administrator on 管理, the security
administrator on users and roles, the auditor on 审计. Administrators pass the real TOTP
enrolment first; the page they are sent on to is their landing page.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from fastapi.testclient import TestClient

from grassroots.demo.staff import DEMO_PASSWORDS

LANDING = {
    "wang": "/",
    "li": "/",
    "zhao": "/",
    "sun": "/",
    "chen": "/",
    "admin": "/admin",
    "security": "/admin/users",
    "audit": "/audit",
}
HTML = {"accept": "text/html"}


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, html
    return match.group(1)


def _log_in(client: TestClient, username: str) -> str:
    """The form login without `next`, through enrolment where the role needs TOTP; returns
    the page the user is finally sent to."""
    form = {"username": username, "password": DEMO_PASSWORDS[username]}
    form["csrf_token"] = _csrf(client.get("/login").text)
    r = client.post("/login", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    target = r.headers["location"]
    if not target.startswith("/login/totp/enrol"):
        return target
    after = parse_qs(urlsplit(target).query)["next"][0]
    start = client.get(target)
    page = client.post(
        "/login/totp/enrol/start", data={"csrf_token": _csrf(start.text), "next": after}
    )
    secret = re.search(r"<code>([A-Z2-7]{32})</code>", page.text).group(1)  # type: ignore[union-attr]
    done = client.post(
        "/login/totp/enrol",
        data={"csrf_token": _csrf(page.text), "code": pyotp.TOTP(secret).now(), "next": after},
    )
    link = re.search(r'<a class="button is-primary" href="([^"]+)">', done.text)
    assert link, done.text
    return link.group(1)


@pytest.mark.parametrize("username", sorted(LANDING))
def test_every_role_lands_on_a_page_it_may_open(client, username):
    target = _log_in(client, username)
    assert target == LANDING[username]
    page = client.get(target, headers=HTML)
    assert page.status_code == 200 and "<!doctype html>" in page.text
    # the brand link leads to the same page, not to a 403
    assert f'class="navbar-item brand" href="{target}"' in page.text


def test_an_explicit_next_still_wins(client):
    form = {"username": "zhao", "password": DEMO_PASSWORDS["zhao"], "next": "/cases"}
    form["csrf_token"] = _csrf(client.get("/login").text)
    r = client.post("/login", data=form, follow_redirects=False)
    assert r.headers["location"] == "/cases"


@pytest.mark.parametrize("username", ["admin", "security", "audit"])
def test_opening_the_dashboard_without_its_permission_leads_to_the_own_start_page(client, username):
    target = _log_in(client, username)
    r = client.get("/", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == target
    # the API keeps answering 403 as problem+json
    api = client.get("/api/v1/stats/dashboard", params={"jurisdiction": "990101000000"})
    assert api.status_code == 403
