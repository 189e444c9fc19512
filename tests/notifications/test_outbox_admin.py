"""The administrators' outbox lists every kind of delivery — notices, the 12345 replies, the
residents' SMS — with state, attempts, next try, channel and the recipient masked, filtered
by kind and state; a failed one can be retried (audited), anything else is a 409 that
changes nothing; no clear phone number is ever answered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.db import utcnow
from grassroots.notifications.actions import do_create_channel
from grassroots.notifications.delivery.contact import seal_address
from grassroots.notifications.delivery.direct import queue_direct
from grassroots.notifications.delivery.outbox import due_ids, queue_message
from grassroots.notifications.models import Delivery, DirectMessage, Notification
from grassroots.notifications.schemas import ChannelIn

PHONE, STAFF_PHONE = "13912345678", "13700001111"
API = "/api/v1"


@pytest.fixture
def outbox(session: Session, users: dict[str, User]) -> dict[str, int]:
    """One row of each kind, as the outbox job would leave them after failing receivers:
    a notice to zhao (failed), a 12345 reply (failed), an SMS (failed) and one given up."""
    now = utcnow()
    hook, _ = do_create_channel(
        session, ChannelIn(name="县短信网关", kind="webhook", url="https://sms.example.test/h"),
        actor=users["admin"],
    )  # fmt: skip
    notice = Notification(user_id=users["zhao"].id, kind="mentioned", case_code="", params={})
    session.add(notice)
    session.flush()
    to_zhao = Delivery(notification_id=notice.id, channel_id=hook.id, state="failed",
                       address_enc=seal_address(STAFF_PHONE), attempts=2, next_attempt_at=now,
                       last_error="HTTP 500", created_at=now)  # fmt: skip
    session.add(to_zhao)
    queue_message(session, hook, "hotline_reply", "GD20261009000123", {"工单编号": "x"}, now)
    sms = queue_direct(session, hook, "public_receipt", PHONE, "查询码 ABCD", now)
    gone = queue_direct(session, hook, "public_receipt", PHONE, "查询码 EFGH", now)
    session.flush()
    reply = session.scalars(select(Delivery).where(Delivery.topic == "hotline_reply")).one()
    for row in (reply, sms):
        row.state, row.attempts, row.last_error = "failed", 3, "HTTP 502"
        row.next_attempt_at = now + timedelta(minutes=8)
    gone.state, gone.attempts, gone.text_enc = "gave_up", 6, None
    session.commit()
    return {"notice": to_zhao.id, "reply": reply.id, "sms": sms.id, "gone": gone.id}


def test_every_kind_is_listed_with_the_recipient_masked(client_as, outbox) -> None:
    admin = client_as("admin")
    items = admin.get(f"{API}/notification-deliveries").json()["items"]
    by_kind = {i["kind"]: i for i in items}
    assert set(by_kind) == {"mentioned", "hotline_reply"}
    reply = by_kind["hotline_reply"]
    assert reply["subject"] == "GD20261009000123" and reply["state"] == "failed"
    assert reply["attempts"] == 3 and reply["channel"] == "县短信网关" and reply["retryable"]
    assert by_kind["mentioned"]["recipient"] == "zhao"
    assert by_kind["mentioned"]["address_masked"] == "137****1111"
    only = admin.get(f"{API}/notification-deliveries?kind=hotline_reply").json()["items"]
    assert [i["id"] for i in only] == [outbox["reply"]]
    direct = admin.get(f"{API}/notification-direct").json()["items"]
    assert [(d["id"], d["retryable"]) for d in direct] == [(outbox["gone"], False),
                                                            (outbox["sms"], True)]  # fmt: skip
    assert {d["address_masked"] for d in direct} == {"139****5678"}
    failed = admin.get(f"{API}/notification-direct?state=failed").json()["items"]
    assert [d["id"] for d in failed] == [outbox["sms"]]
    page = admin.get("/admin/notifications")
    assert page.status_code == 200
    for shown in ("GD20261009000123", "139****5678", "137****1111", "12345"):
        assert shown in page.text
    sms_only = admin.get("/admin/notifications?kind=direct&state=gave_up").text
    assert f"outbox-direct-{outbox['gone']}" in sms_only
    assert f"outbox-direct-{outbox['sms']}" not in sms_only and "GD2026" not in sms_only
    for answer in (page.text, str(items), str(direct)):
        assert PHONE not in answer and STAFF_PHONE not in answer


def test_retry_makes_a_failed_one_due_now_audited(client_as, session: Session, outbox) -> None:
    admin = client_as("admin")
    r = admin.post(f"{API}/notification-deliveries/{outbox['reply']}/retry")
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["attempts"]) == ("pending", 0)
    session.expire_all()
    assert outbox["reply"] in due_ids(session, utcnow() + timedelta(seconds=1), 50)
    r = admin.post(f"{API}/notification-direct/{outbox['sms']}/retry")
    assert r.status_code == 200 and r.json()["state"] == "pending"
    audited = session.scalars(
        select(AuditEntry.object_type).where(AuditEntry.action == "notification.retry")
    ).all()
    assert sorted(audited) == ["notification_delivery", "notification_direct"]


def test_what_cannot_be_retried_is_refused_and_changes_nothing(
    client_as, session: Session, outbox
) -> None:
    admin = client_as("admin")
    admin.post(f"{API}/notification-deliveries/{outbox['reply']}/retry")  # now pending
    again = admin.post(f"{API}/notification-deliveries/{outbox['reply']}/retry")
    assert again.status_code == 409 and again.json()["code"] == "not_retryable"
    wiped = admin.post(f"{API}/notification-direct/{outbox['gone']}/retry")
    assert wiped.status_code == 409
    session.expire_all()
    gone = session.get_one(DirectMessage, outbox["gone"])
    assert (gone.state, gone.attempts) == ("gave_up", 6)
    missing = admin.post(f"{API}/notification-direct/999999/retry")
    assert missing.status_code == 404
    form = admin.post(f"/admin/notifications/direct/{outbox['gone']}/retry",
                      follow_redirects=False)  # fmt: skip
    assert form.status_code == 303  # back to the list with the "not retried" message
    assert "not_retryable" in form.headers["set-cookie"]


def test_staff_cannot_see_or_retry_the_outbox(client_as, outbox) -> None:
    zhao = client_as("zhao")
    assert zhao.get(f"{API}/notification-direct").status_code == 403
    assert zhao.post(f"{API}/notification-deliveries/{outbox['reply']}/retry").status_code == 403
    assert zhao.get("/admin/notifications").status_code == 403
