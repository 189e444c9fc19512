"""The access matrix, generated from the app's own route table.

Every route × every role (one seed user each) × anonymous, and where the route takes an
object, an object inside and one outside the acting user's scope:

  anonymous                      → 401 (PUBLIC routes: anything but 401/403)
  role lacks the route's permission → 403
  role holds it, object in scope   → allowed (2xx/3xx, or a 4xx about the input: 409, 422 ...)
  role holds it, object out of scope → 404, exactly like an object that does not exist

A screen route (a paired wall screen's own cookie, screens.authn) answers 401 to everyone
here: anonymous, every role's session and a token with stats.read (SCREEN_ROUTES).

and, with bearer tokens of a role that holds the route's permission (role ∩ token scopes):

  token with every scope of the role but that one → 403
  token with just that one, object in scope       → allowed

The expected outcome comes from the permission each route declares (deps.requires sets
`.permission` on its dependency) and ROLE_PERMISSIONS. A route nobody told the matrix about
(no declared permission, not login-step, not PUBLIC) or a path parameter without samples
FAILS the suite, with a message that says what to add to tests/accounts/access_registry.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Mount

from grassroots.accounts.models import Role, User
from grassroots.accounts.permissions import ROLE_PERMISSIONS, granted
from grassroots.accounts.tokens.actions import do_create_token
from grassroots.app import create_app
from grassroots.config import Settings, get_settings
from grassroots.deps import CurrentUser, DbSession, requires
from grassroots.errors import Problem
from tests.accounts.access_registry import (
    ACTORS,
    BODIES,
    FORMS,
    INSIDE_MAY_404,
    KEY_ROUTES,
    PUBLIC,
    PUBLIC_MOUNTS,
    PUBLIC_VALUES,
    SCREEN_ROUTES,
    sample_for,
)

ALLOWED_4XX = {400, 405, 409, 410, 412, 413, 415, 422, 428, 429}


@dataclass(frozen=True)
class Entry:
    method: str
    path: str  # as served, prefixes included
    dependant: Any
    permission: str | None  # declared via deps.requires
    login_step: bool  # authenticated, but reachable before the second factor (no permission)
    screen: bool = False  # a paired screen's cookie, no person's credential (screens.authn)

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def path_params(self) -> list[str]:
        return [p.name for p in self.dependant.path_params]


def served_routes(app: FastAPI) -> Iterator[tuple[Any, Any]]:
    """(original route, route as served) for every route, included routers flattened."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before lazily included routers: app.routes is flat
        yield from ((r, r) for r in app.routes)
        return
    for context in iter_route_contexts(app.routes):
        yield context.original_route, context


def _calls(dependant: Any) -> Iterator[Any]:
    for dep in dependant.dependencies:
        if dep.call is not None:
            yield dep.call
        yield from _calls(dep)


def route_table(app: FastAPI) -> tuple[list[Entry], list[str]]:
    """Every (method, route) with what it declares, and the problems that make it unknown."""
    entries, problems = [], []
    for original, route in served_routes(app):
        if isinstance(original, Mount) and route.path in PUBLIC_MOUNTS:
            continue
        if not isinstance(original, APIRoute):
            problems.append(
                f"{type(original).__name__} {route.path!r} is not an APIRoute: "
                "add its path to PUBLIC_MOUNTS in tests/accounts/access_registry.py if it is "
                "public by design, or make it an APIRoute with deps.requires(...)"
            )
            continue
        calls = list(_calls(route.dependant))
        perms = {c.permission for c in calls if hasattr(c, "permission")}
        login_step = any(getattr(c, "auth_stage", None) for c in calls)
        screen = any(getattr(c, "screen_credential", False) for c in calls)
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            permission = next(iter(perms)) if perms else None
            entry = Entry(method, route.path, route.dependant, permission, login_step, screen)
            problems += _declaration_problems(entry, perms)
            entries.append(entry)
    return entries, problems


def _declaration_problems(entry: Entry, perms: set[str]) -> list[str]:
    where = f"{entry.method} {entry.path}"
    if len(perms) > 1:
        return [f"{where} declares {sorted(perms)}: a route declares exactly one permission"]
    if entry.key in PUBLIC:
        if perms or entry.login_step or entry.screen:
            return [f"{where} is in PUBLIC but requires authentication: remove it from PUBLIC"]
        return []
    if entry.screen or entry.key in SCREEN_ROUTES:
        if perms or entry.login_step or not entry.screen or entry.key not in SCREEN_ROUTES:
            return [
                f"{where}: a screen route takes screens.authn.paired_screen and nothing else, "
                "and is listed in SCREEN_ROUTES in tests/accounts/access_registry.py"
            ]
        return []
    if not perms and not entry.login_step:
        return [
            f"{where} declares no permission: add "
            'dependencies=[grassroots.deps.requires("<permission>")] to the route (names in '
            "accounts/permissions.py), or, if it must answer anonymously (login, public "
            f"intake), add {entry.key!r} to PUBLIC in tests/accounts/access_registry.py"
        ]
    return [
        f"{where} has path parameter {{{name}}} that the access matrix has no samples for: "
        f"add SAMPLES[{name!r}] = Sample(inside=..., outside=...) in "
        "tests/accounts/access_registry.py (inside: an object in the acting user's scope; "
        "outside: one beyond it, or an absent one when the user sees everything; "
        f"fixed('value') if {{{name}}} names nothing scoped), or "
        f"ROUTE_SAMPLES[({entry.path!r}, {name!r})] if the name means something else elsewhere"
        for name in entry.path_params
        if sample_for(entry.path, name) is None
    ]


@pytest.fixture
def app(engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path) -> FastAPI:
    """The app with rate limits out of the way: the matrix logs in and posts a lot."""
    settings = Settings(
        data_dir=get_settings().data_dir,  # where the registry's samples keep stored reports
        database_url=engine.url.render_as_string(False),
        login_rate_limit="100000/60",
        intake_rate_limit="100000/60",
        open311_rate_limit="100000/60",
        public_report_rate_limit="100000/60",
        public_global_rate_limit="100000/60",
        public_lookup_rate_limit="100000/60",
        screen_pair_rate_limit="100000/60",
        federation_rate_limit="100000/60",
    )
    return create_app(
        settings, engine=engine, read_sessions=session_factory, write_sessions=session_factory
    )


def test_every_route_is_known_to_the_matrix(app):
    entries, problems = route_table(app)
    assert entries, "no routes found"
    assert not problems, "\n".join(problems)


def test_matrix_covers_the_accounts_routes(app):
    """The table really is read from the app: a few routes we know must be in it."""
    keys = {e.key: e for e in route_table(app)[0]}
    assert keys[("GET", "/api/v1/users")].permission == "users.read"
    assert keys[("PUT", "/api/v1/users/{username}/role")].permission == "roles.grant"
    assert (
        keys[("GET", "/api/v1/auth/me")].login_step
        and not keys[("GET", "/api/v1/auth/me")].permission
    )


class Matrix:
    def __init__(self, app, session: Session, client_as) -> None:  # type: ignore[no-untyped-def]
        self.session, self.client_as = session, client_as
        self.anonymous = TestClient(app)
        self.clients = {role: client_as(name) for role, name in ACTORS.items()}
        self.failures: list[str] = []
        self.unchecked: set[int] = set()  # clients whose session a write may have ended

    def actor(self, role: Role) -> User:
        return self.session.scalars(select(User).where(User.username == ACTORS[role])).one()

    def client(self, role: Role) -> TestClient:
        """The role's client, logged in again if a write (its own or another role's: a
        disabled user, a reset factor) ended its session. Reads end none: no check after
        them, which halves the matrix's requests."""
        c = self.clients[role]
        if id(c) not in self.unchecked:
            return c
        self.unchecked.discard(id(c))
        me = c.get("/api/v1/auth/me")
        if me.status_code != 200 or me.json()["second_factor"] is not None:
            c = self.clients[role] = self.client_as(ACTORS[role])
        return c

    def bearer(self, actor: User, scopes: list[str]) -> dict[str, str]:
        """A new token of `actor` with exactly `scopes` (new for each route: one may revoke)."""
        _, raw = do_create_token(self.session, actor, name="matrix", scopes=scopes, actor=actor)
        return {"Authorization": f"Bearer {raw}"}

    def send(
        self,
        c: TestClient,
        entry: Entry,
        values: dict[str, str],
        headers: dict[str, str] | None = None,
    ) -> int:
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", entry.path).format(**values)  # {rest:path}
        more: dict[str, Any] = {"follow_redirects": False, "headers": headers}
        if entry.method != "GET":
            self.unchecked = {id(other) for other in self.clients.values()}
        if entry.method not in {"POST", "PUT", "PATCH"}:
            r = c.request(entry.method, path, **more)
        elif entry.key in FORMS:
            form = FORMS[entry.key]  # a callable makes what the form names first
            r = c.request(
                entry.method, path, data=form(self.session) if callable(form) else form, **more
            )
        else:
            r = c.request(entry.method, path, json=BODIES.get(entry.key, {}), **more)
        return r.status_code

    def check(
        self,
        who: str,
        entry: Entry,
        values: dict[str, str],
        ok: Callable[[int], bool],
        expected: str,
        status: int,
    ) -> None:
        if not ok(status):
            self.failures.append(
                f"{entry.method} {entry.path} {values or ''} as {who}: "
                f"got {status}, expected {expected}"
            )


def allowed(status: int) -> bool:
    return status < 400 or status in ALLOWED_4XX


def allowed_or_absent(status: int) -> bool:
    return allowed(status) or status == 404


def _run_anonymous(m: Matrix, entry: Entry) -> None:
    values = {name: PUBLIC_VALUES.get(name, "1") for name in entry.path_params}
    status = m.send(m.anonymous, entry, values)
    if entry.screen:  # a paired screen's cookie, which nobody in the matrix holds
        m.check("anonymous", entry, values, lambda s: s == 401, "401", status)
    elif entry.key in KEY_ROUTES:  # a client's key, not a login: 403 without one (Open311)
        m.check("anonymous", entry, values, lambda s: s == 403, "403 (no api_key)", status)
    elif entry.key in PUBLIC:
        m.check(
            "anonymous",
            entry,
            values,
            lambda s: s not in (401, 403) and s < 500,
            "a public answer",
            status,
        )
    else:
        m.check("anonymous", entry, values, lambda s: s == 401, "401", status)


def _values(m: Matrix, entry: Entry, actor: User, side: str) -> dict[str, str]:
    """Path values for one side ("inside"/"outside"); unscoped parameters take their inside."""
    values = {}
    for name in entry.path_params:
        sample = sample_for(entry.path, name)
        assert sample is not None
        make = sample.outside if side == "outside" and sample.outside else sample.inside
        values[name] = make(m.session, actor, dict(values))
    return values


def _has_scoped_param(entry: Entry) -> bool:
    return any(
        (sample := sample_for(entry.path, n)) is not None and sample.outside is not None
        for n in entry.path_params
    )


def _run_role(m: Matrix, entry: Entry, role: Role) -> None:
    actor = m.actor(role)
    if entry.screen:  # a person's session is not a screen's
        status = m.send(m.client(role), entry, {})
        m.check(role.value, entry, {}, lambda s: s == 401, "401 (not a screen)", status)
        return
    if entry.key in PUBLIC:
        values = {name: PUBLIC_VALUES.get(name, "1") for name in entry.path_params}
        status = m.send(m.client(role), entry, values)
        m.check(role.value, entry, {}, lambda s: s < 500, "no server error", status)
        return
    inside = _values(m, entry, actor, "inside")
    if entry.permission is not None and entry.permission not in ROLE_PERMISSIONS[role]:
        status = m.send(m.client(role), entry, inside)
        m.check(role.value, entry, inside, lambda s: s == 403, "403 (permission)", status)
        return
    ok = allowed_or_absent if entry.key in INSIDE_MAY_404 else allowed
    m.check(role.value, entry, inside, ok, "allowed", m.send(m.client(role), entry, inside))
    if _has_scoped_param(entry):
        outside = _values(m, entry, actor, "outside")
        status = m.send(m.client(role), entry, outside)
        m.check(role.value, entry, outside, lambda s: s == 404, "404 (out of scope)", status)


def _run_tokens(m: Matrix, entry: Entry) -> None:
    """Role ∩ token scopes, with the first actor whose role holds the route's permission."""
    if entry.screen:  # nor is a token, even one with stats.read
        leader = m.actor(Role.leader)
        status = m.send(m.anonymous, entry, {}, m.bearer(leader, ["stats.read"]))
        m.check("leader token", entry, {}, lambda s: s == 401, "401 (not a screen)", status)
        return
    if entry.permission is None or entry.key in PUBLIC:
        return
    role = next(r for r in ACTORS if entry.permission in ROLE_PERMISSIONS[r])
    actor = m.actor(role)
    inside = _values(m, entry, actor, "inside")
    others = sorted(ROLE_PERMISSIONS[role] - {entry.permission})
    who = f"{role.value} token"
    if others:
        status = m.send(m.anonymous, entry, inside, m.bearer(actor, others))
        m.check(f"{who} without it", entry, inside, lambda s: s == 403, "403 (scope)", status)
    ok = allowed_or_absent if entry.key in INSIDE_MAY_404 else allowed
    status = m.send(m.anonymous, entry, inside, m.bearer(actor, [entry.permission]))
    m.check(f"{who} with just {entry.permission}", entry, inside, ok, "allowed", status)


def run_matrix(app, session, client_as, entries: list[Entry]) -> Matrix:  # type: ignore[no-untyped-def]
    m = Matrix(app, session, client_as)
    for entry in entries:
        _run_anonymous(m, entry)
        for role in ACTORS:
            _run_role(m, entry, role)
        _run_tokens(m, entry)
    return m


# The matrix in SHARDS consecutive slices of the route table, one test each: every slice
# gets its own clients, tokens and rolled-back transaction, and pytest-xdist can run the
# slices on different workers (the whole table was one ~114 s test on PostgreSQL). Their
# union is the whole table: test_the_shards_cover_the_whole_table.
SHARDS = 4


def shard(entries: list[Entry], k: int) -> list[Entry]:
    n = len(entries)
    return entries[k * n // SHARDS : (k + 1) * n // SHARDS]


def test_the_shards_cover_the_whole_table(app):
    entries = route_table(app)[0]
    slices = [shard(entries, k) for k in range(SHARDS)]
    assert [e for s in slices for e in s] == entries and all(slices)


@pytest.mark.slow
@pytest.mark.parametrize("k", range(SHARDS), ids=lambda k: f"shard{k + 1}of{SHARDS}")
def test_access_matrix(app, session, client_as, k: int):
    entries, problems = route_table(app)
    assert not problems, "\n".join(problems)
    m = run_matrix(app, session, client_as, shard(entries, k))
    assert not m.failures, f"{len(m.failures)} unexpected answers:\n" + "\n".join(m.failures)


# The matrix itself must be able to fail: routes that break the rules are caught.


def test_undeclared_route_and_unknown_parameter_fail_the_suite(app):
    def anything() -> dict[str, str]:
        return {}

    def by_widget(widget_id: str) -> dict[str, str]:
        return {}

    app.add_api_route("/api/v1/open", anything)
    app.add_api_route(
        "/api/v1/widgets/{widget_id}", by_widget, dependencies=[requires("case.read")]
    )
    problems = "\n".join(route_table(app)[1])
    assert "GET /api/v1/open declares no permission: add dependencies=" in problems
    assert "has path parameter {widget_id}" in problems and "SAMPLES['widget_id']" in problems


def test_route_that_skips_its_scope_check_is_caught(app, session, client_as):
    def leaky(username: str, session: DbSession) -> dict[str, str]:
        return {"username": username}  # never calls access_user

    app.add_api_route("/api/v1/leaky/{username}", leaky, dependencies=[requires("users.read")])
    entries = [e for e in route_table(app)[0] if e.path == "/api/v1/leaky/{username}"]
    failures = run_matrix(app, session, client_as, entries).failures
    assert failures and all("expected 404 (out of scope)" in f for f in failures)
    assert {f.split(" as ")[1].split(":")[0] for f in failures} == {
        "system_admin",
        "security_admin",
    }


def test_route_granting_more_than_its_permission_is_caught(app, session, client_as):
    def sneaky() -> dict[str, str]:
        return {}

    app.add_api_route("/api/v1/sneaky", sneaky, dependencies=[requires("users.read")])
    entry = next(e for e in route_table(app)[0] if e.path == "/api/v1/sneaky")
    wrong = Entry(entry.method, entry.path, entry.dependant, "account.self", False)
    failures = run_matrix(app, session, client_as, [wrong]).failures
    assert any("as grid_worker: got 403, expected allowed" in f for f in failures)


def test_route_that_checks_the_role_but_not_the_token_is_caught(app, session, client_as):
    """A check that reads the role's permissions alone (what the mediation agreement did)
    lets a token without the scope through: the token rows of the matrix fail."""

    def role_only(user: CurrentUser) -> None:
        if "users.read" not in granted(user.role):  # the role alone: wrong
            raise Problem(403, "forbidden", "no")

    def endpoint() -> dict[str, str]:
        return {}

    role_only.permission = "users.read"  # type: ignore[attr-defined]
    app.add_api_route("/api/v1/role-only", endpoint, dependencies=[Depends(role_only)])
    entry = next(e for e in route_table(app)[0] if e.path == "/api/v1/role-only")
    failures = run_matrix(app, session, client_as, [entry]).failures
    assert failures == [
        "GET /api/v1/role-only  as system_admin token without it: got 200, expected 403 (scope)"
    ]
