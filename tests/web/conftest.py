"""Browser tests: a real uvicorn server on 127.0.0.1 and Debian's chromium driven by Playwright.

The server runs in a thread of the test process against its own fresh database with the demo
geography and staff. `live_server` is parametrised like `engine` in tests/conftest.py: every
browser test runs twice, on a SQLite file and on a temporary PostgreSQL database (skipped with
the reason outside CI when there is no PostgreSQL, an error under CI=true). Each is started
once per test session (pytest groups the tests by database) and the one chromium is shared.
Every page is opened in a context that refuses (and records) any
request to a host other than the server, and records JavaScript errors and violations of the
Content-Security-Policy (web/headers.py); each fails the test.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest
import uvicorn
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from grassroots.app import create_app
from grassroots.config import Settings
from grassroots.db import make_engine
from grassroots.demo.build import build_demo_geography
from grassroots.demo.staff import DEMO_PASSWORDS
from tests.support.databases import new_database_url
from tests.web.buttons import PRESSED, PRESSED_BY, watch_presses
from tests.web.stalls import SERVER_ENGINES, stall_report

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LIVE_DATABASES = os.environ.get("GRASSROOTS_TEST_DATABASES", "sqlite,postgresql").split(",")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    engine: Engine
    db: str = "sqlite"  # "sqlite" or "postgresql"


# origin ("http://127.0.0.1:port") → database kind of the live server there: screenshots are
# filed per database (browser_support.screenshot) and TOTP recovery codes kept per server.
SERVER_DATABASES: dict[str, str] = {}


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="session")
def live_servers() -> Iterator[tuple[ExitStack, dict[str, LiveServer]]]:
    """The live servers of this test process, one per kind, kept for the whole session (so
    that switching `live_server`'s parameter under xdist's scheduling costs nothing)."""
    with ExitStack() as stack:
        yield stack, {}


@pytest.fixture(scope="session", params=LIVE_DATABASES)
def live_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    live_servers: tuple[ExitStack, dict[str, LiveServer]],
) -> LiveServer:
    """uvicorn serving the app on a free local port, on a fresh demo database of each kind
    (SQLite, PostgreSQL), one per kind for the whole session."""
    kind: str = request.param
    stack, servers = live_servers
    if kind not in servers:
        data = tmp_path_factory.mktemp(f"live-{kind}")
        # a copy of the process's migrated template (skips outside CI, and fails under
        # CI=true, when there is no PostgreSQL — tests/conftest.py)
        url = new_database_url(kind, data, stack, request, "live")
        engine = make_engine(url)
        stack.callback(engine.dispose)  # before the temporary database is dropped
        with Session(engine, expire_on_commit=False) as session:
            build_demo_geography(session)
        settings = Settings(data_dir=data, database_url=url)
        app = create_app(settings, engine=engine)
        servers[kind] = stack.enter_context(contextmanager(_serve)(app, engine, kind))
    return servers[kind]


def _serve(app: object, engine: Engine, kind: str) -> Iterator[LiveServer]:
    port = free_port()
    # log_config=None: uvicorn must not reconfigure logging (dictConfig would close the
    # handlers of the suite's personal-data log watch, tests/audit/logcapture.py).
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    url = f"http://127.0.0.1:{port}"
    SERVER_DATABASES[url] = kind
    SERVER_ENGINES[url] = engine
    yield LiveServer(url, engine, kind)
    SERVER_DATABASES.pop(url, None)
    SERVER_ENGINES.pop(url, None)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: install Debian's chromium (system-packages.txt)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Guard:
    """What a page did that it must not: outside requests and script errors."""

    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)  # Content-Security-Policy violations

    def check(self) -> None:
        assert not self.external, f"requests to outside hosts: {self.external}"
        assert not self.errors, f"JavaScript errors: {self.errors}"
        assert not self.csp, f"Content-Security-Policy violations: {self.csp}"


# Runs in every document before its own scripts (Playwright's init scripts are not subject
# to the page's CSP) and reports each violation to the test.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (e) => {
    window.reportCspViolation(`${document.location.pathname}: ${e.violatedDirective} ` +
        `blocked ${e.blockedURI || "inline"} (${e.sourceFile || ""}:${e.lineNumber || 0})`);
});"""


def watch_csp(context, guard: Guard) -> None:  # type: ignore[no-untyped-def]
    """Record the context's CSP violations in guard.csp: the securitypolicyviolation events
    and chromium's console errors that name the policy (call before opening pages)."""
    context.expose_function("reportCspViolation", lambda text: guard.csp.append(str(text)))
    context.add_init_script(CSP_LISTENER)
    watch_presses(context)  # and the buttons pressed (tests/web/buttons.py)


def watch_console(page, guard: Guard) -> None:  # type: ignore[no-untyped-def]
    def console(message) -> None:  # type: ignore[no-untyped-def]
        if message.type == "error" and "Content Security Policy" in message.text:
            guard.csp.append(f"console: {message.text}")

    page.on("console", console)


def _guard_context(context, guard: Guard) -> None:  # type: ignore[no-untyped-def]
    def route(route, request):  # type: ignore[no-untyped-def]
        host = urlsplit(request.url).hostname or ""
        if request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            guard.external.append(request.url)
            route.abort()

    context.route("**/*", route)


# (server origin, username) → unused recovery codes, for roles that enrolled a second factor
# on that server in this run (each database has its own accounts)
RECOVERY_CODES: dict[tuple[str, str], list[str]] = {}


def log_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    """Through the login form, with the demo password. Roles that must use TOTP enrol on
    their first login (keeping the recovery codes) and give a recovery code later."""
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    try:
        page.wait_for_load_state()
    except PlaywrightTimeout:  # CI waited here in vain once (PostgreSQL): say what the server did
        report = stall_report(origin_of(page.url))
        raise AssertionError(f"log-in as {username} stalled at {page.url}\n{report}") from None
    key = (origin_of(page.url), username)
    if page.url.split("?")[0].endswith("/login/totp/enrol"):
        page.get_by_role("button", name="开始绑定").click()
        secret = page.locator("code").first.inner_text()
        page.get_by_label("动态口令").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="确认绑定").click()
        RECOVERY_CODES[key] = page.locator(".recovery-codes code").all_inner_texts()
        page.get_by_role("link", name="继续").click()
    elif page.url.split("?")[0].endswith("/login/totp"):
        page.get_by_label("动态口令").fill(RECOVERY_CODES[key].pop())
        page.get_by_role("button", name="验证").click()
    assert "/login" not in page.url, f"login as {username} failed: {page.url}"


# (server origin, username) → the cookies of a signed-in session of that user on that server:
# later tests resume it instead of going through the login form (and the second factor) again
SIGNED_IN: dict[tuple[str, str], list[Any]] = {}


def _resume(context, key: tuple[str, str]) -> bool:  # type: ignore[no-untyped-def]
    """Give the context the user's earlier session if the server still accepts it as fully
    signed in (a test may have ended it: disabled the user, reset a password or a factor)."""
    cookies = SIGNED_IN.get(key)
    if cookies is None:
        return False
    context.add_cookies(cookies)
    me = context.request.get("/api/v1/auth/me")
    if me.ok and me.json().get("second_factor") is None:
        return True
    context.clear_cookies()
    return False


@pytest.fixture
def open_as(browser, live_server: LiveServer) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    """open_as("wang") → a Playwright page signed in as the seed user, desktop-sized (through
    the login form the first time on each server, then by resuming that session)."""
    contexts = []
    guards: list[Guard] = []

    def make(username: str, viewport: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
        guard = Guard()
        context = browser.new_context(
            viewport=viewport or DESKTOP,
            base_url=live_server.url,
            locale="zh-CN",
        )
        _guard_context(context, guard)
        watch_csp(context, guard)
        page = context.new_page()
        page.on("pageerror", lambda exc: guard.errors.append(str(exc)))
        watch_console(page, guard)
        contexts.append(context)
        guards.append(guard)
        key = (live_server.url, username)
        if not _resume(context, key):
            log_in(page, username)
            SIGNED_IN[key] = context.cookies()
        return page

    yield make
    for context in contexts:
        context.close()
    for guard in guards:
        guard.check()


# Set to a file to append what each browser test pressed (one JSON line per test): the
# material for PRESSED_BY in tests/web/buttons.py.
PRESS_LOG = os.environ.get("GRASSROOTS_PRESS_LOG", "")


@pytest.fixture(autouse=True)
def pressed_buttons(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each browser test: every button tests/web/buttons.py says it presses was
    pressed in it (the registry's claims are checked, not trusted)."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    PRESSED.clear()
    yield
    test = f"{request.node.path.name}::{request.node.originalname}"
    if PRESS_LOG:
        with open(PRESS_LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({"test": test, "pressed": sorted(set(PRESSED))}) + "\n")
    claimed = {key for key, by in PRESSED_BY.items() if by == test}
    missing = sorted(claimed - set(PRESSED))
    assert not missing, f"{test} no longer presses {missing} (tests/web/buttons.py)"
