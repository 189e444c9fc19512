"""Test set-up: every database test runs on SQLite and on PostgreSQL.

A session-scoped engine per database holds the migrated schema and the seed world (the demo
county's geography, units and named staff: wang, li, zhao, sun, qian, chen, zhou, wu, admin,
security, audit). Each test gets a connection inside a transaction that is rolled back, so
tests never see each other's writes; the app under test is bound to that same connection.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pyotp
import pytest
from _pytest.nodeid import NodeId
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.authn import CSRF_COOKIE, SESSION_COOKIE
from grassroots.accounts.credentials import csrf_token_for, digest, new_session_id
from grassroots.accounts.models import AuthSession, User
from grassroots.config import get_settings
from grassroots.crypto import new_key_file
from grassroots.db import make_engine, transaction, upgrade_schema, utcnow
from grassroots.demo.build import build_demo_geography
from grassroots.demo.staff import DEMO_PASSWORDS
from tests.support.apps import app_on
from tests.support.databases import new_database_url
from tests.support.postgres import DROPPER, NoPostgres, postgres_server, temporary_database

pytest_plugins = ["tests.audit.logcapture"]  # proof: no personal data in any log line

# GRASSROOTS_TEST_DATABASES=sqlite (`make test-fast`) runs the database tests on SQLite only.
DATABASES = os.environ.get("GRASSROOTS_TEST_DATABASES", "sqlite,postgresql").split(",")

# A data folder and key file of the test run's own, before anything reads the settings.
_TEST_DATA = Path(tempfile.mkdtemp(prefix="grassroots-test-"))
os.environ["GRASSROOTS_DATA_DIR"] = str(_TEST_DATA)
os.environ.pop("GRASSROOTS_DATABASE_URL", None)
os.environ.pop("GRASSROOTS_KEY_FILE", None)
# Cheap argon2 for the suite (hundreds of logins); production keeps the settings' defaults,
# which tests/accounts/test_passwords.py checks.
os.environ["GRASSROOTS_ARGON2_TIME_COST"] = "1"
os.environ["GRASSROOTS_ARGON2_MEMORY_KIB"] = "1024"
os.environ["GRASSROOTS_ARGON2_PARALLELISM"] = "1"
# Authentication's last-seen/last-used writes at once, so a test sees what its request did
# (tests/accounts/test_touches.py covers the batched writing servers use).
os.environ["GRASSROOTS_AUTH_FLUSH_SECONDS"] = "0"
new_key_file(_TEST_DATA / "keys" / "grassroots.key")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _no_postgres(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"PostgreSQL is required under CI=true: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    with ExitStack() as stack:
        try:
            url = stack.enter_context(postgres_server())
        except NoPostgres as exc:
            _no_postgres(str(exc))
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite file of this test process: new databases are copies of it."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> Iterator[str]:
    """A migrated, empty PostgreSQL database of this test process (its name holds the xdist
    worker): new databases are `CREATE DATABASE … TEMPLATE` copies of it."""
    with temporary_database(postgres_admin_url, "template") as url:
        engine = make_engine(url)
        upgrade_schema(engine)
        engine.dispose()  # a template must have no connections while it is copied
        yield url.rpartition("/")[2]


def _new_engine(kind: str, tmp: Path, stack: ExitStack, request: pytest.FixtureRequest) -> Engine:
    url = new_database_url(kind, tmp, stack, request)
    if kind == "sqlite":
        engine = make_engine(url, connect_args={"check_same_thread": False})
    else:
        engine = make_engine(url)
    stack.callback(engine.dispose)  # before the database is dropped
    return engine


class _Engines:
    """The seeded databases of this test process, one per kind, kept for the whole session:
    switching `engine`'s parameter (which xdist's scheduling does often) costs nothing."""

    def __init__(self) -> None:
        self.stack = ExitStack()
        self.by_kind: dict[str, Engine] = {}


@pytest.fixture(scope="session")
def seeded_engines() -> Iterator[_Engines]:
    engines = _Engines()
    with engines.stack:
        yield engines


@pytest.fixture(scope="session", params=DATABASES)
def engine(
    request: pytest.FixtureRequest,
    seeded_engines: _Engines,
    tmp_path_factory: pytest.TempPathFactory,
) -> Engine:
    """A migrated database with the seed world, one per kind for the whole session."""
    kind: str = request.param
    if kind not in seeded_engines.by_kind:
        folder = tmp_path_factory.mktemp(kind)
        eng = _new_engine(kind, folder, seeded_engines.stack, request)
        with Session(eng, expire_on_commit=False) as session:
            build_demo_geography(session)
        seeded_engines.by_kind[kind] = eng
    return seeded_engines.by_kind[kind]


@pytest.fixture
def fresh_engine(
    request: pytest.FixtureRequest, engine: Engine, tmp_path: Path
) -> Iterator[Engine]:
    """An empty, migrated database of the same kind, for tests that need real commits
    (several connections, concurrency, CLI). Dropped afterwards."""
    kind = "sqlite" if engine.dialect.name == "sqlite" else "postgresql"
    with ExitStack() as stack:
        yield _new_engine(kind, tmp_path, stack, request)


@pytest.fixture(scope="module")
def module_engine(
    request: pytest.FixtureRequest, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """Like fresh_engine, but one per test module: for tests that build something big once
    with real commits and then only read it."""
    kind = "sqlite" if engine.dialect.name == "sqlite" else "postgresql"
    with ExitStack() as stack:
        yield _new_engine(kind, tmp_path_factory.mktemp("module"), stack, request)


# Under --dist loadgroup the tests are handed out one at a time, alternating between the
# workers: a module-scoped fixture would be built by every worker, and so would a build
# shared by several modules. The tests that read one such build are therefore kept on one
# worker (an xdist group), the database kinds apart: both kinds can be built at once.
SHARED_BUILDS = {"demo_histories": "demo-history"}  # session-scoped builds shared by modules


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):  # drives Chromium, marked or not
            item.add_marker(pytest.mark.browser)  # (test-fast leaves it out; buttons checked)
        group = shared_build_group(item)
        if group is not None:
            keep_together(config, item, group)


def keep_together(config: pytest.Config, item: pytest.Item, group: str) -> None:
    """Put the test in the xdist group `group`. pytest-xdist (3.8) groups by appending
    "@group" to `item._nodeid`, which pytest 9.2 no longer reads (a node's id is `item._id`),
    so every xdist_group mark was silently ignored: the id is extended here instead."""
    item.add_marker(pytest.mark.xdist_group(group))
    structured = isinstance(getattr(item, "_id", None), NodeId)
    if structured and getattr(config.option, "loadgroup", False):  # an xdist worker
        item._id = NodeId.parse(f"{item.nodeid}@{group}")


def shared_build_group(item: pytest.Item) -> str | None:
    """The group of a test that reads a build made once: a SHARED_BUILDS fixture, or one of
    our module-scoped fixtures (then the group is the module), with the database kind."""
    names: list[str] = list(getattr(item, "fixturenames", ()))
    label = next((SHARED_BUILDS[n] for n in names if n in SHARED_BUILDS), None)
    if label is None and any(_ours_per_module(item, name) for name in names):
        label = item.nodeid.split("::")[0]
    if label is None:
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    kind = params.get("engine") or params.get("live_server")
    return f"{label}-{kind}" if kind else label


def _ours_per_module(item: pytest.Item, name: str) -> bool:
    info = getattr(item, "_fixtureinfo", None)  # a test function's resolved fixtures
    definitions = info.name2fixturedefs.get(name, ()) if info is not None else ()
    return any(d.scope == "module" and d.baseid.startswith("tests") for d in definitions)


class SlowFirst:
    """Tests marked slow first: under xdist the long ones then run while the short ones fill
    the other workers, instead of one of them finishing the run alone."""

    @pytest.hookimpl(trylast=True)  # after pytest's grouping by fixture parameters
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(SlowFirst(), "grassroots-slow-first")


def pytest_sessionfinish(session: pytest.Session) -> None:
    DROPPER.wait()  # the PostgreSQL databases the session dropped in the background


@pytest.fixture
def session_factory(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions bound to one connection whose outer transaction is rolled back at the end:
    an action's commit only releases a savepoint."""
    connection = engine.connect()
    outer = connection.begin()
    factory = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    try:
        yield factory
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as s:
        yield s


@pytest.fixture
def users(session: Session) -> dict[str, User]:
    return {u.username: u for u in session.scalars(select(User))}


@pytest.fixture
def app(engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path):  # type: ignore[no-untyped-def]
    return app_on(engine, session_factory, tmp_path)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as c:
        yield c


@pytest.fixture
def client_as(  # type: ignore[no-untyped-def]
    app, session_factory: sessionmaker[Session]
) -> Iterator[Callable[[str], TestClient]]:
    """client_as("zhao") → a client signed in as the seed user zhao; writes carry the
    session's CSRF token.

    Staff without a second factor get their session minted directly: the same row the
    password step writes (not its audit row), without an HTTP login and an argon2 hash per
    client. Administrators (TOTP required) go through the real endpoints: they enrol on
    their first login in a test and pass the second factor with a recovery code later. The
    accounts tests (tests/accounts/conftest.py) log everyone in through the endpoints.
    """
    yield from clients_of(app, lambda c, name, codes: sign_in(c, name, codes, session_factory))


def clients_logged_in(app) -> Iterator[Callable[[str], TestClient]]:  # type: ignore[no-untyped-def]
    """client_as through the real login endpoints for every user (the accounts tests)."""
    yield from clients_of(app, log_in)


def clients_of(app, log_in_as) -> Iterator[Callable[[str], TestClient]]:  # type: ignore[no-untyped-def]
    clients: list[TestClient] = []
    recovery_codes: dict[str, list[str]] = {}

    def make(username: str) -> TestClient:
        c = TestClient(app)
        c.__enter__()
        clients.append(c)
        log_in_as(c, username, recovery_codes)
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)


def sign_in(
    c: TestClient,
    username: str,
    recovery_codes: dict[str, list[str]],
    sessions: sessionmaker[Session],
) -> None:
    """Mint the session of a user who owes no second factor; log the others in."""
    with sessions() as db:
        user = db.scalars(select(User).where(User.username == username)).one()
        owes = user.role in get_settings().totp_required_roles or user.totp_enabled_at
    if owes:  # after closing `db`: its rollback would take the login's writes with it
        log_in(c, username, recovery_codes)
        return
    raw, now = new_session_id(), utcnow()
    with sessions() as db, transaction(db):
        user = db.scalars(select(User).where(User.username == username)).one()
        row = AuthSession(user=user, token_hash=digest(raw), created_at=now, ip="testclient")
        row.last_seen_at, row.second_factor_done = now, False
        db.add(row)
    c.cookies.set(SESSION_COOKIE, raw)
    c.cookies.set(CSRF_COOKIE, csrf_token_for(raw))
    c.headers["X-CSRF-Token"] = csrf_token_for(raw)


def log_in(c: TestClient, username: str, recovery_codes: dict[str, list[str]]) -> None:
    r = c.post(
        "/api/v1/auth/login",
        json={"username": username, "password": DEMO_PASSWORDS[username]},
    )
    assert r.status_code == 200, r.text
    me = r.json()
    csrf = me["csrf_token"]
    if me["second_factor"] == "enrol":
        secret = c.post("/api/v1/auth/totp/enrol", headers={"X-CSRF-Token": csrf}).json()["secret"]
        r = c.post(
            "/api/v1/auth/totp/confirm",
            json={"code": pyotp.TOTP(secret).now()},
            headers={"X-CSRF-Token": csrf},
        )
        assert r.status_code == 200, r.text
        recovery_codes[username] = r.json()["recovery_codes"]
        csrf = r.json()["csrf_token"]
    elif me["second_factor"] == "verify":
        code = recovery_codes[username].pop()
        r = c.post("/api/v1/auth/totp/verify", json={"code": code}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 200, r.text
        csrf = r.json()["csrf_token"]
    c.headers["X-CSRF-Token"] = csrf
