"""Pairing a wall screen: a one-time code (hashed, ten minutes, once), the screen's cookie on
/screen only, revoking, the rate limit on guesses, and the 管理 page."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from grassroots.audit.models import AuditEntry
from grassroots.db import utcnow
from grassroots.screens.actions import do_issue_code, do_revoke
from grassroots.screens.authn import SCREEN_COOKIE
from grassroots.screens.models import Screen
from grassroots.screens.queries import code_digest, normalise_code, screen_named
from tests.screens.conftest import COUNTY

OTHER_TOWNSHIP = "990101003000"  # 柳河镇: outside 青石镇


def _pair(client: TestClient, code: str) -> object:
    return client.post("/screen/pair", data={"code": code}, follow_redirects=False)


def test_a_code_pairs_once_and_only_its_hash_is_kept(app, session):
    screen, code = do_issue_code(session, "hall", COUNTY, "map", 10)
    assert len(normalise_code(code)) == 8 and "0" not in code and "I" not in code
    assert screen.code_hash == code_digest(code) and code not in str(screen.code_hash)
    c = TestClient(app)
    assert "配对码" in c.get("/screen").text  # the pairing form
    r = _pair(c, code.lower().replace("-", " "))  # as a person may type it
    assert r.status_code == 303 and r.headers["location"] == "/screen"
    cookie = r.headers["set-cookie"]
    assert "Path=/screen" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = c.get("/screen")
    assert 'id="screen-map"' in page.text and "preset-map" in page.text
    assert c.get("/screen/boundaries.geojson").json()["features"]
    again = TestClient(app)
    assert _pair(again, code).status_code == 422  # used
    assert "配对码有误" in _pair(again, code).text
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == "hall"))
    assert {"screen.code", "screen.pair"} <= set(actions)


def test_an_expired_code_is_refused(app, session):
    screen, code = do_issue_code(session, "hall", COUNTY, "standard", 10)
    screen.code_expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert _pair(TestClient(app), code).status_code == 422


def test_revoking_ends_the_screen_at_once(app, session, paired):
    raw = paired("hall")
    c = TestClient(app, cookies={SCREEN_COOKIE: raw})
    assert c.get("/screen/boundaries.geojson").status_code == 200
    screen = screen_named(session, "hall")
    assert screen is not None
    do_revoke(session, screen, actor=None)
    assert c.get("/screen/boundaries.geojson").status_code == 401
    assert c.get("/screen/events").status_code == 401
    assert "配对码" in c.get("/screen").text  # back to the pairing form


def test_pairing_again_replaces_the_old_session(app, session, paired):
    old = paired("hall")
    new = paired("hall")
    assert TestClient(app, cookies={SCREEN_COOKIE: old}).get("/screen/events").status_code == 401
    assert TestClient(app, cookies={SCREEN_COOKIE: new}).get("/screen/events").status_code == 200


def test_guesses_are_rate_limited_per_address(app, session):
    _, code = do_issue_code(session, "hall", COUNTY, "standard", 10)
    c = TestClient(app)
    assert [_pair(c, "AAAA-AAAA").status_code for _ in range(4)] == [422] * 4
    r = _pair(c, code)  # even the right code, over the limit (settings: 4 per 600 s)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    denied = select(AuditEntry).where(
        AuditEntry.action == "screen.pair", AuditEntry.result == "denied"
    )
    rows = session.scalars(denied).all()
    assert len(rows) == 4 and all("AAAA" not in str(r.details) for r in rows)


def test_a_pairing_sent_from_another_site_is_refused(app, session):
    _, code = do_issue_code(session, "hall", COUNTY, "standard", 10)
    r = TestClient(app).post("/screen/pair", data={"code": code},
                             headers={"Sec-Fetch-Site": "cross-site"})  # fmt: skip
    assert r.status_code == 403
    assert session.scalars(select(Screen.session_hash)).one() is None


def test_the_admin_page_lists_the_subtree_sets_the_preset_and_revokes(
    client_as, session, paired, users
):
    paired("hall")
    do_issue_code(session, "liuhe", OTHER_TOWNSHIP, "standard", 10)
    admin = client_as("admin")  # posted at the county: sees both
    page = admin.get("/admin/screens").text
    assert "hall" in page and "liuhe" in page
    r = admin.post("/admin/screens/hall/preset", data={"preset": "figures"},
                   follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert admin.post("/admin/screens/hall/preset", data={"preset": "x"}).status_code == 422
    assert admin.post("/admin/screens/hall/revoke", follow_redirects=False).status_code == 303
    screen = screen_named(session, "hall")
    assert screen is not None
    session.refresh(screen)
    assert screen.preset == "figures" and screen.revoked_at and screen.session_hash is None
    assert admin.post("/admin/screens/nothing/revoke").status_code == 404
    assert client_as("zhao").get("/admin/screens").status_code == 403


def test_the_admin_page_pairs_within_the_subtree_only_and_shows_the_code_once(
    app, session, client_as
):
    admin = client_as("admin")  # posted at the county
    form = {"name": "qs-hall", "jurisdiction": "990101002000", "preset": "map"}
    r = admin.post("/admin/screens/pair", data=form)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    screen = screen_named(session, "qs-hall")
    assert screen is not None and screen.preset == "map" and screen.code_hash
    shown = re.search(r'id="issued-code">([A-Z0-9-]+)<', r.text)
    assert shown and code_digest(shown.group(1)) == screen.code_hash
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "screen.code")).all()
    assert audit[-1].object_id == "qs-hall" and audit[-1].actor_id is not None
    assert "issued-code" not in admin.get("/admin/screens").text  # shown once
    count = len(session.scalars(select(Screen)).all())
    for data in ({"name": "x", "jurisdiction": "990100000000"},  # the city: above the post
                 {"name": "x", "jurisdiction": "990199000000"},  # no such place
                 {"name": "a b", "jurisdiction": "990101002000"},
                 {"name": "x", "jurisdiction": "990101002000", "preset": "nope"}):  # fmt: skip
        again = admin.post("/admin/screens/pair", data=data)
        assert again.status_code == 422 and 'id="pair-error"' in again.text  # the form again
        assert f'value="{data["name"]}"' in again.text
    assert len(session.scalars(select(Screen)).all()) == count  # nothing made
    staff = client_as("zhao")  # no config.write
    assert (
        staff.post("/admin/screens/pair", data={"name": "y", "jurisdiction": COUNTY}).status_code
        == 403
    )
