"""The inbox in a real browser: a mention in a note reaches li, the navigation badge shows
the unread count, and li presses 标为已读 and 全部标为已读."""

from __future__ import annotations

import time

import pytest

from tests.web.browser_support import assert_accessible, screenshot
from tests.web.test_story_browser import act, register_by_map

pytestmark = pytest.mark.browser


def test_a_mention_reaches_the_inbox_and_is_read(open_as):
    code = register_by_map(open_as("wang"))
    zhao = open_as("zhao")
    zhao.goto(f"/cases/{code}")
    act(zhao, "受理", fill={"备注": "@li 请协助调解"})
    act(zhao, "上报", fill={"理由": "村里无调解员", "备注": "@li 已上报到镇里"})

    li = open_as("li")
    li.goto("/cases")
    badge = li.locator("#unread-badge")
    badge.wait_for()
    before = int(badge.inner_text())
    assert before >= 2
    li.get_by_role("link", name="通知").first.click()
    li.wait_for_url("**/notifications")
    first = li.locator(".notice.is-unread").first
    assert code in first.inner_text() and "赵强" in first.inner_text()
    assert "张三" not in li.content() and "13800138000" not in li.content()
    assert_accessible(li)
    screenshot(li, "notifications")
    first.get_by_role("button", name="标为已读").click()
    li.wait_for_url("**/notifications")
    li.locator("#unread-badge").wait_for()
    assert int(li.locator("#unread-badge").inner_text()) == before - 1
    li.get_by_role("button", name="全部标为已读").click()
    li.wait_for_url("**/notifications")
    assert li.locator(".notice.is-unread").count() == 0
    assert "0 条未读" in li.locator("#unread-total").inner_text()
    li.locator(".notice-filter").get_by_role("link", name="未读").click()
    assert "暂无通知" in li.locator(".notice-list").inner_text()
    assert li.locator("#unread-badge").count() == 0


def test_admin_sets_up_a_webhook_and_staff_opt_in(open_as):
    admin = open_as("admin")
    admin.goto("/admin/notifications")
    admin.get_by_label("渠道名称").fill("县短信网关")
    admin.get_by_label("渠道类型").select_option("webhook")
    admin.get_by_label("Webhook 地址").fill("http://127.0.0.1:9/hook")
    admin.get_by_role("button", name="创建渠道").click()
    admin.locator("#channel-secret").wait_for()
    assert len(admin.locator("#channel-secret code").inner_text()) >= 32  # shown this once
    row = admin.locator("tr", has_text="县短信网关")
    assert "启用" in row.inner_text()
    assert_accessible(admin)
    screenshot(admin, "notification-channels")
    admin.get_by_label("渠道名称").fill("县短信网关")  # the same name again: the error
    admin.get_by_label("Webhook 地址").fill("ftp://127.0.0.1/hook")  # and a bad address
    admin.get_by_role("button", name="创建渠道").click()
    admin.locator("#channel-error").wait_for()
    assert "http(s)" in admin.locator("#channel-error").inner_text()
    assert admin.get_by_label("Webhook 地址").input_value() == "ftp://127.0.0.1/hook"  # kept
    admin.get_by_label("Webhook 地址").fill("http://127.0.0.1:9/other")
    admin.get_by_role("button", name="创建渠道").click()
    admin.locator("#channel-error").wait_for()
    assert "已存在" in admin.locator("#channel-error").inner_text()

    zhao = open_as("zhao")
    zhao.goto("/notifications")
    zhao.get_by_role("link", name="通知设置").click()
    box = zhao.locator("section", has_text="县短信网关")
    box.get_by_label("本渠道上的地址（如手机号）").fill("13900000000")
    box.get_by_label("超期").check()
    box.get_by_label("上报", exact=True).check()
    box.get_by_role("button", name="保存").click()
    zhao.wait_for_selector(".flash")
    box = zhao.locator("section", has_text="县短信网关")
    assert box.get_by_label("超期").is_checked() and not box.get_by_label("临期").is_checked()
    assert_accessible(zhao)

    admin.goto("/admin/notifications")
    admin.locator("tr", has_text="县短信网关").get_by_role("button", name="停用").click()
    admin.wait_for_selector(".flash")
    assert "已停用" in admin.locator("tr", has_text="县短信网关").inner_text()
    zhao.goto("/notifications/settings")
    assert (
        "县短信网关" not in zhao.locator("main").inner_text()
    )  # an inactive channel is not offered


def _failed_outbox(engine, tag: str) -> None:  # type: ignore[no-untyped-def]
    """A 12345 reply and an SMS to a resident that the outbox failed to send (rows as the
    job leaves them after a failing receiver)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from grassroots.accounts.models import User
    from grassroots.db import utcnow
    from grassroots.notifications.actions import do_create_channel
    from grassroots.notifications.delivery.direct import queue_direct
    from grassroots.notifications.delivery.outbox import queue_message
    from grassroots.notifications.models import Delivery
    from grassroots.notifications.schemas import ChannelIn

    with Session(engine, expire_on_commit=False) as s:
        admin = s.scalars(select(User).where(User.username == "admin")).one()
        hook, _ = do_create_channel(
            s, ChannelIn(name=f"热线平台{tag}", kind="webhook", url="http://127.0.0.1:9/h"),
            actor=admin,
        )  # fmt: skip
    with Session(engine) as s:
        now = utcnow()
        queue_message(s, hook, "hotline_reply", f"GD{tag}", {"工单编号": f"GD{tag}"}, now)
        sms = queue_direct(s, hook, "public_receipt", "13912345678", "查询码", now)
        s.flush()
        reply = s.scalars(select(Delivery).where(Delivery.dedupe_key == f"hotline_reply:GD{tag}"))
        for row in (reply.one(), sms):
            row.state, row.attempts, row.last_error = "failed", 2, "HTTP 503"
        s.commit()


def test_admin_sees_every_kind_in_the_outbox_and_retries_failed_ones(open_as, live_server):
    tag = f"{time.time_ns() % 10**12:012d}"
    _failed_outbox(live_server.engine, tag)
    admin = open_as("admin")
    admin.goto("/admin/notifications")
    admin.locator("#delivery-kinds").get_by_role("link", name="12345 办结反馈").click()
    admin.wait_for_url("**kind=hotline_reply")
    admin.locator("#delivery-states").get_by_role("link", name="失败，将重试").click()
    admin.wait_for_url("**state=failed**")
    row = admin.locator("tr[id^=outbox-delivery]", has_text=f"GD{tag}")
    assert "失败" in row.inner_text() and f"热线平台{tag}" in row.inner_text()
    assert_accessible(admin)
    row.get_by_role("button", name="重试").click()
    admin.wait_for_selector(".flash")
    assert "已重新排队" in admin.locator(".flash").inner_text()
    row = admin.locator("tr[id^=outbox-delivery]", has_text=f"GD{tag}")
    assert "待发送" in row.inner_text()
    admin.locator("#delivery-kinds").get_by_role("link", name="群众短信").click()
    admin.wait_for_url("**kind=direct")
    sms = admin.locator("tr[id^=outbox-direct]", has_text=f"热线平台{tag}")
    assert "139****5678" in sms.inner_text() and "13912345678" not in admin.content()
    sms.get_by_role("button", name="重试").click()
    admin.wait_for_selector(".flash")
    sms = admin.locator("tr[id^=outbox-direct]", has_text=f"热线平台{tag}")
    assert "待发送" in sms.inner_text() and sms.get_by_role("button").count() == 0
