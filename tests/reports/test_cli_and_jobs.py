"""`grassroots report` through the real CLI (in process: tests/support/cli.py), and the
scheduled-reports job."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.demo.build import build_demo_geography
from grassroots.reports.jobs import due_periods, run_scheduled_reports
from grassroots.reports.models import ReportFile
from tests.reports.read import docx_text, sheets
from tests.stats import history as h
from tests.support.cli import CliResult, run_cli


def _cli(engine: Engine, tmp: Path, *args: str) -> CliResult:
    env = {
        "GRASSROOTS_DATABASE_URL": engine.url.render_as_string(False),
        "GRASSROOTS_DATA_DIR": str(tmp),
    }
    return run_cli(["report", *args], env)


def test_cli_writes_the_report_files(fresh_engine: Engine, tmp_path: Path) -> None:
    with Session(fresh_engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        h.build_history(session, 10, seed=8, first=datetime(2026, 7, 2, tzinfo=UTC), days=60)
    out = tmp_path / "out"
    done = _cli(
        fresh_engine,
        tmp_path,
        "--jurisdiction",
        "990101002000",
        "--period",
        "2026-Q3",
        "--format",
        "docx,xlsx",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    docx = out / "青石镇2026年第三季度矛盾纠纷排查化解工作情况报告.docx"
    xlsx = out / "青石镇2026年第三季度矛盾纠纷排查化解统计表.xlsx"
    assert "青石镇综治中心关于2026年第三季度" in docx_text(docx.read_bytes())
    assert "青石镇小计" in sheets(xlsx.read_bytes())["村（社区）"]
    bad = _cli(fresh_engine, tmp_path, "--jurisdiction", "990101999000", "--period", "2026-Q3")
    assert bad.returncode == 1 and "990101999000" in bad.stderr
    template = tmp_path / "mine.docx"
    from docx import Document

    doc = Document()
    doc.add_paragraph("{{ registered }} {{ made_up_number }}")
    doc.save(str(template))
    refused = _cli(
        fresh_engine,
        tmp_path,
        "--jurisdiction",
        "990101000000",
        "--period",
        "2026",
        "--template",
        str(template),
        "--out",
        str(out),
    )
    assert refused.returncode == 1 and "made_up_number" in refused.stderr


@pytest.mark.slow
def test_scheduled_reports_are_made_once(session: Session, tmp_path: Path) -> None:
    h.build_history(session, 10, seed=6, first=datetime(2026, 4, 1, tzinfo=UTC), days=28)
    now = datetime(2026, 5, 3, 1, tzinfo=UTC)
    assert [p.label for p in due_periods(now)] == ["2026-04"]
    made = run_scheduled_reports(session, now, tmp_path)
    assert made == 9  # the county and its 8 townships
    kept = session.scalars(select(ReportFile).where(ReportFile.scheduled.is_(True))).all()
    assert {(r.period, r.fmt) for r in kept} == {("2026-04", "docx"), ("2026-04", "xlsx")}
    assert len(kept) == 18 and all((tmp_path / r.stored_name).stat().st_size > 0 for r in kept)
    assert run_scheduled_reports(session, now, tmp_path) == 0


def test_a_quarter_end_adds_the_quarter() -> None:
    labels = [p.label for p in due_periods(datetime(2026, 7, 1, 2, tzinfo=UTC))]
    assert labels == ["2026-06", "2026-Q2"]
    # 2026-03-31 20:00 UTC is already 1 April in Beijing: March is over.
    assert [p.label for p in due_periods(datetime(2026, 3, 31, 20, tzinfo=UTC))] == [
        "2026-03",
        "2026-Q1",
    ]
