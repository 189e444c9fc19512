"""The receipt code by SMS: queued with the report (same transaction) in the outbox for a
non-user address, sent by the outbox job to the county's SMS webhook, signed; the stored text
(which holds the code) is wiped once sent, and the phone is stored sealed."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from shapely import from_wkb
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.geo.models import Boundary, Jurisdiction
from grassroots.notifications.actions import do_create_channel
from grassroots.notifications.jobs import drain_with
from grassroots.notifications.models import DirectMessage
from grassroots.notifications.schemas import ChannelIn
from grassroots.residents.actions import do_report
from grassroots.residents.pow import issue, solve
from grassroots.residents.schemas import ReportIn
from tests.cases.sweep_support import seeded, user
from tests.notifications.receivers import Receiver, webhook_receiver

SECRET = "county-sms-gateway-secret-0123"


def _point(session: Session) -> tuple[float, float]:
    grid = session.scalars(
        select(Jurisdiction).where(Jurisdiction.level == "grid", Jurisdiction.valid_to.is_(None))
    ).first()
    assert grid is not None
    wkb = session.scalars(select(Boundary.wkb).where(Boundary.jurisdiction_id == grid.id)).first()
    inside = from_wkb(wkb).representative_point()
    return inside.y, inside.x


def test_the_receipt_code_goes_out_by_sms_and_is_not_kept(fresh_engine: Engine, tmp_path):
    seeded(fresh_engine)
    settings = Settings(data_dir=tmp_path, public_sms_channel="县短信网关", public_pow_bits=0)
    with webhook_receiver(Receiver()) as hook:
        with Session(fresh_engine, expire_on_commit=False) as session:
            do_create_channel(
                session,
                ChannelIn(name="县短信网关", kind="webhook", url=hook.url, secret=SECRET),
                actor=user(session, "admin"),
            )
            lat, lng = _point(session)
            data = ReportIn(description="村口路灯坏了一个月", lat=lat, lng=lng, phone="13800138000",
                            consent=True, sms=True, proof=solve(issue(0, 60)))  # fmt: skip
            _, _, code = do_report(session, data, settings)
            stored = session.scalars(select(DirectMessage)).one()
            assert b"13800138000" not in stored.address_enc and stored.state == "pending"
        now = datetime.now(UTC)
        summary = drain_with(fresh_engine, now, settings)
        assert summary["direct_sent"] == 1
        [(headers, body)] = hook.requests
    stamp = headers["X-Grassroots-Timestamp"]
    expected = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    assert headers["X-Grassroots-Signature"] == "sha256=" + expected.hexdigest()
    [payload] = hook.bodies()
    assert payload["address"] == "13800138000" and code in payload["text"]
    with Session(fresh_engine) as session:
        sent = session.scalars(select(DirectMessage)).one()
        assert sent.state == "sent" and sent.text_enc is None
