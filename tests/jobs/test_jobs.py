"""The job registry, its runner, the serve loop switch and the `grassroots jobs` CLI."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from typer.testing import CliRunner

from grassroots.cli.main import app as cli
from grassroots.jobs import registry as jobs
from grassroots.jobs.lock import only_one


def test_the_deadline_sweep_is_registered():
    assert jobs.JOBS[0].name == "deadline_sweep"


def test_a_failing_job_does_not_stop_the_others(fresh_engine: Engine, monkeypatch):
    ran: list[str] = []

    def broken(engine: Engine, now: datetime) -> dict[str, Any]:
        raise RuntimeError("boom")

    def fine(engine: Engine, now: datetime) -> dict[str, Any]:
        ran.append(now.isoformat())
        return {"done": 1}

    monkeypatch.setattr(jobs, "JOBS", [jobs.Job("broken", "", broken), jobs.Job("fine", "", fine)])
    now = datetime(2026, 4, 15, tzinfo=UTC)
    outcomes = jobs.run_jobs(fresh_engine, now)
    assert [(o.name, o.ok) for o in outcomes] == [("broken", False), ("fine", True)]
    assert "boom" in outcomes[0].error and ran == [now.isoformat()]


def test_interval_zero_disables_the_loop(fresh_engine: Engine):
    assert jobs.JobLoop(fresh_engine, 0).start() is False


def test_cli_lists_jobs_and_refuses_unknown_ones(fresh_engine: Engine, monkeypatch):
    monkeypatch.setenv(
        "GRASSROOTS_DATABASE_URL", fresh_engine.url.render_as_string(hide_password=False)
    )
    from grassroots.config import get_settings

    get_settings.cache_clear()
    try:
        runner = CliRunner()
        listed = runner.invoke(cli, ["jobs", "list"])
        assert listed.exit_code == 0 and listed.stdout.startswith("deadline_sweep\t")
        unknown = runner.invoke(cli, ["jobs", "run", "--only", "nope"])
        assert unknown.exit_code == 2
        ran = runner.invoke(cli, ["jobs", "run", "--now", "2026-04-15T02:00:00"])
        assert ran.exit_code == 0 and '"candidates": 0' in ran.stdout
    finally:
        get_settings.cache_clear()


def test_a_job_another_process_runs_is_skipped(fresh_engine: Engine, monkeypatch):
    ran: list[str] = []

    def job(engine: Engine, now: datetime) -> dict[str, Any]:
        ran.append("ran")
        return {"done": 1}

    monkeypatch.setattr(jobs, "JOBS", [jobs.Job("guarded", "", job)])
    now = datetime(2026, 4, 15, tzinfo=UTC)
    # Held elsewhere: another connection (PostgreSQL) or another open lock file (SQLite),
    # just as a second server process would hold it.
    with only_one(fresh_engine, "guarded") as held:
        assert held
        outcomes = jobs.run_jobs(fresh_engine, now)
    assert ran == [] and outcomes[0].ok and outcomes[0].summary == jobs.SKIPPED
    assert jobs.run_jobs(fresh_engine, now)[0].summary == {"done": 1} and ran == ["ran"]
