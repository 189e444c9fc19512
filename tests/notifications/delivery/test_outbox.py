"""The outbox end to end on a committed database (SQLite and PostgreSQL): a notice reaches a
local SMTP sink and a local webhook receiver over the channels its recipient opted into,
signed; a receiver that fails is retried with backoff until it recovers, or given up; two
drains at once send each delivery once; nothing personal leaves."""

from __future__ import annotations

import hashlib
import hmac
import threading
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.cases import actions as act
from grassroots.cases import schemas as s
from grassroots.config import Settings
from grassroots.notifications.actions import do_create_channel, do_subscribe
from grassroots.notifications.jobs import drain_with
from grassroots.notifications.models import Channel, Delivery
from grassroots.notifications.schemas import ChannelIn, SubscriptionIn
from tests.cases.sweep_support import at, seeded, user, village_case
from tests.notifications.receivers import Receiver, smtp_sink, webhook_receiver

SECRET = "county-webhook-secret-0123456789"
PERSONAL = ("张三", "李四", "13800138000", "排水")


def world(engine: Engine, hook_url: str, *, email: bool = True) -> None:
    """Channels (an e-mail one, a webhook), qian opted in to escalations on both."""
    seeded(engine)
    with Session(engine, expire_on_commit=False) as session:
        admin, qian = user(session, "admin"), user(session, "qian")
        hook, _ = do_create_channel(
            session,
            ChannelIn(name="县短信网关", kind="webhook", url=hook_url, secret=SECRET),
            actor=admin,
        )
        do_subscribe(
            session, qian, hook, SubscriptionIn(address="13900000000", kinds=["escalated"])
        )
        if email:
            mail, _ = do_create_channel(session, ChannelIn(name="邮件", kind="email"), actor=admin)
            choice = SubscriptionIn(address="qian@example.test", kinds=["escalated"])
            do_subscribe(session, qian, mail, choice)


def escalate_to_county(engine: Engine, day: str = "2026-03-02") -> str:
    with Session(engine, expire_on_commit=False) as session:
        code = village_case(session, {}, day)
        zhao = user(session, "zhao")
        for hour in (4, 5):
            act.do_escalate(session, code, s.Escalate(reason="上报"), actor=zhao, now=at(day, hour))
    return code


def settings(tmp_path, smtp_port: int = 1, **more) -> Settings:
    return Settings(data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=smtp_port,
                    notify_retry_seconds=60, notify_max_attempts=4, **more)  # fmt: skip


def states(engine: Engine) -> list[tuple[str, int]]:
    with Session(engine) as session:
        rows = session.scalars(select(Delivery).order_by(Delivery.id)).all()
        return [(d.state, d.attempts) for d in rows]


def test_a_notice_goes_out_by_email_and_signed_webhook(fresh_engine: Engine, tmp_path):
    with smtp_sink() as sink, webhook_receiver(Receiver()) as hook:
        world(fresh_engine, hook.url)
        code = escalate_to_county(fresh_engine)
        assert states(fresh_engine) == [("pending", 0), ("pending", 0)]
        now = at("2026-03-02", 6)
        summary = drain_with(fresh_engine, now, settings(tmp_path, sink.port))
        assert summary["sent"] == 2 and summary["failed"] == 0
        assert states(fresh_engine) == [("sent", 1), ("sent", 1)]
        # again: nothing is due
        assert drain_with(fresh_engine, now, settings(tmp_path, sink.port))["sent"] == 0

    [mail] = sink.mails
    assert mail["X-Envelope-To"] == "qian@example.test" and code in mail["Subject"]
    text = mail.get_payload(decode=True).decode()
    assert code in text and "上报至" in text and f"/cases/{code}" in text
    [(headers, body)] = hook.requests
    stamp = headers["X-Grassroots-Timestamp"]
    assert stamp == str(int(now.timestamp()))
    expected = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    assert headers["X-Grassroots-Signature"] == "sha256=" + expected.hexdigest()
    [payload] = hook.bodies()
    assert payload["case_code"] == code and payload["kind"] == "escalated"
    assert payload["username"] == "qian" and payload["address"] == "13900000000"
    for leaving in (text, body.decode()):
        assert not any(p in leaving for p in PERSONAL), leaving


def test_a_failing_receiver_is_retried_with_backoff_until_it_recovers(fresh_engine, tmp_path):
    with webhook_receiver(Receiver(fail_first=2)) as hook:
        world(fresh_engine, hook.url, email=False)
        escalate_to_county(fresh_engine)
        t0 = at("2026-03-02", 6)
        conf = settings(tmp_path)
        assert drain_with(fresh_engine, t0, conf)["failed"] == 1
        assert states(fresh_engine) == [("failed", 1)]
        with Session(fresh_engine) as session:
            delivery = session.scalars(select(Delivery)).one()
            assert delivery.next_attempt_at == t0 + timedelta(seconds=60)
            assert delivery.last_error == "HTTP 500"
        assert drain_with(fresh_engine, t0 + timedelta(seconds=30), conf)["failed"] == 0  # not due
        t1 = t0 + timedelta(seconds=60)
        assert drain_with(fresh_engine, t1, conf)["failed"] == 1
        with Session(fresh_engine) as session:
            assert session.scalars(select(Delivery)).one().next_attempt_at == t1 + timedelta(
                seconds=120
            )
        assert drain_with(fresh_engine, t1 + timedelta(seconds=119), conf)["sent"] == 0
        assert drain_with(fresh_engine, t1 + timedelta(seconds=120), conf)["sent"] == 1
        assert states(fresh_engine) == [("sent", 3)]
        assert len(hook.requests) == 3


def test_a_receiver_that_never_recovers_is_given_up(fresh_engine: Engine, tmp_path):
    with webhook_receiver(Receiver(fail_first=-1)) as hook:
        world(fresh_engine, hook.url, email=False)
        escalate_to_county(fresh_engine)
        moment: datetime = at("2026-03-02", 6)
        conf = settings(tmp_path)
        for _ in range(4):
            drain_with(fresh_engine, moment, conf)
            moment += timedelta(hours=2)
        assert states(fresh_engine) == [("gave_up", 4)]
        assert drain_with(fresh_engine, moment, conf)["gave_up"] == 0  # never tried again
        assert len(hook.requests) == 4


def test_an_unreachable_smtp_server_fails_the_delivery_with_its_error(fresh_engine, tmp_path):
    with webhook_receiver(Receiver()) as hook:
        world(fresh_engine, hook.url)
        escalate_to_county(fresh_engine)
        summary = drain_with(fresh_engine, at("2026-03-02", 6), settings(tmp_path, smtp_port=1))
    assert (summary["sent"], summary["failed"]) == (1, 1)
    with Session(fresh_engine) as session:
        mail = session.scalars(select(Delivery).join(Channel).where(Channel.kind == "email")).one()
        assert mail.state == "failed" and mail.last_error.startswith("ConnectionRefusedError")


def test_two_drains_at_once_send_each_delivery_once(fresh_engine: Engine, tmp_path):
    with webhook_receiver(Receiver(delay=0.05)) as hook:
        world(fresh_engine, hook.url, email=False)
        codes = {escalate_to_county(fresh_engine) for _ in range(6)}
        conf, now = settings(tmp_path), at("2026-03-02", 6)
        results: list[dict] = []
        runs = [threading.Thread(target=lambda: results.append(drain_with(fresh_engine, now, conf)))
                for _ in range(2)]  # fmt: skip
        for run in runs:
            run.start()
        for run in runs:
            run.join()
    assert sum(r["sent"] for r in results) == 6
    assert sorted(b["case_code"] for b in hook.bodies()) == sorted(codes)
    assert states(fresh_engine) == [("sent", 1)] * 6


def test_a_run_that_dies_while_sending_is_retried_after_its_lease(fresh_engine, tmp_path):
    from grassroots.db import make_session_factory
    from grassroots.notifications.delivery.outbox import LEASE, claim

    with webhook_receiver(Receiver()) as hook:
        world(fresh_engine, hook.url, email=False)
        escalate_to_county(fresh_engine)
        t0, conf = at("2026-03-02", 6), settings(tmp_path)
        with make_session_factory(fresh_engine)() as session:
            [delivery_id] = session.scalars(select(Delivery.id)).all()
            assert claim(session, delivery_id, t0, conf.base_url) is not None  # then "dies"
        assert states(fresh_engine) == [("pending", 1)]
        assert drain_with(fresh_engine, t0, conf)["sent"] == 0  # leased: nobody takes it
        assert drain_with(fresh_engine, t0 + LEASE, conf)["sent"] == 1
        assert states(fresh_engine) == [("sent", 2)] and len(hook.requests) == 1
