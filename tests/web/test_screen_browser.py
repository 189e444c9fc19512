"""The big screen in a real browser (issue 22): paired with a one-time code, a case
registered through the API appears within 5 s, no personal data in the page or the stream,
both wall sizes without overflow, the administrator's layout and revocation reach the open
screen, and the screen survives a restart of the server process (a real `grassroots serve`).
Every context refuses requests to other hosts and fails on CSP violations (conftest)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.accounts.tokens.actions import do_create_token
from grassroots.crypto import new_key_file
from grassroots.demo.build import build_demo_geography
from grassroots.screens.actions import do_issue_code
from grassroots.screens.authn import SCREEN_COOKIE
from tests.support.places import grid_of, point_inside
from tests.web.browser_support import screenshot, serious_violations
from tests.web.conftest import Guard, _guard_context, free_port, watch_console, watch_csp

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
COUNTY = "990101000000"
WALLS = ({"width": 1920, "height": 1080}, {"width": 3840, "height": 2160})
NAME, PHONE, TITLE, ADDRESS = "司马测试", "13977776666", "司马家漏水纠纷", "长安街九十九号"
_names = iter(range(1, 10_000))


@pytest.fixture
def contexts(browser) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """contexts(base_url, viewport) → a page with nobody signed in, guarded like open_as's."""
    made: list[tuple[Any, Guard]] = []

    def make(base_url: str, viewport: dict[str, int] = WALLS[0]) -> Any:
        guard = Guard()
        context = browser.new_context(viewport=viewport, base_url=base_url, locale="zh-CN")
        _guard_context(context, guard)
        watch_csp(context, guard)
        page = context.new_page()
        page.on("pageerror", lambda exc: guard.errors.append(str(exc)))
        watch_console(page, guard)
        made.append((context, guard))
        return page

    yield make
    for context, _ in made:
        context.close()
    for _, guard in made:
        guard.check()


def _code(engine: Engine, preset: str = "standard") -> tuple[str, str]:
    name = f"wall{next(_names)}"
    with Session(engine, expire_on_commit=False) as session:
        return name, do_issue_code(session, name, COUNTY, preset, 10)[1]


def _pair(page: Any, code: str) -> None:
    page.goto("/screen")
    page.get_by_label("配对码").fill(code)
    page.get_by_role("button", name="配对").click()
    page.wait_for_selector("#screen-map path.leaflet-interactive")  # the grids are drawn
    expect(page.locator("#screen-status")).to_have_text("实时")


def _token(engine: Engine) -> str:
    with Session(engine, expire_on_commit=False) as session:
        qian = session.scalars(select(User).where(User.username == "qian")).one()
        return do_create_token(session, qian, name="screen", scopes=["case.register"],
                               actor=qian)[1]  # fmt: skip


def _register(base: str, engine: Engine, token: str) -> dict[str, Any]:
    with Session(engine) as session:
        wang = session.scalars(select(User).where(User.username == "wang")).one()
        lat, lng = point_inside(session, grid_of(session, wang))
    body = {
        "category_code": "neighbour", "source_code": "grid_patrol", "title": TITLE,
        "description": f"{NAME}家楼上漏水", "address": ADDRESS, "lat": lat, "lng": lng,
        "violence_risk": True, "parties": [{"role": "applicant", "name": NAME, "phone": PHONE}],
    }  # fmt: skip
    r = httpx.post(f"{base}/api/v1/cases", json=body, timeout=30,
                   headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert r.status_code == 201, r.text
    return dict(r.json())


def _markers(page: Any) -> int:
    return int(page.locator("#screen-map path.screen-case").count())


def _appears(page: Any, before: int) -> None:
    """A new marker within 5 s of the registration's answer."""
    expect(page.locator("#screen-map path.screen-case")).to_have_count(before + 1, timeout=5000)


def _first_snapshot(base: str, raw: str) -> str:
    with httpx.stream("GET", f"{base}/screen/events", cookies={SCREEN_COOKIE: raw},
                      timeout=30) as r:  # fmt: skip
        text = ""
        for chunk in r.iter_text():
            text += chunk
            if "event: snapshot" in text and text.endswith("\n\n"):
                return text
    return text


def _no_overflow(page: Any) -> None:
    for size in WALLS:
        page.set_viewport_size(size)
        page.wait_for_timeout(200)
        sizes = page.evaluate("""() => { const d = document.documentElement;
            return [d.scrollWidth, d.clientWidth, d.scrollHeight, d.clientHeight,
                    [...document.querySelectorAll('.screen-body > section')].filter(
                      (s) => s.scrollWidth > s.clientWidth + 1).map((s) => s.className)]; }""")
        assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3] and sizes[4] == [], (size, sizes)


def test_a_case_registered_through_the_api_appears_on_the_screen(contexts, live_server):
    engine, base = live_server.engine, live_server.url
    page = contexts(base)
    _, code = _code(engine)
    _pair(page, code)
    raw = next(c["value"] for c in page.context.cookies() if c["name"] == SCREEN_COOKIE)
    before = _markers(page)
    case = _register(base, engine, _token(engine))
    _appears(page, before)
    page.wait_for_selector(f"#screen-alerts li:has-text('{case['code']}')")
    assert page.locator("#counter-registered_today").inner_text() != "—"
    stream = _first_snapshot(base, raw)
    html = page.content()
    for secret in (NAME, PHONE, TITLE, ADDRESS, "司马"):
        assert secret not in html and secret not in stream
    assert serious_violations(page) == []
    _no_overflow(page)
    screenshot(page, "screen")


def test_admin_changes_the_layout_then_revokes_the_screen(contexts, open_as, live_server):
    wall = contexts(live_server.url)
    name, code = _code(live_server.engine)
    _pair(wall, code)
    admin = open_as("admin")
    admin.goto("/admin/screens")
    row = admin.locator(f"#screen-{name}")
    row.get_by_label(f"布局 {name}", exact=True).select_option("map")
    row.get_by_role("button", name="保存").click()
    admin.wait_for_url("**/admin/screens")
    wall.wait_for_selector("body.preset-map", timeout=5000)
    _no_overflow(wall)
    row = admin.locator(f"#screen-{name}")
    row.get_by_label(f"布局 {name}", exact=True).select_option("figures")
    row.get_by_role("button", name="保存").click()
    admin.wait_for_url("**/admin/screens")
    wall.wait_for_selector("body.preset-figures", timeout=5000)
    _no_overflow(wall)
    admin.locator(f"#screen-{name}").get_by_role("button", name="撤销").click()
    admin.wait_for_url("**/admin/screens")
    assert "已撤销" in admin.locator(f"#screen-{name}").inner_text()
    wall.wait_for_selector("#pair-code", timeout=8000)  # back to the pairing form


def test_admin_pairs_a_screen_from_the_page_and_the_code_works_once(contexts, open_as, live_server):
    admin = open_as("admin")
    admin.goto("/admin/screens")
    name = f"page{next(_names)}"
    admin.get_by_label("大屏名称").fill(name)
    admin.get_by_label("区划", exact=True).select_option("990101002000")  # a township of the county
    admin.locator("#pair-preset").select_option("map")
    admin.get_by_role("button", name="生成配对码").click()
    code = admin.locator("#issued-code").inner_text().strip()
    assert len(code) == 9 and code[4] == "-"
    assert name in admin.locator(f"#screen-{name}").inner_text()
    assert serious_violations(admin) == []
    admin.goto("/admin/screens")  # the code is shown once: not on the next view
    assert code not in admin.content()
    wall = contexts(live_server.url)
    _pair(wall, code)
    assert "preset-map" in (wall.locator("body").get_attribute("class") or "")
    other = contexts(live_server.url)
    other.goto("/screen")
    other.get_by_label("配对码").fill(code)
    other.get_by_role("button", name="配对").click()
    expect(other.locator(".pair-error")).to_be_visible()  # used


@pytest.fixture
def served(fresh_engine: Engine, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A real `grassroots serve` process on a fresh demo database, restartable on its port."""
    with Session(fresh_engine, expire_on_commit=False) as session:
        build_demo_geography(session)
    new_key_file(tmp_path / "keys" / "grassroots.key")
    env = {**os.environ, "GRASSROOTS_DATA_DIR": str(tmp_path),
           "GRASSROOTS_DATABASE_URL": fresh_engine.url.render_as_string(hide_password=False),
           "GRASSROOTS_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT / "src"),
           "GRASSROOTS_SCREEN_STREAM_SECONDS": "5"}  # fmt: skip
    port, log = free_port(), tmp_path / "serve.log"
    world: dict[str, Any] = {"url": f"http://127.0.0.1:{port}", "engine": fresh_engine}
    others: list[subprocess.Popen[bytes]] = []

    def serve(on: int) -> subprocess.Popen[bytes]:
        cmd = [sys.executable, "-c", "from grassroots.cli.main import main; main()", "serve",
               "--port", str(on)]  # fmt: skip
        with log.open("ab") as out:
            proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=out)
        _wait_up(proc, f"http://127.0.0.1:{on}", log)
        return proc

    def start() -> None:
        world["proc"] = serve(port)

    def another() -> str:
        """A second server process on the same database; its address."""
        on = free_port()
        others.append(serve(on))
        return f"http://127.0.0.1:{on}"

    world["start"], world["another"] = start, another
    start()
    try:
        yield world
    finally:  # a graceful stop with a screen still connected: its stream ends in time
        for proc in others:
            proc.kill()
        world["proc"].terminate()
        try:
            world["proc"].wait(timeout=20)
        except subprocess.TimeoutExpired:
            world["proc"].kill()
            raise AssertionError("the server did not stop within 20 s of SIGTERM") from None


def _wait_up(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert proc.poll() is None, log.read_text()[-3000:]
        time.sleep(0.2)
    raise AssertionError(f"server did not start:\n{log.read_text()[-3000:]}")


def test_the_screen_survives_a_restart_of_the_server(contexts, served):
    base, engine = served["url"], served["engine"]
    page = contexts(base)
    _, code = _code(engine)
    _pair(page, code)
    token = _token(engine)
    before = _markers(page)
    _register(base, engine, token)
    _appears(page, before)
    served["proc"].kill()  # no goodbye: the stream just drops
    served["proc"].wait(timeout=30)
    expect(page.locator("#screen-status")).not_to_have_text("实时")
    served["start"]()  # the same port
    expect(page.locator("#screen-status")).to_have_text("实时", timeout=15000)
    before = _markers(page)
    _register(base, engine, token)
    _appears(page, before)


def test_a_case_registered_through_another_process_appears(contexts, served):
    """No message passes between processes: the screen's process sees the other's case in
    the database's change stamp."""
    base, engine = served["url"], served["engine"]
    page = contexts(base)
    _, code = _code(engine)
    _pair(page, code)
    other = served["another"]()
    before = _markers(page)
    _register(other, engine, _token(engine))
    _appears(page, before)
