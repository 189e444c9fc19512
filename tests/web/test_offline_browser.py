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
    expect(again.locator("#sync-queue .sync-list li")).to_have_count(0)
    assert_accessible(again)
    again.reload()  # nothing is sent twice
    again.wait_for_timeout(1500)
    assert counts(live_server, titles) == {t: (1, 1) for t in titles}


RAW_QUEUE = """async () => {
  const base = await new Promise((ok, no) => {
    const o = indexedDB.open("grassroots-field");
    o.onsuccess = () => ok(o.result);
    o.onerror = () => no(o.error);
  });
  const read = (store) => new Promise((ok) => {
    const r = base.transaction(store).objectStore(store).getAll();
    r.onsuccess = () => ok(r.result);
  });
  const records = await read("queue");
  const keys = await read("keys");
  base.close();
  const text = (b) => Array.from(new Uint8Array(b.data), (c) => String.fromCharCode(c)).join("");
  let exported = "refused";
  try { await crypto.subtle.exportKey("raw", keys[0]); exported = "exported"; }
  catch (e) { exported = e.name; }
  return {
    count: records.length,
    clear: records.map((r) => ("fields" in r) || ("title" in r)),
    raw: records.map((r) => text(r.box) + r.files.map(text).join("")).join(""),
    keys: keys.length, extractable: keys.map((k) => k.extractable), exported: exported,
  };
}"""
# What the worker keeps but for scripts and styles (the login page's own fetches refill those).
LEFT_BEHIND = """async () => {
  const kept = [];
  for (const name of await caches.keys()) {
    for (const r of await (await caches.open(name)).keys()) {
      const path = new URL(r.url).pathname;
      if (!path.startsWith("/static/")) kept.push(path);
    }
  }
  return { pages: kept, databases: (await indexedDB.databases()).map((d) => d.name) };
}"""
PROBE = (
    """(url) => fetch(url, { credentials: "same-origin" }).then((r) => r.status, () => "failed")"""
)


def keep_refused(page: Any, title: str) -> None:
    """A case kept with no signal at a point outside every grid: the server refuses it."""
    page.get_by_label("类别").select_option("neighbour")
    page.get_by_label("标题").fill(title)
    page.get_by_label("事件描述").fill("网格之外的点：" + title)
    page.locator("#f-party-0-name").fill("赵六")
    if not page.locator("#manual-place").evaluate("d => d.open"):
        page.locator("#manual-place summary").click()
    page.locator("#f-lat").fill("1.000000")
    page.locator("#f-lng").fill("1.000000")
    page.locator("#f-attachments").set_input_files(
        [{"name": "scene.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps(size=(320, 240))}]
    )
    before = int(page.locator("#sync-queue .sync-count").inner_text() or 0)
    page.get_by_role("button", name="事件登记", exact=True).click()
    expect(page.locator("#sync-queue .sync-count")).to_have_text(str(before + 1))


def test_offline_cuts_the_service_workers_own_requests_and_the_queue_holds(open_as, live_server):
    """Playwright's set_offline reaches the service worker: a boundaries request the worker
    answers network-first (not kept: another level) fails while offline, though the kept
    grid boundaries still come from its cache and the waiting case stays; online, the same
    request reaches the server."""
    wang = open_as("wang", viewport=PHONE)
    wang.goto("/cases/new")
    wang.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wang.reload()
    assert wang.evaluate("navigator.serviceWorker.controller !== null")
    probe = "/map/boundaries.geojson?level=village"
    assert wang.evaluate(PROBE, probe) == 200
    wang.context.set_offline(True)
    assert wang.evaluate(PROBE, probe + "&again=1") == "failed"  # the worker's fetch failed
    assert wang.evaluate(PROBE, "/map/boundaries.geojson?level=grid") == 200  # its cache
    title = f"离线探测 {wang.evaluate('Date.now()')}"
    keep_refused(wang, title)
    assert wang.evaluate(RAW_QUEUE)["count"] >= 1
    wang.context.set_offline(False)
    assert wang.evaluate(PROBE, probe + "&again=2") == 200
    refused = wang.locator("#sync-queue .sync-item", has_text=title)
    expect(refused).to_have_attribute("data-state", "refused", timeout=30_000)
    wang.once("dialog", lambda d: d.accept())
    refused.get_by_role("button", name="丢弃").click()
    expect(refused).to_have_count(0)


def test_waiting_cases_are_encrypted_a_refused_one_discarded_and_signing_out_clears_the_phone(
    open_as, live_server
):
    wang = open_as("wang", viewport=PHONE)
    wang.goto("/cases/new")
    wang.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wang.reload()
    stamp = wang.evaluate("Date.now()")
    titles = [f"网格外一 {stamp}", f"网格外二 {stamp}"]
    wang.context.set_offline(True)
    for title in titles:
        keep_refused(wang, title)
    raw = wang.evaluate(RAW_QUEUE)
    assert raw["count"] == 2 and raw["clear"] == [False, False]
    assert "赵六" not in raw["raw"] and "1.000000" not in raw["raw"] and "JFIF" not in raw["raw"]
    assert raw["keys"] == 1 and raw["extractable"] == [False]
    assert raw["exported"] == "InvalidAccessError"  # the key cannot be read out
    assert wang.locator("#sync-queue .sync-list").inner_text().count("等待网络") == 2

    wang.context.set_offline(False)  # both are refused by the server: each gets 丢弃
    items = wang.locator("#sync-queue .sync-item[data-state=refused]")
    expect(items).to_have_count(2, timeout=30_000)
    assert "位置不在任何网格内" in items.first.inner_text()
    screenshot(wang, "offline-refused")
    wang.set_viewport_size(PHONE)  # the screenshots leave it desktop-sized
    wang.once("dialog", lambda d: d.dismiss())  # changed my mind: it stays
    items.first.get_by_role("button", name="丢弃").click()
    expect(items).to_have_count(2)
    wang.once("dialog", lambda d: d.accept())
    items.first.get_by_role("button", name="丢弃").click()
    expect(items).to_have_count(1)
    assert wang.evaluate(RAW_QUEUE)["count"] == 1
    assert_accessible(wang)

    asked: list[str] = []
    assert "/cases/new" in wang.evaluate(LEFT_BEHIND)["pages"]
    wang.get_by_role("button", name="菜单").click()
    wang.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    wang.get_by_role("button", name="退出登录").click()
    wang.wait_for_timeout(500)
    assert asked and asked[0].startswith("本机还有 1 件")
    assert "/cases/new" in wang.url and wang.evaluate(RAW_QUEUE)["count"] == 1  # still here
    wang.once("dialog", lambda d: d.accept())
    wang.get_by_role("button", name="退出登录").click()
    wang.wait_for_url("**/login**")
    assert wang.evaluate(LEFT_BEHIND) == {"pages": [], "databases": []}
    with Session(live_server.engine) as s:
        assert s.scalar(select(func.count()).where(Case.title.in_(titles))) == 0
