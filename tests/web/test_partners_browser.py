"""信息联通 in a real browser: the administrator adds a partner county (a bad key first: the
field says why), then disables and enables it; makes this deployment's key pair, rotates it
and registers a partner's new key; retries and cancels a document in the outbox; zhao
shares a joint case with a partner county, writes and records a session, then answers a
case the partner shared with 青石镇. Every button of these pages is pressed; the pages stay
accessible."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.models import User
from grassroots.config import get_settings
from grassroots.db import utcnow
from grassroots.federation.actions import do_add_partner, do_send_message
from grassroots.federation.models import FederationKey, FederationLink
from grassroots.federation.queries import current_key, own_code, partner_by_code
from grassroots.federation.schemas import LinkMessageIn, PartnerIn
from grassroots.federation.sending import drain
from grassroots.federation.signing import new_private_key, public_of
from tests.federation.conftest import FakePartner, shared_body
from tests.web.browser_support import assert_accessible
from tests.web.test_joint_browser import shared_case

pytestmark = pytest.mark.browser
CODE = "990177"  # unique to this module (the live server's database lives for the session)


def test_admin_adds_then_disables_and_enables_a_partner(open_as: Any) -> None:
    admin = open_as("admin")
    admin.goto("/admin/partners")
    assert admin.locator("#own-code code").inner_text().strip()
    form = admin.locator("#partner-form")
    form.get_by_label("名称").fill("邻县综治中心")
    form.get_by_label("代码").fill(CODE)
    form.get_by_label("接收地址").fill("https://linxian.example.cn")
    form.get_by_label("公钥").fill("not-a-key")
    form.get_by_role("button", name="添加联通单位").click()
    assert "Ed25519" in admin.locator("#p-public_key-error").inner_text()
    admin.locator("#p-public_key").fill(public_of(new_private_key()))
    admin.get_by_role("button", name="添加联通单位").click()
    row = admin.locator(f"#partner-{CODE}")
    assert "在用" in row.inner_text() and "脱敏" in row.inner_text()
    assert_accessible(admin)
    row.get_by_role("button", name="停用").click()
    assert "已停用" in admin.locator(f"#partner-{CODE}").inner_text()
    admin.locator(f"#partner-{CODE}").get_by_role("button", name="启用").click()
    assert "在用" in admin.locator(f"#partner-{CODE}").inner_text()


LIVE_PARTNER = "990178"
PARTNER_KEY = bytes(range(32))  # one partner for the walk and the tests, whatever their order


def live_partner(engine: Any) -> FakePartner:
    """A partner deployment registered on the live server, played by the test."""
    with Session(engine) as session:
        if partner_by_code(session, LIVE_PARTNER) is None:
            data = PartnerIn(name="邻县（浏览器）", code=LIVE_PARTNER, base_url="http://127.0.0.1:9",
                             public_key=public_of(PARTNER_KEY))  # fmt: skip
            do_add_partner(session, data, actor=None)
        return FakePartner(LIVE_PARTNER, PARTNER_KEY, own_code(session))


def partner_link(page: Any, engine: Any) -> str:
    """A partner's case shared with zhao's township through the receiving endpoint."""
    partner = live_partner(engine)
    code = f"{LIVE_PARTNER}-2026-{next(_numbers):06d}"
    raw, headers = partner.request(partner.document("joint_case.shared", code, 1, shared_body()))
    answer = page.request.post("/federation/v1/documents", data=raw, headers=headers)
    assert answer.status == 202, answer.text()
    with Session(engine) as session:
        return str(
            session.scalar(select(FederationLink.id).where(FederationLink.case_code == code))
        )


_numbers = itertools.count(int(time.time()) % 100000 * 10)


def test_zhao_shares_a_case_and_answers_a_partners_case(open_as: Any, live_server: Any) -> None:
    live_partner(live_server.engine)
    zhao = open_as("zhao")
    code = shared_case(zhao)
    zhao.goto(f"/joint/{code}")
    zhao.get_by_role("link", name="共享给联通县（区）").click()
    zhao.locator("#share-partner").select_option(LIVE_PARTNER)
    zhao.locator("#share-note").fill("请协助通知贵县牧户到场")
    zhao.get_by_role("button", name="共享给对方").click()
    zhao.wait_for_url("**/joint/partners/*")
    zhao.locator("#link-text").fill("周五到场勘界")
    zhao.get_by_role("button", name="发送给对方").click()
    assert "周五到场勘界" in zhao.locator("#timeline").inner_text()
    zhao.locator("#session-day").fill("2026-12-01")
    zhao.locator("#session-summary").fill("本方调解员走访牧户")
    zhao.get_by_role("button", name="记录调解").click()
    assert "本方调解员走访牧户" in zhao.locator("#timeline").inner_text()
    assert_accessible(zhao)
    link = partner_link(zhao, live_server.engine)
    zhao.goto("/joint")
    zhao.locator(f"#partner-case-{link} a").click()
    zhao.wait_for_url(f"**/joint/partners/{link}")
    assert "两县交界草场边界纠纷" in zhao.locator("#timeline").inner_text()
    zhao.locator("#link-text").fill("收到，我镇配合")
    zhao.get_by_role("button", name="发送给对方").click()
    assert "收到，我镇配合" in zhao.locator("#timeline").inner_text()
    assert_accessible(zhao)
    village = zhao.locator("#link-hand-place option").nth(1)  # the township's first village
    name, value = village.inner_text().strip(), village.get_attribute("value")
    zhao.locator("#link-hand-place").select_option(value)
    zhao.get_by_role("button", name="交办").click()
    expect(zhao.locator("#link-summary")).to_contain_text(name)
    assert zhao.locator("#link-hand-place").input_value() == value


def test_admin_makes_and_rotates_the_key_and_registers_a_partners_new_key(
    open_as: Any, live_server: Any
) -> None:
    live_partner(live_server.engine)
    with Session(live_server.engine) as session, session.begin():
        session.execute(delete(FederationKey))  # start without a key pair, whatever ran before
    admin = open_as("admin")
    admin.goto("/admin/partners")
    assert "尚未生成密钥对" in admin.locator("#no-key").inner_text()
    admin.get_by_role("button", name="生成密钥对").click()
    admin.wait_for_selector(".flash")
    first = admin.locator("#own-key code").inner_text().strip()
    assert len(first) == 44
    admin.get_by_role("button", name="更换密钥").click()
    admin.wait_for_selector(".flash")
    assert admin.locator("#own-key code").inner_text().strip() not in ("", first)
    form = admin.locator("#partner-key-form")
    form.locator("#k-partner").select_option(LIVE_PARTNER)
    form.get_by_label("新公钥").fill("not-a-key")
    form.get_by_role("button", name="登记新公钥").click()
    assert "Ed25519" in admin.locator("#k-new-key-error").inner_text()
    admin.locator("#k-new-key").fill(public_of(new_private_key()))
    admin.get_by_role("button", name="登记新公钥").click()
    admin.wait_for_selector(".flash")
    assert "旧公钥有效至" in admin.locator(f"#partner-{LIVE_PARTNER}").inner_text()
    assert_accessible(admin)
    with Session(live_server.engine) as session, session.begin():  # back to the walk's key
        partner = partner_by_code(session, LIVE_PARTNER)
        assert partner is not None
        partner.public_key, partner.previous_key = public_of(PARTNER_KEY), None


def failed_document(page: Any, engine: Any) -> str:
    """A message to the live partner (nobody listens at its address) that failed once;
    returns its case's code."""
    link_id = int(partner_link(page, engine))
    with Session(engine) as session:
        link = session.get_one(FederationLink, link_id)
        zhao = session.scalars(select(User).where(User.username == "zhao")).one()
        do_send_message(session, link, LinkMessageIn(text="请回电"), actor=zhao)
        signer = (own_code(session), current_key(session))
        code = link.case_code
    drain(sessionmaker(engine), utcnow(), get_settings(), signer)
    return code


def test_admin_retries_then_cancels_a_document_in_the_outbox(
    open_as: Any, live_server: Any
) -> None:
    admin = open_as("admin")
    code = failed_document(admin, live_server.engine)
    admin.goto("/admin/partners")
    admin.get_by_role("link", name="联通发件箱").first.click()
    admin.wait_for_url("**/admin/partners/outbox")
    admin.locator("#outbox-states").get_by_role("link", name="失败，将重试").click()
    admin.wait_for_url("**state=failed")
    row = admin.locator("tr[id^=outgoing-]", has_text=code)
    assert "ConnectError" in row.inner_text() and "留言" in row.inner_text()
    assert_accessible(admin)
    row.get_by_role("button", name="重试").click()
    admin.wait_for_selector(".flash")
    assert "已重新排队" in admin.locator(".flash").inner_text()
    admin.locator("tr[id^=outgoing-]", has_text=code).get_by_role("button", name="取消发送").click()
    admin.wait_for_selector(".flash")
    assert "已取消：1 份文书不再发送" in admin.locator(".flash").inner_text()
    row = admin.locator("tr[id^=outgoing-]", has_text=code)
    assert "已取消" in row.inner_text() and row.get_by_role("button").count() == 0
