"""`grassroots hotline ...`: 12345 work orders in, replies (办结反馈) out (docs/hotline.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from grassroots.calendar.today import local_midnight_utc
from grassroots.clikit import cli_session
from grassroots.config import get_settings
from grassroots.hotline.actions import do_import_orders
from grassroots.hotline.export import reply, write_replies
from grassroots.hotline.queries import replies_since
from grassroots.hotline.schemas import ImportRefused, read_orders

app = typer.Typer(help="12345 热线工单 / 12345 hotline work orders.", no_args_is_help=True)


def _kind(path: Path, given: str | None) -> str:
    kind = given or ("csv" if path.suffix.lower() == ".csv" else "json")
    if kind not in ("json", "csv"):
        typer.echo("错误 / error: --format is json or csv", err=True)
        raise typer.Exit(1)
    return kind


@app.command("import")
def import_orders(
    file: Path = typer.Argument(..., help="A JSON or CSV file."),
    format: str | None = typer.Option(None, "--format", help="json or csv (default: by suffix)."),
) -> None:
    """Import 12345 work orders as cases: all or nothing; orders imported before are skipped.

    Examples:
      grassroots hotline import orders-2026-10-09.json
      grassroots hotline import orders.csv --format csv
    """
    if not file.is_file():
        typer.echo(f"错误 / error: no such file: {file}", err=True)
        raise typer.Exit(1)
    try:
        orders, errors = read_orders(file.read_bytes(), _kind(file, format))
        with cli_session() as session:
            level = get_settings().hotline_intake_level
            result = do_import_orders(session, orders, intake_level=level, errors=errors)
    except ImportRefused as refused:
        for line in refused.errors:
            typer.echo(line, err=True)
        typer.echo(f"未导入 / nothing imported: {len(refused.errors)} 处错误 / errors", err=True)
        raise typer.Exit(1) from None
    for order_no, code in result.cases:
        typer.echo(f"{order_no} → {code}")
    typer.echo(f"导入 / imported: {len(result.cases)}，跳过已导入 / skipped: {len(result.skipped)}")


@app.command("replies")
def replies(
    since: str = typer.Option(..., "--since", help="First day (China time), e.g. 2026-10-01."),
    format: str = typer.Option("json", "--format", help="json or csv."),
    output: Path | None = typer.Option(None, "--output", help="File to write (default: stdout)."),
) -> None:
    """The replies (办结反馈) of orders whose case ended since a day: result, time, rating.

    Examples:
      grassroots hotline replies --since 2026-10-01
      grassroots hotline replies --since 2026-10-01 --format csv --output replies.csv
    """
    try:
        first = date.fromisoformat(since)
    except ValueError:
        typer.echo("错误 / error: --since is a day, e.g. 2026-10-01", err=True)
        raise typer.Exit(1) from None
    kind = _kind(Path(f"x.{format}"), format)
    with cli_session() as session:
        rows = [reply(o, c) for o, c in replies_since(session, local_midnight_utc(first))]
    text = write_replies(rows, kind)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"已写出 / written: {output} ({len(rows)})")
