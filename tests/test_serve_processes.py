"""Several server processes on one PostgreSQL: two real `grassroots serve` commands (one of
them with --workers 2, so three app processes and two job loops) on one database. What one
process would keep in its memory must hold across all of them:

* an Idempotency-Key sent to two processes at once registers one case;
* a dictionary change made through one process applies at the next request to another;
* the login throttle counts failures made through either;
* the scheduled jobs run once: no report is produced twice.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import LoginThrottle, User
from grassroots.accounts.tokens.actions import do_create_token
from grassroots.cases.models import Case
from grassroots.crypto import new_key_file
from grassroots.db import utcnow
from grassroots.demo.build import build_demo_geography
from grassroots.demo.staff import DEMO_PASSWORDS
from grassroots.geo.models import Jurisdiction
from grassroots.reports.jobs import due_periods
from grassroots.reports.models import ReportFile
from tests.cases.conftest import grid_in

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.postgres_only


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(env: dict[str, str], workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    cmd = [sys.executable, "-c", "from grassroots.cli.main import main; main()", "serve",
           "--port", str(port), "--workers", str(workers)]  # fmt: skip
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=out)
    return proc, f"http://127.0.0.1:{port}"


def _wait_up(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert proc.poll() is None, log.read_text()[-3000:]
        time.sleep(0.3)
    raise AssertionError(f"server did not start:\n{log.read_text()[-3000:]}")


@pytest.fixture
def world(fresh_engine: Engine, tmp_path: Path) -> dict[str, Any]:
    if fresh_engine.dialect.name != "postgresql":
        pytest.skip("several server processes need PostgreSQL (SQLite runs one)")
    new_key_file(tmp_path / "keys" / "grassroots.key")
    with Session(fresh_engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        users = {u.username: u for u in session.scalars(select(User))}
        _, wang = do_create_token(session, users["wang"], name="w",
                                  scopes=["case.register", "case.read"], actor=None)  # fmt: skip
        _, admin = do_create_token(session, users["admin"], name="a",
                                   scopes=["config.write"], actor=None)  # fmt: skip
        grid = grid_in(session, users["wang"])
    return {"wang": wang, "admin": admin, "grid": grid}


@pytest.fixture
def servers(world: dict[str, Any], fresh_engine: Engine, tmp_path: Path) -> Iterator[list[str]]:
    env = {**os.environ, "GRASSROOTS_DATA_DIR": str(tmp_path),
           "GRASSROOTS_DATABASE_URL": fresh_engine.url.render_as_string(hide_password=False),
           "GRASSROOTS_JOBS_INTERVAL_SECONDS": "1", "GRASSROOTS_LOG_LEVEL": "WARNING",
           "PYTHONPATH": str(ROOT / "src")}  # fmt: skip
    log = tmp_path / "servers.log"
    started = [_serve(env, 2, log), _serve(env, 1, log)]
    try:
        for proc, base in started:
            _wait_up(proc, base, log)
        yield [base for _, base in started]
    finally:
        for proc, _ in started:
            proc.terminate()
        for proc, _ in started:
            proc.wait(timeout=30)


def _case(world: dict[str, Any], category: str = "neighbour") -> dict[str, Any]:
    return {"category_code": category, "source_code": "visit", "title": "多进程",
            "description": "两个进程同时收到", "grid_code": world["grid"]}  # fmt: skip


def test_processes_share_what_one_process_would_remember(servers, world, fresh_engine):
    a, b = servers
    wang = {"Authorization": f"Bearer {world['wang']}"}
    admin = {"Authorization": f"Bearer {world['admin']}"}
    _one_case_per_key(a, b, wang, world, fresh_engine)
    _dictionary_change_applies_everywhere(a, b, wang, admin, world)
    _lockout_counts_across_processes(a, b, fresh_engine)
    _scheduled_reports_made_once(fresh_engine)


def _one_case_per_key(a: str, b: str, wang: dict[str, str], world: dict[str, Any],
                      engine: Engine) -> None:  # fmt: skip
    for _ in range(5):
        key = str(uuid.uuid4())
        barrier = threading.Barrier(2)
        answers: list[httpx.Response] = []

        def send(base: str, key: str, barrier: threading.Barrier, out: list[Any]) -> None:
            barrier.wait()
            headers = wang | {"Idempotency-Key": key}
            out.append(httpx.post(f"{base}/api/v1/cases", json=_case(world),
                                  headers=headers, timeout=30))  # fmt: skip

        threads = [threading.Thread(target=send, args=(base, key, barrier, answers))
                   for base in (a, b)]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(r.status_code for r in answers) in ([201, 201], [201, 409])
        assert len({r.json()["code"] for r in answers if r.status_code == 201}) == 1
    with Session(engine) as session:
        assert session.scalar(select(func.count(Case.id))) == 5


def _dictionary_change_applies_everywhere(
    a: str, b: str, wang: dict[str, str], admin: dict[str, str], world: dict[str, Any]
) -> None:
    def put(base: str, active: bool) -> None:
        body = {"name": "邻里", "sort_order": 20, "active": active}
        r = httpx.put(f"{base}/api/v1/case-categories/neighbour", json=body, headers=admin)
        assert r.status_code == 200, r.text

    def register(base: str) -> httpx.Response:
        headers = wang | {"Idempotency-Key": str(uuid.uuid4())}
        return httpx.post(f"{base}/api/v1/cases", json=_case(world), headers=headers)

    assert register(b).status_code == 201  # b has the dictionaries cached
    put(a, active=False)
    refused = register(b)
    assert refused.status_code == 422, refused.text
    put(b, active=True)
    assert register(a).status_code == 201


def _lockout_counts_across_processes(a: str, b: str, engine: Engine) -> None:
    def login(base: str, password: str) -> httpx.Response:
        body = {"username": "li", "password": password}
        return httpx.post(f"{base}/api/v1/auth/login", json=body)

    for i in range(5):
        assert login((a, b)[i % 2], "wrong-password-1A").status_code == 401
    with Session(engine) as session:  # both processes counted into the one row
        row = session.scalars(
            select(LoginThrottle).where(
                LoginThrottle.subject == "li", LoginThrottle.address == "127.0.0.1"
            )
        ).one()
        assert row.failures == 5 and row.blocked_until is not None
        row.blocked_until = utcnow() + timedelta(minutes=10)  # not a 1 s race against the test
        session.commit()
    for base in (a, b):  # throttled, whichever process is asked
        refused = login(base, DEMO_PASSWORDS["li"])
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 500


def _scheduled_reports_made_once(engine: Engine) -> None:
    """Both job loops run every second; the reports due are made, each exactly once."""
    with Session(engine) as session:
        places = session.scalar(
            select(func.count(Jurisdiction.id)).where(
                Jurisdiction.level.in_(["county", "township"]), Jurisdiction.valid_to.is_(None)
            )
        )
    expected = places * len(due_periods(utcnow())) * 2  # docx and xlsx
    deadline = time.monotonic() + 180
    made = 0
    while time.monotonic() < deadline and made < expected:
        time.sleep(1)
        with Session(engine) as session:
            made = session.scalar(select(func.count(ReportFile.id))) or 0
    assert made == expected
    time.sleep(3)  # both loops have run again since: still nothing twice
    with Session(engine) as session:
        key = (ReportFile.jurisdiction_code, ReportFile.period, ReportFile.fmt)
        twice = session.execute(select(*key).group_by(*key).having(func.count() > 1)).all()
        assert twice == [] and session.scalar(select(func.count(ReportFile.id))) == expected
