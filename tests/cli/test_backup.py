"""`grassroots backup` and `grassroots restore` through the real CLI (subprocesses): the
restored database has every row of the original, its audit chain verifies intact with the
original's head as the anchor, and a restore onto a database that is not new is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.verify import chain_head
from grassroots.cases import schemas as s
from grassroots.cases.intake.actions import do_register
from grassroots.db import Base, make_engine
from grassroots.demo.build import build_demo_geography
from tests.cases.conftest import grid_in


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRASSROOTS_DATABASE_URL": url}
    cmd = [sys.executable, "-m", "grassroots.cli", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def _counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) or 0
                for t in Base.metadata.sorted_tables}  # fmt: skip


@pytest.fixture
def empty_url(
    fresh_engine: Engine, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """Where to restore: a SQLite file not yet there, or a new, empty PostgreSQL database."""
    if fresh_engine.dialect.name == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'grassroots.db'}"
        return
    from tests.support.postgres import temporary_database

    with temporary_database(request.getfixturevalue("postgres_admin_url"), "restore") as url:
        yield url


def test_a_backup_restores_to_the_same_database(
    fresh_engine: Engine, empty_url: str, tmp_path: Path
):
    with Session(fresh_engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        wang = session.scalars(select(User).where(User.username == "wang")).one()
        data = s.NewCase(category_code="neighbour", source_code="visit", title="备份",
                         description="备份与恢复", grid_code=grid_in(session, wang))  # fmt: skip
        do_register(session, data, actor=wang)
        head = chain_head(session)[1]
    url = fresh_engine.url.render_as_string(hide_password=False)
    made = _cli(url, "backup", "--out", str(tmp_path / "backups"))
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.split("\t")[0])
    assert backup.is_file() and "key file is not in the backup" in made.stdout

    restored = _cli(empty_url, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    verify = _cli(empty_url, "audit", "verify", "--anchor", head)
    assert verify.returncode == 0 and "intact" in verify.stdout, verify.stdout + verify.stderr
    other = make_engine(empty_url)
    try:
        assert _counts(other) == _counts(fresh_engine)
        again = _cli(empty_url, "restore", str(backup))  # not a new database: refused
        assert again.returncode == 1
        assert _counts(other) == _counts(fresh_engine)
    finally:
        other.dispose()
