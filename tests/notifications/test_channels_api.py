"""Channels (administrators), a person's own opt-in, and the outbox's delivery state over
HTTP: validation answers problem+json and changes nothing; secrets never come back."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.notifications.models import Channel, Subscription
from tests.cases.conftest import act

HOOK = {"name": "县短信网关", "kind": "webhook", "url": "https://sms.example.test/hook"}


def test_admin_creates_lists_and_switches_channels(client_as, session: Session):
    admin = client_as("admin")
    r = admin.post("/api/v1/notification-channels", json=HOOK)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["has_secret"] and len(created["secret"]) >= 32  # generated, shown once
    stored = session.get(Channel, created["id"])
    assert stored is not None and created["secret"].encode() not in (stored.secret_enc or b"")
    listed = admin.get("/api/v1/notification-channels").json()
    assert [c["name"] for c in listed] == ["县短信网关"] and "secret" not in listed[0]
    given = admin.post("/api/v1/notification-channels",
                       json={**HOOK, "name": "企业微信", "secret": "s" * 20}).json()  # fmt: skip
    assert given["secret"] is None  # a secret the admin gave is not echoed
    r = admin.patch(f"/api/v1/notification-channels/{created['id']}", json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    mail = admin.post("/api/v1/notification-channels", json={"name": "邮件", "kind": "email"})
    assert mail.status_code == 201 and mail.json()["secret"] is None


def test_bad_channels_are_refused_and_change_nothing(client_as, session: Session):
    admin = client_as("admin")
    before = session.scalar(select(func.count(Channel.id)))
    for body in (
        {"name": "x", "kind": "webhook"},  # no url
        {**HOOK, "url": "ftp://example.test/"},
        {**HOOK, "url": "javascript:alert(1)"},
        {**HOOK, "secret": "short"},
        {"name": "x", "kind": "sms"},
        {"name": " ", "kind": "email"},
        {"name": "x", "kind": "email", "url": "https://example.test/"},
        {**HOOK, "extra": 1},
    ):
        r = admin.post("/api/v1/notification-channels", json=body)
        assert r.status_code == 422, (body, r.text)
    assert admin.post("/api/v1/notification-channels", json=HOOK).status_code == 201
    r = admin.post("/api/v1/notification-channels", json=HOOK)
    assert r.status_code == 409 and r.json()["code"] == "channel_exists"
    assert session.scalar(select(func.count(Channel.id))) == before + 1
    assert admin.patch(f"/api/v1/notification-channels/{2**31}", json={}).status_code == 422
    assert admin.patch("/api/v1/notification-channels/999999", json={}).status_code == 404


def test_staff_may_not_configure_channels(client_as):
    zhao = client_as("zhao")
    assert zhao.get("/api/v1/notification-channels").status_code == 403
    assert zhao.post("/api/v1/notification-channels", json=HOOK).status_code == 403
    assert zhao.get("/api/v1/notification-deliveries").status_code == 403


def test_a_person_opts_in_to_kinds_on_an_active_channel(client_as, session: Session):
    admin, qian = client_as("admin"), client_as("qian")
    hook = admin.post("/api/v1/notification-channels", json=HOOK).json()["id"]
    mail = admin.post("/api/v1/notification-channels", json={"name": "邮件", "kind": "email"})
    mail_id = mail.json()["id"]
    mine = qian.get("/api/v1/notifications/subscriptions").json()
    assert {m["channel_id"] for m in mine} == {hook, mail_id} and not any(
        m["subscribed"] for m in mine
    )
    choice = {"address": "13900000000", "kinds": ["escalated", "deadline_red"]}
    r = qian.put(f"/api/v1/notifications/subscriptions/{hook}", json=choice)
    assert r.status_code == 200 and r.json()["kinds"] == ["deadline_red", "escalated"]
    bad = qian.put(f"/api/v1/notifications/subscriptions/{mail_id}",
                   json={"address": "not-an-address", "kinds": ["escalated"]})  # fmt: skip
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "address"
    unknown = qian.put(f"/api/v1/notifications/subscriptions/{hook}", json={"kinds": ["spam"]})
    assert unknown.status_code == 422
    admin.patch(f"/api/v1/notification-channels/{hook}", json={"active": False})
    gone = qian.put(f"/api/v1/notifications/subscriptions/{hook}", json={"kinds": []})
    assert gone.status_code == 404  # an inactive channel cannot be chosen
    rows = session.scalars(select(Subscription)).all()
    assert [(r.channel_id, r.kinds) for r in rows] == [(hook, ["deadline_red", "escalated"])]


def test_the_outbox_shows_delivery_state_to_administrators(client_as, new_case_body):
    admin, qian, zhao = client_as("admin"), client_as("qian"), client_as("zhao")
    hook = admin.post("/api/v1/notification-channels", json=HOOK).json()["id"]
    qian.put(f"/api/v1/notifications/subscriptions/{hook}",
             json={"address": "13900000000", "kinds": ["escalated"]})  # fmt: skip
    created = client_as("wang").post("/api/v1/cases", json=new_case_body).json()
    code, version = created["code"], created["version"]
    version = act(zhao, code, "accept", version).json()["version"]
    version = act(zhao, code, "escalate", version, reason="上报").json()["version"]
    assert act(zhao, code, "escalate", version, reason="上报县").status_code == 200
    page = admin.get("/api/v1/notification-deliveries").json()
    [row] = page["items"]
    assert (row["recipient"], row["case_code"], row["state"], row["attempts"]) == (
        "qian", code, "pending", 0)  # fmt: skip
    assert admin.get("/api/v1/notification-deliveries", params={"state": "sent"}).json()[
        "items"] == []  # fmt: skip
    assert admin.get("/api/v1/notification-deliveries", params={"state": "x"}).status_code == 422
    assert admin.get("/api/v1/notification-deliveries", params={"limit": 0}).status_code == 422
    html = admin.get("/admin/notifications").text
    assert "县短信网关" in html and code in html and "qian" in html
