"""The 12345 reply (办结反馈) posted to the hotline platform through the notification outbox,
end to end on a committed database (SQLite and PostgreSQL): orders imported by the real CLI,
staff resolve and follow up, the real job runner queues and sends; a local receiver that
fails twice and then recovers gets the reply signed, retried with backoff, with the order
number as its idempotency key; a rating after the follow-up re-sends the same order's reply;
replaying the jobs sends nothing twice."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.links.actions import do_merge_cases
from grassroots.cases.models import Case
from grassroots.cases.schemas import Assign, FollowUp, Merge, Resolve
from grassroots.cases.workflow.actions import do_accept, do_resolve
from grassroots.cases.workflow.closing import do_follow_up
from grassroots.cases.workflow.routing import do_assign
from grassroots.config import get_settings
from grassroots.db import make_session_factory, utcnow, writer_engine
from grassroots.errors import Problem
from grassroots.hotline.models import HotlineOrder
from grassroots.jobs.registry import run_jobs
from grassroots.notifications.actions import do_create_channel, do_mark_all_read
from grassroots.notifications.models import Delivery
from grassroots.notifications.schemas import ChannelIn
from tests.hotline.test_hotline import _json, county, orders, run  # noqa: F401 (fixture)
from tests.notifications.receivers import Receiver, webhook_receiver

SECRET = "hotline-platform-secret-0123456789"
CHANNEL = "12345热线平台"
JOBS = ["hotline_replies", "notification_outbox"]


@pytest.fixture
def platform(county: Engine, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    """A receiver that fails twice then recovers, configured as the reply channel."""
    monkeypatch.setenv("GRASSROOTS_HOTLINE_REPLY_CHANNEL", CHANNEL)
    monkeypatch.setenv("GRASSROOTS_NOTIFY_RETRY_SECONDS", "60")
    get_settings.cache_clear()
    with webhook_receiver(Receiver(fail_first=2)) as hook:
        with make_session_factory(writer_engine(county))() as s:
            admin = s.scalars(select(User).where(User.username == "admin")).one()
            channel = ChannelIn(name=CHANNEL, kind="webhook", url=hook.url, secret=SECRET)
            do_create_channel(s, channel, actor=admin)
        yield hook
    get_settings.cache_clear()


def _act(engine: Engine, order_no: str, *, follow_up: bool = False) -> None:
    with make_session_factory(writer_engine(engine))() as s:
        order = s.scalars(select(HotlineOrder).where(HotlineOrder.order_no == order_no)).one()
        case = s.get_one(Case, order.case_id)
        zhao = s.scalars(select(User).where(User.username == "zhao")).one()
        if follow_up:
            visit = FollowUp(performance="performed", satisfaction="basically_satisfied",
                             remaining_risk="none")  # fmt: skip
            do_follow_up(s, case.code, visit, actor=zhao, expected_version=case.version)
            return
        do_accept(s, case.code, actor=zhao, expected_version=case.version)
        do_assign(s, case.code, Assign(mediator="li"), actor=zhao, expected_version=case.version)
        do_resolve(s, case.code, Resolve(outcome_note="已约谈楼上住户，噪音问题解决"),
                   actor=zhao, expected_version=case.version)  # fmt: skip


def _deliveries(engine: Engine) -> list[tuple[str, int, str]]:
    with Session(engine) as s:
        rows = s.scalars(select(Delivery).order_by(Delivery.id)).all()
        return [(d.state, d.attempts, d.dedupe_key or "") for d in rows]


def _jobs(engine: Engine, at) -> dict[str, dict]:  # type: ignore[no-untyped-def,type-arg]
    outcomes = run_jobs(engine, at, only=JOBS)
    assert all(o.ok for o in outcomes), outcomes
    return {o.name: dict(o.summary) for o in outcomes}


def _signed(headers: dict[str, str], body: bytes) -> bool:
    stamp = headers["X-Grassroots-Timestamp"]
    mac = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-Grassroots-Signature"], f"sha256={mac}")


def test_the_reply_reaches_a_failing_platform_once_it_recovers(
    county: Engine,  # noqa: F811
    platform: Receiver,
    tmp_path: Path,
):
    assert run("hotline", "import", str(_json(tmp_path / "o.json", orders(county)))).exit_code == 0
    first = "GD20261009000123"
    t0 = utcnow() + timedelta(minutes=1)
    assert _jobs(county, t0)["hotline_replies"]["queued"] == 0  # nothing has ended yet
    _act(county, first)
    key = f"hotline_reply:{first}"
    # Queued by the resolving action itself, in its transaction: no job has run yet.
    assert _deliveries(county) == [("pending", 0, key)]
    ran = _jobs(county, t0)  # the sweep finds nothing more to queue; the outbox sends
    assert ran["hotline_replies"]["queued"] == 0 and ran["notification_outbox"]["failed"] == 1
    assert _deliveries(county) == [("failed", 1, key)]
    # Again at once: nothing new to queue, and the retry is not due before the backoff.
    ran = _jobs(county, t0)
    assert ran["hotline_replies"]["queued"] == 0 and ran["notification_outbox"]["sent"] == 0
    assert len(platform.requests) == 1
    _jobs(county, t0 + timedelta(seconds=61))  # the second attempt fails too; wait doubles
    assert _deliveries(county) == [("failed", 2, key)]
    assert _jobs(county, t0 + timedelta(seconds=61 + 100))["notification_outbox"]["sent"] == 0
    assert _jobs(county, t0 + timedelta(seconds=61 + 121))["notification_outbox"]["sent"] == 1
    assert _deliveries(county) == [("sent", 3, key)]
    assert len(platform.requests) == 3
    for headers, body in platform.requests:  # every attempt signed, keyed by the order
        assert _signed(headers, body) and headers["Idempotency-Key"] == first
    reply = platform.bodies()[-1]
    assert reply["工单编号"] == first and reply["群众评价"] == ""
    assert reply["办理结果"].startswith("已办结") and "噪音问题解决" in reply["办理结果"]
    assert reply["办结时间"] and reply["要求反馈时间"] == "2026-10-16"
    # The follow-up's rating changes the reply: the same order's delivery goes out again.
    _act(county, first, follow_up=True)
    assert _deliveries(county) == [("pending", 0, key)]  # re-queued by the follow-up itself
    t1 = t0 + timedelta(minutes=10)
    ran = _jobs(county, t1)
    assert ran["hotline_replies"]["queued"] == 0 and ran["notification_outbox"]["sent"] == 1
    assert _deliveries(county) == [("sent", 1, key)]  # one row per order number
    assert platform.bodies()[-1]["群众评价"] == "基本满意"
    assert platform.requests[-1][0]["Idempotency-Key"] == first
    # Replayed: nothing is queued or sent twice.
    ran = _jobs(county, t1 + timedelta(hours=2))
    assert ran["hotline_replies"]["queued"] == 0 and ran["notification_outbox"]["sent"] == 0
    assert len(platform.requests) == 4
    # The file export answers the same.
    (exported,) = json.loads(run("hotline", "replies", "--since", "2026-01-01").output)
    assert exported == platform.bodies()[-1]


def test_without_a_reply_channel_the_job_does_nothing(county: Engine, tmp_path: Path):  # noqa: F811
    assert run("hotline", "import", str(_json(tmp_path / "o.json", orders(county)))).exit_code == 0
    _act(county, "GD20261009000123")
    ran = _jobs(county, utcnow())
    assert ran["hotline_replies"] == {"queued": 0, "unchanged": 0, "channel": ""}
    assert _deliveries(county) == []


def test_a_channel_name_that_is_not_configured_fails_the_job_clearly(
    county: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
):
    monkeypatch.setenv("GRASSROOTS_HOTLINE_REPLY_CHANNEL", "没有这个渠道")
    get_settings.cache_clear()
    (outcome,) = run_jobs(county, utcnow(), only=["hotline_replies"])
    assert not outcome.ok and "no webhook channel" in (outcome.error or "")
    get_settings.cache_clear()


def test_a_merged_order_is_answered_with_its_primary_case(county: Engine, tmp_path: Path):  # noqa: F811
    assert run("hotline", "import", str(_json(tmp_path / "o.json", orders(county)))).exit_code == 0
    first, second = "GD20261009000123", "GD20261009000124"
    with make_session_factory(writer_engine(county))() as s:
        by_order = {o.order_no: s.get_one(Case, o.case_id) for o in s.scalars(select(HotlineOrder))}
        zhao = s.scalars(select(User).where(User.username == "zhao")).one()
        dup = by_order[second]
        do_merge_cases(s, dup.code, Merge(primary_code=by_order[first].code), actor=zhao)
        primary_code = by_order[first].code
    # Not answered before the primary case ends...
    assert json.loads(run("hotline", "replies", "--since", "2026-01-01").output) == []
    _act(county, first)
    replies = json.loads(run("hotline", "replies", "--since", "2026-01-01").output)
    assert sorted(r["工单编号"] for r in replies) == [first, second]
    merged = next(r for r in replies if r["工单编号"] == second)
    assert merged["案件编号"] == primary_code and "合并办理" in merged["办理结果"]
    assert "噪音问题解决" in merged["办理结果"]


def test_the_primary_case_ending_queues_the_merged_orders_reply_in_its_transaction(
    county: Engine,  # noqa: F811
    platform: Receiver,
    tmp_path: Path,
):
    assert run("hotline", "import", str(_json(tmp_path / "o.json", orders(county)))).exit_code == 0
    first, second = "GD20261009000123", "GD20261009000124"
    with make_session_factory(writer_engine(county))() as s:
        by_order = {o.order_no: s.get_one(Case, o.case_id) for o in s.scalars(select(HotlineOrder))}
        zhao = s.scalars(select(User).where(User.username == "zhao")).one()
        do_merge_cases(s, by_order[second].code, Merge(primary_code=by_order[first].code),
                       actor=zhao)  # fmt: skip
    assert _deliveries(county) == []  # merged, but the primary has not ended
    _act(county, first)
    keys = [f"hotline_reply:{first}", f"hotline_reply:{second}"]
    assert _deliveries(county) == [("pending", 0, k) for k in keys]


def test_a_refused_action_queues_nothing_and_an_unchanged_reply_is_not_queued_again(
    county: Engine,  # noqa: F811
    platform: Receiver,
    tmp_path: Path,
):
    assert run("hotline", "import", str(_json(tmp_path / "o.json", orders(county)))).exit_code == 0
    first = "GD20261009000123"
    _act(county, first)
    key = f"hotline_reply:{first}"
    with make_session_factory(writer_engine(county))() as s:
        order = s.scalars(select(HotlineOrder).where(HotlineOrder.order_no == first)).one()
        case = s.get_one(Case, order.case_id)
        zhao = s.scalars(select(User).where(User.username == "zhao")).one()
        visit = FollowUp(performance="performed", satisfaction="satisfied", remaining_risk="none")
        with pytest.raises(Problem):  # a stale version: refused, rolled back
            do_follow_up(s, case.code, visit, actor=zhao, expected_version=case.version - 1)
    with Session(county) as s:
        (row,) = s.scalars(select(Delivery)).all()
        assert (row.state, row.payload["群众评价"]) == ("pending", "")  # type: ignore[index]
    _jobs(county, utcnow() + timedelta(minutes=1))  # the receiver's first failure
    with make_session_factory(writer_engine(county))() as s:
        order = s.scalars(select(HotlineOrder).where(HotlineOrder.order_no == first)).one()
        case = s.get_one(Case, order.case_id)  # loaded, ended, its reply unchanged
        zhao = s.scalars(select(User).where(User.username == "zhao")).one()
        do_mark_all_read(s, zhao)  # any other commit of a session holding the case
    assert _deliveries(county) == [("failed", 1, key)]  # not reset, not queued again


def test_a_missing_reply_channel_never_refuses_the_action(
    county: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
):
    assert run("hotline", "import", str(_json(tmp_path / "o.json", orders(county)))).exit_code == 0
    monkeypatch.setenv("GRASSROOTS_HOTLINE_REPLY_CHANNEL", "没有这个渠道")
    get_settings.cache_clear()
    try:
        _act(county, "GD20261009000123")  # resolved; the sweep job reports the name
    finally:
        get_settings.cache_clear()
    assert _deliveries(county) == []
    with Session(county) as s:
        assert s.scalars(select(Case.state).join(HotlineOrder)).all().count("resolved") == 1
