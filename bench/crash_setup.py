"""Set-up for the crash benchmark: a migrated database with the demo county's geography and
staff (no history), a key file, the server's environment and the clients' credentials."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.crypto import new_key_file
from grassroots.db import make_engine, upgrade_schema
from grassroots.demo.build import build_demo_geography
from grassroots.geo.models import Jurisdiction, Level

ROOT = Path(__file__).resolve().parent.parent
USER = "zhao"  # 受理员, 青石镇: registers cases in its own township


@dataclass(frozen=True)
class Auth:
    headers: dict[str, str]
    kind: str  # bearer


@dataclass(frozen=True)
class Setup:
    url: str
    env: dict[str, str]
    grid_code: str
    auth: Callable[[], Auth]


def _database_url(kind: str, work: Path, stack: ExitStack) -> str:
    if kind == "sqlite":
        return f"sqlite:///{work / 'grassroots.db'}"
    sys.path.insert(0, str(ROOT))
    from tests.support.postgres import postgres_server, temporary_database

    admin = stack.enter_context(postgres_server())
    return stack.enter_context(temporary_database(admin, "crash"))


def _home_grid(session: Session) -> str:
    user = session.scalars(select(User).where(User.username == USER)).one()
    assert user.jurisdiction is not None
    prefix = user.jurisdiction.code[:9]
    return (
        session.scalars(
            select(Jurisdiction.code)
            .where(Jurisdiction.level == Level.grid.value, Jurisdiction.code.startswith(prefix))
            .order_by(Jurisdiction.code)
        ).first()
        or ""
    )


def prepare_database(kind: str, work: Path, stack: ExitStack) -> Setup:
    url = _database_url(kind, work, stack)
    engine = make_engine(url)
    stack.callback(engine.dispose)
    upgrade_schema(engine)
    with Session(engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        grid = _home_grid(session)
    engine.dispose()
    new_key_file(work / "keys" / "grassroots.key")
    env = {
        **os.environ,
        "GRASSROOTS_DATA_DIR": str(work),
        "GRASSROOTS_DATABASE_URL": url,
        "GRASSROOTS_JOBS_INTERVAL_SECONDS": "0",
        "GRASSROOTS_LOG_LEVEL": "WARNING",
        # this checkout's code (src) before any installed copy, and the bench package
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    env.pop("GRASSROOTS_KEY_FILE", None)
    return Setup(url, env, grid, lambda: _credentials(env))


def _credentials(env: dict[str, str]) -> Auth:
    """A bearer token from `grassroots tokens create` (tokens need no CSRF header)."""
    cmd = [sys.executable, "-m", "grassroots.cli", "tokens", "create", USER,
           "--name", "crash-bench", "--scope", "case.register"]  # fmt: skip
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode == 0:
        tokens = re.findall(r"\b[A-Za-z0-9_\-\.]{32,}\b", done.stdout)
        if tokens:
            return Auth({"Authorization": f"Bearer {tokens[-1]}"}, "bearer")
    raise RuntimeError(f"grassroots tokens create failed: {done.stdout}{done.stderr}")
