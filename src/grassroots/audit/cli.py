"""`grassroots audit verify|head`."""

from __future__ import annotations

import typer
from sqlalchemy.orm import Session, sessionmaker

from grassroots.audit.verify import chain_head, verify_chain
from grassroots.db import engine_for, make_session_factory

app = typer.Typer(help="审计日志 / audit log: verify the hash chain, print its head.")


def _sessions() -> sessionmaker[Session]:
    engine = engine_for()
    return make_session_factory(engine)


@app.command()
def verify(
    anchor: str | None = typer.Option(
        None, "--anchor", help="A head hash kept outside the database; it must be in the chain."
    ),
) -> None:
    """Walk the whole chain; print "intact, N rows, head HASH" or the first broken row.

    Exit status 0 when intact, 1 when broken.

    Examples:
      grassroots audit verify
      grassroots audit verify --anchor 3f5e...c1   # a head printed earlier by `audit head`
    """
    with _sessions()() as session:
        report = verify_chain(session, anchor)
    if report.intact:
        typer.echo(f"审计日志完整 / {report.message()}")
        return
    typer.echo(f"审计日志已被篡改 / audit log {report.message()}", err=True)
    raise typer.Exit(1)


@app.command()
def head() -> None:
    """Print the chain head (row id and hash) to keep outside the database.

    Example:
      grassroots audit head >> /secure/elsewhere/audit-anchors.txt
    """
    with _sessions()() as session:
        last_id, last_hash = chain_head(session)
    typer.echo(f"{last_id} {last_hash}")
