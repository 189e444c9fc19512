"""`grassroots report`: a work report for any jurisdiction and period, written to a folder."""

from __future__ import annotations

from pathlib import Path

import typer

from grassroots.errors import Problem


def report(
    jurisdiction: str = typer.Option("", "--jurisdiction", help="区划代码 e.g. 990101000000"),
    period: str = typer.Option("", "--period", help="2026-03 / 2026-Q3 / 2026-H1 / 2026"),
    formats: str = typer.Option("docx,xlsx", "--format", help="docx,xlsx,pdf"),
    template: Path | None = typer.Option(None, "--template", help="Your own Word template."),
    out: Path = typer.Option(Path("."), "--out", help="Folder to write the files into."),
    scheduled: bool = typer.Option(
        False, "--scheduled", help="Run the scheduled monthly/quarterly reports now."
    ),
) -> None:
    """Generate a 矛盾纠纷排查化解 work report (Word, Excel, PDF).

    Examples:
      grassroots report --jurisdiction 990101000000 --period 2026-Q3 --format docx,xlsx,pdf
      grassroots report --jurisdiction 990101002000 --period 2026-03 --out reports/
      grassroots report --jurisdiction 990101000000 --period 2026 --template mine.docx
      grassroots report --scheduled
    """
    try:
        _run(jurisdiction, period, formats, template, out, scheduled)
    except Problem as exc:
        typer.echo(f"错误 / error: {exc.message}", err=True)
        raise typer.Exit(1) from exc


def _run(
    code: str, period_text: str, formats: str, template: Path | None, out: Path, scheduled: bool
) -> None:
    from grassroots.config import get_settings
    from grassroots.db import writer_sessions
    from grassroots.reports.actions import reports_dir
    from grassroots.reports.jobs import run_scheduled_reports
    from grassroots.reports.render import file_name, parse_formats, render
    from grassroots.scope import current_jurisdiction
    from grassroots.stats.periods import parse_period

    with writer_sessions()() as session:
        if scheduled:
            from grassroots.db import utcnow

            n = run_scheduled_reports(session, utcnow(), reports_dir(get_settings()))
            typer.echo(f"定时报告已生成 / scheduled reports made: {n}")
            return
        j = current_jurisdiction(session, code)
        if j is None:
            raise Problem(
                404, "jurisdiction_not_found", f"未找到区划 {code} / no such jurisdiction"
            )
        period = parse_period(period_text)
        files = render(
            session, j, period, parse_formats(formats), template.read_bytes() if template else None
        )
    out.mkdir(parents=True, exist_ok=True)
    for fmt, content in files.items():
        path = out / file_name(j, period, fmt)
        path.write_bytes(content)
        typer.echo(str(path))
