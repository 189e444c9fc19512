"""`grassroots stats ...`: rebuild and check the maintained aggregates."""

from __future__ import annotations

import typer

app = typer.Typer(help="统计 / statistics aggregates.", no_args_is_help=True)


@app.command()
def rebuild() -> None:
    """Recompute the aggregate tables from the cases (after any bulk SQL on case_file).

    Example:
      grassroots stats rebuild
    """
    from grassroots.db import writer_sessions
    from grassroots.stats.actions import do_rebuild_aggregates

    with writer_sessions()() as session:
        rows = do_rebuild_aggregates(session, None)
    typer.echo(f"统计汇总表已重建 / aggregates rebuilt: {rows} rows")
