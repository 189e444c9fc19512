"""Offline registration on a phone (issue 20): with the network cut, two cases with photos
are kept on the phone; the page is closed and opened again (from the service worker's
cache); when the network returns both are sent, each exactly once, with its photo."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.cases.attachments.models import Attachment
from grassroots.cases.models import Case
from tests.cases.attachments.samples import photo_with_gps
from tests.web.browser_support import assert_accessible, screenshot
from tests.web.conftest import PHONE
from tests.web.test_field_register_browser import in_wangs_grid

pytestmark = pytest.mark.browser


def keep_offline(page: Any, title: str, point: dict[str, float], colour: int) -> None:
    page.get_by_label("类别").select_option("neighbour")
    page.get_by_label("标题").fill(title)
    page.get_by_label("事件描述").fill("无信号的村里登记：" + title)
    page.locator("#f-party-0-name").fill("王五")
    if not page.locator("#manual-place").evaluate("d => d.open"):
        page.locator("#manual-place summary").click()
    page.locator("#f-lat").fill(f"{point['latitude']:.6f}")
    page.locator("#f-lng").fill(f"{point['longitude']:.6f}")
    page.wait_for_selector("#located strong")  # from the grids kept on the phone
    assert "本机定位" in page.locator("#located").inner_text()
    photo = photo_with_gps(size=(400 + colour, 300))
    page.locator("#f-attachments").set_input_files(
        [{"name": "scene.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    before = int(page.locator("#sync-queue .sync-count").inner_text() or 0)
    page.get_by_role("button", name="事件登记", exact=True).click()
    expect(page.locator("#sync-queue .sync-count")).to_have_text(str(before + 1))


def counts(live_server: Any, titles: list[str]) -> dict[str, tuple[int, int]]:
    with Session(live_server.engine) as s:
        out = {}
        for title in titles:
            ids = s.scalars(select(Case.id).where(Case.title == title)).all()
            files = s.scalar(select(func.count()).where(Attachment.case_id.in_(ids))) if ids else 0
            out[title] = (len(ids), files or 0)
        return out


def test_two_cases_kept_offline_are_sent_once_with_their_photos(open_as, live_server):
    wang = open_as("wang", viewport=PHONE)
    context = wang.context
    wang.goto("/cases/new")
    wang.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wang.reload()  # now controlled by the service worker, the shell cached
    assert wang.evaluate("navigator.serviceWorker.controller !== null")
    point = in_wangs_grid(live_server)
    titles = [
        f"离线登记一 {wang.evaluate('Date.now()')}",
        f"离线登记二 {wang.evaluate('Date.now()')}",
    ]
    context.set_offline(True)
    for i, title in enumerate(titles):
        keep_offline(wang, title, point, i)
    assert "没有网络" in wang.locator("#sync-queue .sync-note").inner_text()
    assert wang.locator("#sync-queue .sync-list li").count() == 2
    assert counts(live_server, titles) == {t: (0, 0) for t in titles}
    wang.close()

    again = context.new_page()  # the phone was closed; opened again with no signal
    again.goto("/cases/new")
    again.wait_for_selector("#sync-queue .sync-list li")
    assert again.locator("#sync-queue .sync-list li").count() == 2
    assert "等待网络" in again.locator("#sync-queue .sync-list").inner_text()
    screenshot(again, "offline-queue")
    context.set_offline(False)
    expect(again.locator("#sync-queue .sync-done li")).to_have_count(2, timeout=60_000)
    assert again.locator("#sync-queue .sync-list li").count() == 0
    assert_accessible(again)
    again.reload()  # nothing is sent twice
    again.wait_for_timeout(1500)
    assert counts(live_server, titles) == {t: (1, 1) for t in titles}
