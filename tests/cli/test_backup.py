"""`grassroots backup` and `grassroots restore` through the real CLI (subprocesses): the
restored database has every row of the original, its audit chain verifies intact with the
original's head as the anchor, the case's attachment file comes back sealed and opens to the
same bytes, a generated report comes back with its bytes, a second backup copies no file
again, and a restore onto a database that is not new is refused and puts back no file."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.verify import chain_head
from grassroots.cases import schemas as s
from grassroots.cases.attachments.actions import do_attach, store_file
from grassroots.cases.attachments.store import MAGIC, blob_path, open_file
from grassroots.cases.intake.actions import do_register
from grassroots.config import Settings, get_settings
from grassroots.db import Base, make_engine
from grassroots.demo.build import build_demo_geography
from grassroots.geo.queries import jurisdiction_or_404
from grassroots.reports.actions import do_generate_report, reports_dir
from grassroots.reports.models import ReportFile
from grassroots.stats.periods import this_month
from tests.cases.attachments.samples import PDF
from tests.cases.conftest import grid_in


def _cli(url: str, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI on `url` with the data folder `data` (attachments/, reports/ in it), keeping
    the test run's key file."""
    key_file = str(get_settings().key_file_path)
    env = {**os.environ, "GRASSROOTS_DATABASE_URL": url, "GRASSROOTS_DATA_DIR": str(data),
           "GRASSROOTS_KEY_FILE": key_file}  # fmt: skip
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


def _case_with_a_file_and_a_report(engine: Engine, data: Path) -> tuple[str, ReportFile]:
    """A registered case with a PDF attached and the month's report generated, kept in the
    data folder `data`; the file's SHA-256 and the report's row."""
    settings = Settings(data_dir=data)
    with Session(engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        wang = session.scalars(select(User).where(User.username == "wang")).one()
        new = s.NewCase(category_code="neighbour", source_code="visit", title="备份",
                        description="备份与恢复", grid_code=grid_in(session, wang))  # fmt: skip
        case = do_register(session, new, actor=wang)
        stored = store_file(PDF, False, settings)
        do_attach(session, case, stored, actor=wang)
        county = jurisdiction_or_404(session, case.county_code)
        (report,) = do_generate_report(session, county, this_month(date.today()), ["xlsx"],
                                       actor=wang, folder=reports_dir(settings))  # fmt: skip
    return stored[1], report


@pytest.mark.slow
def test_a_backup_restores_to_the_same_database(
    fresh_engine: Engine, empty_url: str, tmp_path: Path
):
    data, restored = tmp_path / "data", tmp_path / "restored-data"
    sha, report = _case_with_a_file_and_a_report(fresh_engine, data)
    with Session(fresh_engine) as session:
        head = chain_head(session)[1]
    url = fresh_engine.url.render_as_string(hide_password=False)
    made = _cli(url, data, "backup", "--out", str(tmp_path / "backups"))
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.split("\t")[0])
    assert backup.is_file() and "key file is not in the backup" in made.stdout
    assert "2 files copied" in made.stdout  # the attachment and the report
    assert blob_path(backup.parent / "attachments", sha).read_bytes().startswith(MAGIC)
    again = _cli(url, data, "backup", "--out", str(tmp_path / "backups"))
    assert "0 files copied" in again.stdout, again.stdout + again.stderr

    put_back = _cli(empty_url, restored, "restore", str(backup))
    assert put_back.returncode == 0, put_back.stderr
    assert "2 files put back" in put_back.stdout
    assert open_file(blob_path(restored / "attachments", sha)) == PDF
    kept = (restored / "reports" / report.stored_name).read_bytes()
    assert hashlib.sha256(kept).hexdigest() == report.sha256
    verify = _cli(empty_url, restored, "audit", "verify", "--anchor", head)
    assert verify.returncode == 0 and "intact" in verify.stdout, verify.stdout + verify.stderr
    other = make_engine(empty_url)
    try:
        assert _counts(other) == _counts(fresh_engine)
        refused = _cli(empty_url, tmp_path / "other-data", "restore", str(backup))
        assert refused.returncode == 1  # not a new database: refused, no file put back
        assert _counts(other) == _counts(fresh_engine)
        assert not (tmp_path / "other-data" / "attachments").exists()
        assert not (tmp_path / "other-data" / "reports").exists()
    finally:
        other.dispose()
