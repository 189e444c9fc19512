"""The `grassroots` command line (Typer). Every command has --help with examples."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer
import uvicorn

from grassroots.accounts.cli import tokens_app, users_app
from grassroots.audit.cli import app as audit_app
from grassroots.calendar.cli import app as calendar_app
from grassroots.cases.attachments.cli import app as attachments_app
from grassroots.cases.attachments.store import attachments_dir

# Registers the deadline recompute with the calendar (schedule_hooks), so that a schedule
# entered from the command line moves open cases' deadlines as the web app's does.
from grassroots.cases.deadlines import recompute as recompute
from grassroots.cli.backup_files import Stores
from grassroots.config import Settings, get_settings
from grassroots.crypto import new_key_file
from grassroots.db import (
    SchemaOutOfDate,
    check_schema_current,
    engine_for,
    make_session_factory,
    upgrade_schema,
)
from grassroots.federation.cli import app as partners_app
from grassroots.geo.cli import app as geo_app
from grassroots.hotline.cli import app as hotline_app
from grassroots.jobs.cli import app as jobs_app
from grassroots.leads.batch.cli import app as leads_app
from grassroots.ledgers.cli import app as ledger_app
from grassroots.open311.cli import app as open311_app
from grassroots.parties.cli import app as keys_app
from grassroots.privacy.logging_filter import install_log_masking
from grassroots.reports.actions import reports_dir
from grassroots.reports.cli import report as report_command
from grassroots.screens.cli import app as screens_app
from grassroots.stats.cli import app as stats_app

app = typer.Typer(
    help="grassroots 三级综治中心与网格化服务管理平台 / comprehensive-governance case platform.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(stats_app, name="stats")
app.add_typer(audit_app, name="audit")
app.add_typer(calendar_app, name="calendar")
app.add_typer(keys_app, name="keys")
app.add_typer(attachments_app, name="attachments")
app.add_typer(jobs_app, name="jobs")

app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(geo_app, name="geo")
app.add_typer(leads_app, name="leads")
app.add_typer(open311_app, name="open311")
app.add_typer(hotline_app, name="hotline")
app.add_typer(ledger_app, name="ledger")
app.add_typer(partners_app, name="partners")
app.add_typer(screens_app, name="screens")
app.command("report")(report_command)


def _init(demo: bool, seed: int) -> bool:
    """Create or upgrade the schema and the key file; build the demo county if asked and empty."""
    from grassroots.demo.build import build_demo, is_empty

    engine = engine_for()
    upgrade_schema(engine)
    key_file = get_settings().key_file_path
    if not key_file.exists():
        new_key_file(key_file)
        typer.echo(
            f"已创建密钥文件 / key file created: {key_file} (back it up apart from the database)"
        )
    typer.echo(f"数据库结构已是最新 / schema up to date: {engine.url.render_as_string()}")
    if not demo:
        return False
    with make_session_factory(engine)() as session:
        if not is_empty(session):
            typer.echo("数据库已有数据，不再生成示范县 / database not empty: demo not rebuilt")
            return False
        typer.echo(f"正在生成示范县 (seed={seed}) / building the demo county ...")
        build_demo(session, seed)
    typer.echo("示范县已生成 / demo county built")
    return True


@app.command()
def init(
    demo: bool = typer.Option(False, "--demo", help="Also build the demo county 示范县."),
    seed: int = typer.Option(2026, "--seed", help="Seed for the demo data (deterministic)."),
) -> None:
    """Create or upgrade the database schema (and optionally the demo county).

    Examples:
      grassroots init
      grassroots init --demo --seed 7
      GRASSROOTS_DATABASE_URL=postgresql://postgres@127.0.0.1/grassroots grassroots init
    """
    _init(demo, seed)


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default from settings)."),
    port: int | None = typer.Option(None, help="Port (default 8000)."),
    workers: int = typer.Option(
        1, "--workers", min=1, help="Server processes (PostgreSQL only; SQLite runs one)."
    ),
) -> None:
    """Start the web server: one process, or N processes sharing one port (PostgreSQL).

    The background jobs run in this (the supervising) process, one job at a time across
    every process and host on the database (grassroots.jobs.lock).

    Examples:
      grassroots serve
      grassroots serve --host 0.0.0.0 --port 8080
      GRASSROOTS_DATABASE_URL=postgresql://grassroots@db/grassroots grassroots serve --workers 4
    """
    from grassroots.app import create_served_app
    from grassroots.jobs.registry import JobLoop

    settings = get_settings()
    logging.basicConfig(level=settings.log_level)
    if workers > 1 and settings.is_sqlite:
        typer.echo(
            "SQLite 只支持一个服务进程（单写入者）；多进程请使用 PostgreSQL。 / SQLite runs one "
            "server process (one writer); use PostgreSQL for --workers > 1.",
            err=True,
        )
        raise typer.Exit(2)
    engine = engine_for(settings)
    try:
        check_schema_current(engine)
    except SchemaOutOfDate as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    where, level = (host or settings.host, port or settings.port), settings.log_level.lower()
    loop = JobLoop(engine, settings.jobs_interval_seconds)
    loop.start()
    try:
        if workers == 1:
            application = create_served_app(settings, engine=engine)
            uvicorn.run(application, host=where[0], port=where[1], log_level=level)
        else:  # each worker builds its own app (and engine) from the same settings
            uvicorn.run("grassroots.app:create_served_app", factory=True, workers=workers,
                        host=where[0], port=where[1], log_level=level)  # fmt: skip
    finally:
        loop.stop()


def file_stores(settings: Settings) -> Stores:
    """The server's file folders that a backup copies (grassroots.cli.backup_files)."""
    return Stores(attachments_dir(settings), reports_dir(settings))


@app.command("backup")
def backup_command(
    out: Path = typer.Option(Path("backups"), "--out", help="Folder for the backup file."),
) -> None:
    """Back up the database while the server runs (SQLite: online copy, checked; PostgreSQL:
    pg_dump custom format) and copy the attachment files (sealed) and the generated reports
    into the folder's attachments/ and reports/ (only those not there yet). The key file is
    not included: keep a copy of it elsewhere.

    Examples:
      grassroots backup --out /var/backups/grassroots
    """
    from grassroots.cli.backup import BackupError, backup

    settings = get_settings()
    try:
        made = backup(settings.effective_database_url, out, file_stores(settings))
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{made.path}\t{made.size} bytes")
    copied = made.files
    typer.echo(f"附件与报告文件新复制 {copied} 个 / {copied} files copied (attachments, reports)")
    typer.echo("密钥文件不在备份中，请另行保管 / the key file is not in the backup: keep it apart")


@app.command("restore")
def restore_command(
    source: Path = typer.Argument(..., help="A file made by `grassroots backup`."),
) -> None:
    """Restore a backup into the configured database, which must be new: a SQLite file that
    does not exist yet, or an empty PostgreSQL database; then the attachment files and
    reports of the backup's folder that the server lacks (attachments open with the key file
    of the backup's server). Stop the server first; then run `grassroots init` (upgrades an
    older backup's schema) and `grassroots audit verify`.

    Examples:
      grassroots restore /var/backups/grassroots/grassroots-20261201-020000.db
    """
    from grassroots.cli.backup import BackupError, restore

    settings = get_settings()
    try:
        files = restore(settings.effective_database_url, source, file_stores(settings))
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"已恢复 / restored {source}")
    typer.echo(f"附件与报告文件恢复 {files} 个 / {files} files put back (attachments, reports)")


@app.command()
def demo(
    seed: int = typer.Option(2026, "--seed", help="Seed for the demo data."),
    port: int | None = typer.Option(None, help="Port (default 8000)."),
) -> None:
    """Build the demo county on first run (not again later), then serve it.

    Example:
      grassroots demo
    """
    from grassroots.demo.staff_notice import print_demo_logins

    _init(True, seed)
    settings = get_settings()
    typer.echo(
        f"\n打开 / open  http://{settings.host}:{port or settings.port}/\n"
        f"API 文档 / API docs  http://{settings.host}:{port or settings.port}/api/v1/docs"
    )
    print_demo_logins()
    serve(host=None, port=port)


def main() -> None:
    install_log_masking()
    try:
        app()
    except SchemaOutOfDate as exc:
        print(exc, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
