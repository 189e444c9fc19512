"""`grassroots leads ...`: import a batch of leads handed down as a spreadsheet."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.orm import Session

from grassroots.db import check_schema_current, engine_for, make_session_factory, writer_engine
from grassroots.errors import Problem
from grassroots.leads.actions import do_import
from grassroots.leads.batch.importing import parse, read_rows
from grassroots.leads.models import LeadSource

app = typer.Typer(help="线索 / leads.", no_args_is_help=True)


def _session() -> Session:
    engine = engine_for()
    check_schema_current(engine)
    return make_session_factory(writer_engine(engine))()


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="xlsx: one lead per row, headers in the first row."),
    source: LeadSource = typer.Option(LeadSource.assigned, help="report / transfer / assigned"),
    issuing_body: str = typer.Option("", help="来文单位, for rows that leave it empty."),
    document_number: str = typer.Option("", help="文号, for rows that leave it empty."),
    batch: str = typer.Option("", help="批次, for rows that leave it empty."),
) -> None:
    """Import a batch of leads (a spreadsheet handed down): all of it, or nothing.

    Columns (Chinese or field names): 标题, 反映内容, 地点, 发生时间, 区划代码, 类别 (name or
    code), 核查期限, 来文单位, 文号, 批次, 涉及人员, 接收日期. On any error nothing is imported,
    every error is printed with its row number and the exit code is 1.

    Examples:
      grassroots leads import batch.xlsx --issuing-body 市扫黑办 --batch 2026-3
    """
    try:
        rows = read_rows(file)
    except (OSError, ValueError, KeyError) as exc:
        typer.echo(f"无法读取表格 / cannot read {file}: {exc}", err=True)
        raise typer.Exit(1) from exc
    defaults = {"source": source.value, "issuing_body": issuing_body,
                "document_number": document_number, "batch": batch}  # fmt: skip
    with _session() as session:
        leads, errors = parse(session, rows, {k: v for k, v in defaults.items() if v})
        try:
            if errors:
                raise Problem(422, "import_failed", "导入失败，未导入任何线索 / nothing imported",
                              errors=[{"message": e} for e in errors])  # fmt: skip
            created = do_import(session, leads, source=file.name)
        except Problem as problem:
            typer.echo(problem.message, err=True)
            for e in problem.errors:
                typer.echo(f"  {e.get('field', '')} {e['message']}".rstrip(), err=True)
            raise typer.Exit(1) from problem
    typer.echo(f"已导入 {len(created)} 条线索 / imported {len(created)} leads")
