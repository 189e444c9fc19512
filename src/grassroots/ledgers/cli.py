"""`grassroots ledger ...`: import Excel 台账 (docs/ledgers.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.clikit import cli_session, fail
from grassroots.ledgers.actions import Report, do_export_ledger, do_import_ledger
from grassroots.ledgers.schemas import LedgerRefused
from grassroots.ledgers.sheets.headers import find_header
from grassroots.ledgers.sheets.mapping import Mapping, load_mapping, mapping_toml, parse_mapping
from grassroots.ledgers.sheets.reading import UnreadableFile, kind_of, read_sheet
from grassroots.ledgers.web.queries import mapping_named

app = typer.Typer(help="人民调解台账 / mediation ledgers (Excel).", no_args_is_help=True)


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        raise fail(f"没有名为 {username} 的在职用户 / no such active user")
    return user


def _saved(session: Session, username: str, name: str) -> Mapping:
    saved = mapping_named(session, _user(session, username), name)
    if saved is None:
        raise fail(f"本中心没有名为“{name}”的映射 / no saved mapping of that name")
    return parse_mapping(saved.toml)


def _print(report: Report) -> None:
    for notice in report.notices:
        typer.echo(f"提示 / notice: {notice.line()}")
    for row, same in report.repeated:
        typer.echo(f"第{row}行与第{same}行重复，只导入一次 / row {row} repeats row {same}")
    for row, code in report.duplicates:
        typer.echo(f"第{row}行与已有案件 {code} 重复，未导入 / row {row} duplicates {code}")
    verb = "将导入 / would import" if report.dry_run else "导入 / imported"
    count = report.rows - len(report.duplicates) if report.dry_run else len(report.imported)
    typer.echo(
        f"工作表 / sheet: {report.sheet}；{verb}: {count}；"
        f"重复 / duplicates: {len(report.duplicates) + len(report.repeated)}"
    )


@app.command("import")
def import_ledger(
    file: Path = typer.Argument(..., help="An .xlsx, .xls or .csv ledger."),
    user: str = typer.Option(..., "--user", help="The importing staff member (ledger.import)."),
    sheet: str | None = typer.Option(None, "--sheet", help="The sheet (default: the first)."),
    mapping: Path | None = typer.Option(None, "--mapping", help="A saved mapping (TOML)."),
    mapping_name: str | None = typer.Option(
        None, "--mapping-name", help="A mapping saved on the import page by the user's centre."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check only; write nothing."),
    annotated: Path | None = typer.Option(
        None, "--annotated", help="Where to write the annotated copy of a refused sheet."
    ),
) -> None:
    """Import a ledger sheet as historical cases: all or nothing; a file imported before and
    rows repeating stored cases are skipped.

    Examples:
      grassroots ledger import 2025台账.xlsx --user chen --dry-run
      grassroots ledger import 2025台账.xlsx --user chen --sheet 2025年 --mapping 本所.toml
      grassroots ledger import 2024台账.xls --user chen --mapping-name 本所台账
    """
    if not file.is_file():
        raise fail(f"no such file: {file}")
    if mapping and mapping_name:
        raise fail("--mapping 与 --mapping-name 只能用一个 / use one of them")
    try:
        rules = load_mapping(mapping) if mapping else Mapping()
        with cli_session() as session:
            if mapping_name:
                rules = _saved(session, user, mapping_name)
            report = _run(session, file, user, sheet, rules, dry_run)
    except UnreadableFile as exc:
        raise fail(str(exc)) from None
    except LedgerRefused as refused:
        _refused(refused, file, annotated)
    if report.before is not None:
        typer.echo(f"此文件已于 {report.before:%Y-%m-%d %H:%M} 导入，本次未导入 / imported before")
        return
    _print(report)


def _run(
    session: Session, file: Path, username: str, sheet: str | None, rules: Mapping, dry_run: bool
) -> Report:
    actor = _user(session, username)
    with typer.progressbar(length=1, label="导入 / importing", file=None) as bar:
        state: dict[str, Any] = {"done": 0}

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - state["done"])
            state["done"] = done

        return do_import_ledger(
            session,
            file.read_bytes(),
            file.name,
            actor=actor,
            sheet=sheet,
            mapping=rules,
            dry_run=dry_run,
            progress=progress,
        )


def _refused(refused: LedgerRefused, file: Path, annotated: Path | None) -> None:
    for error in refused.errors:
        typer.echo(error.line(), err=True)
    target = annotated or file.with_name(f"{file.stem}.错误标注.xlsx")
    if refused.annotated:
        target.write_bytes(refused.annotated)
        typer.echo(f"已写出标注副本 / annotated copy: {target}", err=True)
    typer.echo(f"未导入 / nothing imported: {len(refused.errors)} 处错误 / errors", err=True)
    raise typer.Exit(1)


@app.command("mapping")
def show_mapping(
    file: Path = typer.Argument(..., help="An .xlsx, .xls or .csv ledger."),
    sheet: str | None = typer.Option(None, "--sheet", help="The sheet (default: the first)."),
) -> None:
    """Print the column mapping found in a ledger, as a TOML file to edit and reuse.

    Examples:
      grassroots ledger mapping 2025台账.xlsx > 本所.toml
    """
    try:
        table = read_sheet(file.read_bytes(), kind_of(file.name), sheet)
    except (UnreadableFile, OSError) as exc:
        raise fail(str(exc)) from None
    header = find_header(table.rows, {})
    if header is None:
        raise fail("找不到表头 / no header found")
    typer.echo(mapping_toml(header, table.name))


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} 应是日期，如 2025-01-01 / {option} is a day") from None


@app.command("export")
def export_ledger(
    committee: str = typer.Option(..., "--committee", help="The village or township code."),
    first: str = typer.Option(..., "--from", help="First day accepted, e.g. 2025-01-01."),
    last: str = typer.Option(..., "--to", help="Last day accepted, e.g. 2025-12-31."),
    user: str = typer.Option(..., "--user", help="Who exports (case.read in that place)."),
    reason: str = typer.Option("", "--reason", help="Why names are shown in full (party.reveal)."),
    output: Path | None = typer.Option(None, "--output", help="File to write (.xlsx)."),
) -> None:
    """Export a committee's 人民调解台账 for a period (.xlsx); names masked unless --reason.

    Examples:
      grassroots ledger export --committee 990101001001 --from 2025-01-01 --to 2025-12-31 --user li
    """
    start, end = _day(first, "--from"), _day(last, "--to")
    with cli_session() as session:
        actor = _user(session, user)
        name, data = do_export_ledger(
            session, actor=actor, committee_code=committee, first=start, last=end, reason=reason
        )
    target = output or Path(name)
    target.write_bytes(data)
    typer.echo(f"已写出 / written: {target}")
