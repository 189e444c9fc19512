"""A paired screen's cookie opens the screen routes and nothing else: every other route of
the app (the route table itself, as the access matrix reads it) answers it 401, exactly
like no credential at all; the public ones are left out (they answer anyone)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from grassroots.screens.authn import SCREEN_COOKIE
from tests.accounts.access_registry import PUBLIC, SCREEN_ROUTES
from tests.accounts.test_access_matrix import route_table


def test_the_screen_cookie_opens_no_other_route(app, paired):
    raw = paired("hall")
    # The cookie is sent to every path (a browser sends it to /screen only: Path=/screen).
    c = TestClient(app, headers={"Cookie": f"{SCREEN_COOKIE}={raw}"})
    entries, problems = route_table(app)
    assert not problems
    checked, wrong = 0, []
    for e in entries:
        if e.key in PUBLIC or e.key in SCREEN_ROUTES:
            continue
        path = re.sub(r"\{(\w+)(:\w+)?\}", "1", e.path)
        status = c.request(e.method, path, follow_redirects=False).status_code
        checked += 1
        if status != 401:
            wrong.append(f"{e.method} {e.path}: {status}")
    assert checked > 200 and not wrong, wrong
    assert {c.get(p).status_code for _, p in SCREEN_ROUTES - {("GET", "/screen/events")}} == {200}


def test_a_signed_in_person_is_not_a_screen(client_as):
    leader = client_as("chen")  # holds stats.read for the whole county
    assert leader.get("/screen/boundaries.geojson").status_code == 401
    assert leader.get("/screen/events").status_code == 401
    assert "配对码" in leader.get("/screen").text
