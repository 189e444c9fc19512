"""A person's address on a notification channel is personal data (issue 16): sealed at rest
(AES-256-GCM, the key outside the database), shown masked on the API and the settings page,
never echoed back, re-encrypted by key rotation, encrypted for rows stored before (migration
0030_day_contact_sealed), and watched by the log capture like every sealed value."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from grassroots.crypto import keyring, load_keyring, new_key_file, retire_key_versions
from grassroots.db import alembic_config, transaction, upgrade_schema
from grassroots.notifications.delivery.contact import (
    ADDRESS_FIELD,
    mask_address,
    open_address,
    seal_address,
)
from grassroots.notifications.models import Channel, Delivery, Notification, Subscription
from grassroots.parties.actions import do_rotate_keys
from grassroots.parties.queries import key_versions_in_use
from tests.cases.sweep_support import seeded

HTML = {"accept": "text/html"}
HOOK = {"name": "县短信网关", "kind": "webhook", "url": "http://127.0.0.1:9/hook"}
MOBILE, MAIL = "13900001111", "qian.jin@example.test"
REVISION = "0030_day_contact_sealed"


def _channels(client_as) -> tuple[int, int]:
    admin = client_as("admin")
    hook = admin.post("/api/v1/notification-channels", json=HOOK).json()["id"]
    mail = admin.post("/api/v1/notification-channels", json={"name": "邮件", "kind": "email"})
    return hook, mail.json()["id"]


def test_the_address_is_stored_sealed_and_shown_masked(client_as, session, personal_data_watch):
    qian = client_as("qian")
    hook, mail = _channels(client_as)
    r = qian.put(f"/api/v1/notifications/subscriptions/{hook}",
                 json={"address": MOBILE, "kinds": ["escalated"]})  # fmt: skip
    assert r.status_code == 200 and r.json()["address_masked"] == "139****1111"
    qian.put(f"/api/v1/notifications/subscriptions/{mail}",
             json={"address": MAIL, "kinds": ["escalated"]})  # fmt: skip
    rows = session.scalars(select(Subscription).order_by(Subscription.id)).all()
    for row, clear in zip(rows, (MOBILE, MAIL), strict=True):
        assert row.address_enc is not None and clear.encode() not in row.address_enc
        assert keyring().decrypt(ADDRESS_FIELD, row.address_enc) == clear
    assert MOBILE in personal_data_watch.values  # the log watch looks for it in every line
    listed = qian.get("/api/v1/notifications/subscriptions").text
    page = qian.get("/notifications/settings", headers=HTML).text
    for shown in (listed, page):
        assert MOBILE not in shown and MAIL not in shown
        assert "139****1111" in shown and "q***@example.test" in shown


def test_a_blank_address_keeps_the_one_given_and_an_email_channel_needs_one(client_as, session):
    qian = client_as("qian")
    hook, mail = _channels(client_as)
    first = {"address": MOBILE, "kinds": ["escalated"]}
    assert qian.put(f"/api/v1/notifications/subscriptions/{hook}", json=first).status_code == 200
    more = {"address": "", "kinds": ["escalated", "deadline_red"]}
    r = qian.put(f"/api/v1/notifications/subscriptions/{hook}", json=more)
    assert r.status_code == 200 and r.json()["address_masked"] == "139****1111"
    row = session.scalars(select(Subscription)).one()
    assert open_address(row.address_enc) == MOBILE and row.kinds == ["deadline_red", "escalated"]
    none_yet = qian.put(f"/api/v1/notifications/subscriptions/{mail}",
                        json={"address": "", "kinds": ["escalated"]})  # fmt: skip
    assert none_yet.status_code == 422 and none_yet.json()["errors"][0]["field"] == "address"
    form = qian.post(f"/notifications/settings/{hook}", headers=HTML, follow_redirects=False,
                     data={"address": "", "kinds": ["escalated"]})  # fmt: skip
    assert form.status_code == 303
    session.expire_all()
    assert open_address(session.scalars(select(Subscription)).one().address_enc) == MOBILE


def test_masking_hides_all_but_a_hint():
    assert mask_address("qian.jin@example.test") == "q***@example.test"
    assert mask_address("+86 139 0000 1111") == "139****1111"
    assert mask_address("wx-qianjin") == "********in"
    assert mask_address("ab") == "****" and mask_address("") == ""


def _opt_in_with_delivery(session: Session, users, ring) -> tuple[Subscription, Delivery]:
    with transaction(session):
        channel = Channel(name="县短信网关", kind="webhook", url="http://127.0.0.1:9/hook")
        session.add(channel)
        session.flush()
        sub = Subscription(user_id=users["qian"].id, channel_id=channel.id,
                           address_enc=seal_address(MOBILE, ring), kinds=["escalated"])  # fmt: skip
        notice = Notification(user_id=users["qian"].id, kind="escalated", params={})
        session.add_all([sub, notice])
        session.flush()
        delivery = Delivery(notification_id=notice.id, channel_id=channel.id,
                            address_enc=sub.address_enc)  # fmt: skip
        session.add(delivery)
    return sub, delivery


def test_key_rotation_re_encrypts_the_addresses(session: Session, users, tmp_path: Path):
    key_file = tmp_path / "rot.key"
    new_key_file(key_file)
    sub, delivery = _opt_in_with_delivery(session, users, load_keyring(key_file))
    result = do_rotate_keys(session, key_file, users["system"])
    retire_key_versions(key_file, keep=set())  # the old key is gone: only the new one opens
    session.expire_all()
    ring = load_keyring(key_file)
    assert result.re_encrypted_fields == 2
    for blob in (sub.address_enc, delivery.address_enc):
        assert blob is not None and blob[0] == 2
        assert ring.decrypt(ADDRESS_FIELD, blob) == MOBILE
    assert key_versions_in_use(session) == {2: 2}


def test_the_migration_encrypts_stored_addresses_and_back(fresh_engine: Engine) -> None:
    users = seeded(fresh_engine)
    cfg = alembic_config(fresh_engine.url.render_as_string(hide_password=False))
    before = ScriptDirectory.from_config(cfg).get_revision(REVISION).down_revision
    assert isinstance(before, str)
    with fresh_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, before)  # the addresses in the clear, as stored before
    with fresh_engine.begin() as conn:
        conn.execute(text("INSERT INTO notification_channel (name, kind, url, active, "
                          "created_at, updated_at) VALUES ('hook', 'webhook', 'http://x/h', "
                          ":t, :n, :n)"), {"t": True, "n": "2026-12-01 00:00:00"})  # fmt: skip
        conn.execute(text("INSERT INTO notification_subscription (user_id, channel_id, address, "
                          "kinds, updated_at) VALUES (:u, 1, :a, '[]', :n)"),
                     {"u": users["qian"].id, "a": MOBILE, "n": "2026-12-01 00:00:00"})  # fmt: skip
    upgrade_schema(fresh_engine)
    with Session(fresh_engine) as session:
        row = session.scalars(select(Subscription)).one()
        assert row.address_enc is not None and open_address(row.address_enc) == MOBILE
    with fresh_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, before)
    with fresh_engine.connect() as conn:
        stored = conn.execute(text("SELECT address FROM notification_subscription")).scalar()
    assert stored == MOBILE
